/**
 * Closes the ways a grading kernel's own code could read another function's closure: the
 * grader's verdict key lives in one (./verdict.ts), and a debugger can show any closure.
 * Run by the grader's prelude before any student cell, and preloaded (`--require`) into
 * every worker thread the kernel starts:
 *
 * - the `inspector` modules (a same-process debugger session reads closures), `v8`
 *   (heap snapshots, V8 flags) and `trace_events` cannot be loaded;
 * - `process.binding` / `process._linkedBinding` do not hand out the inspector's binding;
 * - `process._debugProcess` / `_debugEnd` are gone, and SIGUSR1 (which starts Node's
 *   inspector on a port) is caught, in this process and in any the kernel can signal;
 * - every worker thread starts with this file preloaded, so a worker cannot
 *   `connectToMainThread()` either;
 * - native addons load only from the course runtime's node_modules (read-only in the
 *   sandbox): an addon a cell writes to /tmp could read the process's memory, closures and
 *   all. The path is resolved first and the resolved one is loaded, so a link swapped in
 *   between cannot redirect it.
 *
 * Nothing of the course's own code uses these (the wasm backend's threads still start).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const BLOCKED = ['inspector', 'inspector/promises', 'v8', 'trace_events'];
const BLOCKED_BINDINGS = ['inspector', 'v8', 'trace_events', 'worker'];

function blocked(request: unknown): boolean {
  if (typeof request !== 'string') return false;
  const r = request.startsWith('node:') ? request.slice(5) : request;
  return BLOCKED.includes(r);
}

const GUARD_FILE = __filename;
const g = globalThis as any;
const MARK = Symbol.for('gan-course.guard');

export function lockRealm(): void {
  if (g[MARK]) return;
  Object.defineProperty(g, MARK, { value: true, enumerable: false, writable: false, configurable: false });
  const Module = require('module') as any;
  const load = Module._load;
  Module._load = function (this: unknown, request: unknown, ...rest: unknown[]) {
    if (blocked(request)) throw new Error(`${String(request)} is not available in a grading kernel`);
    return load.call(this, request, ...rest);
  };
  const proc = process as any;
  for (const name of ['binding', '_linkedBinding']) {
    const orig = proc[name];
    if (typeof orig !== 'function') continue;
    const wrapped = function (this: unknown, id: unknown) {
      if (typeof id === 'string' && BLOCKED_BINDINGS.includes(id)) throw new Error(`process.${name}('${id}') is not available in a grading kernel`);
      return orig.call(this, id);
    };
    Object.defineProperty(proc, name, { value: wrapped, writable: false, configurable: false, enumerable: false });
  }
  for (const name of ['_debugProcess', '_debugEnd', '_startProfilerIdleNotifier']) {
    const refuse = () => {
      throw new Error(`process.${name} is not available in a grading kernel`);
    };
    Object.defineProperty(proc, name, { value: refuse, writable: false, configurable: false, enumerable: false });
  }
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const runtime = fs.realpathSync(path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), '..', '..')) + path.sep;
  const dlopen = proc.dlopen;
  const guardedDlopen = function (this: unknown, module: unknown, filename: unknown, ...rest: unknown[]) {
    let real = '';
    try {
      real = fs.realpathSync(String(filename));
    } catch {
      /* refused below */
    }
    if (!real.startsWith(runtime) || !real.endsWith('.node')) throw new Error(`process.dlopen(${JSON.stringify(String(filename))}): a grading kernel loads native addons from the course runtime only (${runtime})`);
    return dlopen.call(this, module, real, ...rest);
  };
  Object.defineProperty(proc, 'dlopen', { value: guardedDlopen, writable: false, configurable: false, enumerable: true });
  // A listener replaces Node's handler that would start the inspector.
  process.on('SIGUSR1', () => undefined);
  // Workers: this file preloaded in each, whatever execArgv the caller asked for.
  const wt = require('worker_threads') as any;
  const Worker = wt.Worker;
  class GuardedWorker extends Worker {
    constructor(file: unknown, options?: any) {
      const o = { ...(options ?? {}) };
      o.execArgv = [...(Array.isArray(o.execArgv) ? o.execArgv : process.execArgv), '--require', GUARD_FILE];
      super(file, o);
    }
  }
  Object.defineProperty(wt, 'Worker', { value: GuardedWorker, writable: false, configurable: false, enumerable: true });
  Object.freeze(GuardedWorker.prototype);
  Object.freeze(GuardedWorker);
  Object.freeze(Module);
}

// Preloaded into a worker (`--require`): lock it at once.
if (!(require('worker_threads') as any).isMainThread) lockRealm();
