import * as ts from 'typescript';
import type { Notebook } from '../runner';
import { cellText } from './nbgrader-cell';

/**
 * The teacher's prelude: the first code every grading kernel runs, before any cell of the
 * submission (cells a student put before the notebook's first cell included), and again
 * after every restart. It loads the checks, so the built-ins they capture are the real ones,
 * then locks what the test cells and the kernel's reply path rely on, so that a student cell
 * cannot swap the library or report an error as a success:
 *
 * - `globalThis.__tslab__` (the `exports` and `require` tslab hands every cell) cannot be
 *   replaced, nor can its `require`;
 * - the module system: `Module` and its prototype and extensions frozen (no `_load` /
 *   `_resolveFilename` hook), and the cache entries of the course library made read-only
 *   (`require.cache[...] = fake` and `delete require.cache[...]` fail);
 * - `vm` and `vm.Script.prototype` frozen (no wrapper around `runInThisContext` that turns an
 *   error into "ok"); `JSON`, `Promise` and `Reflect` frozen (no patched `JSON.stringify` in
 *   the reply, no `Promise.race` that hides a rejection);
 * - the classes tslab and ZeroMQ export frozen (no patched `handleExecute` or socket `send`
 *   that rewrites an `execute_reply`).
 *
 * - the realm's debugger routes closed (kernel-helpers' exercises/guard.ts: no inspector,
 *   v8 or trace_events module, no inspector binding, SIGUSR1 caught, workers guarded too);
 * - the sockets' sends serialised (exercises/sendQueue.ts: "Socket is busy writing");
 * - the verdict runner (exercises/verdict.ts, ./verdict.ts): \`globalThis.__gan_verdict__\`,
 *   holding this kernel's key in its closure, fixed (not writable, not configurable).
 *
 * The pass or fail of a test cell is not taken from this realm's reply: it is the runner's
 * signed verdict (./verdict.ts). The locks keep the checks honest; the sandbox
 * (./sandbox.ts) keeps the machine safe.
 *
 * - last, every JavaScript intrinsic frozen (kernel-helpers' exercises/freezeIntrinsics.ts):
 *   no hook on `String.prototype` (which would see a hidden test's text as tslab compiles
 *   it), `Array.prototype`, `Buffer.prototype`, `Object.prototype` (no getter planted), ...
 *   The packages the teacher's notebook imports are loaded before it (preloadModules).
 */
export function preludeCode(o: { secretFile: string; verdictDir: string; preload?: readonly string[] }): string {
  return PRELUDE_TEMPLATE.replace('"__SECRET_FILE__"', JSON.stringify(o.secretFile))
    .replace('"__VERDICT_DIR__"', JSON.stringify(o.verdictDir))
    .replace('"__PRELOAD__"', JSON.stringify(o.preload ?? []));
}

/**
 * The packages the teacher's notebook imports (`kernel-helpers`, ...), which the prelude loads
 * before it freezes the intrinsics: a module loaded later, whose top level assigns a property
 * an intrinsic already has (mathjs sets `exports.hasOwnProperty`), would fail in the frozen
 * realm. Only bare package names of the teacher's cells: no relative path, nothing of the
 * student's.
 */
export function preloadModules(teacher: Notebook): string[] {
  const out = new Set<string>();
  for (const c of teacher.cells) {
    if (c.cell_type !== 'code') continue;
    for (const f of ts.preProcessFile(cellText(c), true, false).importedFiles) {
      if (/^[@a-z0-9][\w@./-]*$/i.test(f.fileName) && !f.fileName.startsWith('.')) out.add(f.fileName);
    }
  }
  return [...out].sort();
}

/** Without verdicts (trusted runs that still want the locks): the prelude with no runner. */
export const PRELUDE = String.raw`// (so written: tslab reads 'await (async () => ...)()' as a call of a function named await)
await new Promise<void>((done, failed) => (async () => {
  'use strict';
  const freeze = Object.freeze;
  const g: any = globalThis;
  const req: any = require;
  req('kernel-helpers/dist/exercises/guard').lockRealm();
  req('kernel-helpers/dist/exercises/sendQueue').serialiseSends(req('zeromq'));
  req('kernel-helpers/dist/exercises');
  const freezeIntrinsics = req('kernel-helpers/dist/exercises/freezeIntrinsics').freezeIntrinsics;
  const preload: any = "__PRELOAD__";
  if (Array.isArray(preload)) {
    for (const m of preload) {
      try {
        req(m);
      } catch {
        // the notebook's own import of it will say why
      }
    }
    // and the chart libraries the course's library loads on first use (ES modules)
    if (preload.includes('kernel-helpers')) await req('kernel-helpers/dist/display/esmImport').preloadChartModules().catch(() => undefined);
  }
  const holder = g.__tslab__;
  const secretFile: string = "__SECRET_FILE__";
  if (secretFile !== '__SECRET' + '_FILE__') {
    req('kernel-helpers/dist/exercises/verdict').verdictRunner({ secretFile, verdictDir: "__VERDICT_DIR__", scope: holder.exports, require: holder.require });
  }
  Object.defineProperty(g, '__tslab__', { value: freeze({ exports: holder.exports, require: holder.require }), writable: false, configurable: false, enumerable: false });
  const Module = req('module');
  const vm = req('vm');
  freeze(vm.Script.prototype);
  freeze(vm);
  freeze(Module._extensions);
  freeze(Module.prototype);
  freeze(Module);
  freeze(JSON);
  freeze(Reflect);
  freeze(Promise.prototype);
  freeze(Promise);
  const events = req('events');
  const cache = req.cache;
  for (const file of Object.keys(cache)) {
    const mod = cache[file];
    if (/[\\/]kernel-helpers[\\/]/.test(file)) {
      Object.defineProperty(cache, file, { value: mod, writable: false, configurable: false, enumerable: true });
      freeze(mod);
    }
    if (/[\\/]node_modules[\\/](tslab|zeromq)[\\/]/.test(file) && mod.exports) {
      for (const k of Object.keys(mod.exports)) {
        const v = mod.exports[k];
        if (typeof v === 'function' && v.prototype) {
          // Up the class chain, stopping at built-ins (Error.prototype must stay as it is:
          // freezing it would break every error's own \`name\`).
          let p = v.prototype;
          while (p && p !== Object.prototype && p !== events.prototype && !(p.constructor && g[p.constructor.name] === p.constructor)) {
            freeze(p);
            p = Object.getPrototypeOf(p);
          }
          freeze(v);
        }
      }
    }
  }
  // Last, every JavaScript intrinsic (exercises/freezeIntrinsics.ts).
  freezeIntrinsics();
})().then(done, failed));`;
const PRELUDE_TEMPLATE = PRELUDE;
