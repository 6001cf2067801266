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
 * Node's --frozen-intrinsics was tried in the kernel's argv: TypeScript (and so tslab)
 * cannot load under it (it assigns Error.stackTraceLimit), so the locks stay these.
 */
export function preludeCode(o: { secretFile: string; verdictDir: string }): string {
  return PRELUDE_TEMPLATE.replace('"__SECRET_FILE__"', JSON.stringify(o.secretFile)).replace('"__VERDICT_DIR__"', JSON.stringify(o.verdictDir));
}

/** Without verdicts (trusted runs that still want the locks): the prelude with no runner. */
export const PRELUDE = String.raw`(() => {
  'use strict';
  const freeze = Object.freeze;
  const g: any = globalThis;
  const req: any = require;
  req('kernel-helpers/dist/exercises/guard').lockRealm();
  req('kernel-helpers/dist/exercises/sendQueue').serialiseSends(req('zeromq'));
  req('kernel-helpers/dist/exercises');
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
})();`;
const PRELUDE_TEMPLATE = PRELUDE;
