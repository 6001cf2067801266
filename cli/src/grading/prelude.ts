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
 * This is defence in depth inside a realm the student's code shares; the sandbox
 * (./sandbox.ts) is what keeps the machine safe.
 */
export const PRELUDE = String.raw`(() => {
  const freeze = Object.freeze;
  const g: any = globalThis;
  const req: any = require;
  req('kernel-helpers/dist/exercises');
  const holder = g.__tslab__;
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
