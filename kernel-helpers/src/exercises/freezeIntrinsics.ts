/**
 * Freezes this realm's JavaScript intrinsics, for the grader's prelude: run after the kernel
 * and the notebook's libraries have loaded, before any student cell. Afterwards no cell can
 * hook `String.prototype.slice` (tslab's compiler reads every cell's text through such
 * methods, the hidden tests included), plant a getter on `Object.prototype`, or replace
 * `Array.prototype.push`, `JSON.parse`, `Buffer.prototype.toString`, `Math.abs`, ...
 *
 * Everything reachable from the standard constructors and namespaces is frozen: their
 * prototypes, their methods, and the hidden intrinsics (%TypedArray%, the iterator and
 * generator prototypes), walked through every own property and prototype link.
 *
 * Why not a ready-made lockdown: the `ses` package's `lockdown()` was tried. With its
 * 'moderate' overrides Node's util.inspect prints every error as `{}` (its constructor lookup
 * wants a data property `constructor` on the error prototypes; tslab prints errors with it),
 * and with 'min' the libraries loaded after it fail (mathjs assigns `exports.hasOwnProperty`,
 * d3 assigns `prototype.constructor`: the "override mistake" of a frozen prototype). Node's
 * `--frozen-intrinsics` cannot start TypeScript (it assigns `Error.stackTraceLimit`).
 *
 * So, as lockdown does, the properties that code commonly sets on its own objects (every
 * property of `Object.prototype`, the methods of `Array.prototype` and `Function.prototype`,
 * the error prototypes' `name`, `message` and `toString`) become accessors whose setter
 * defines the property on the object assigned to, never on the prototype. The error
 * prototypes keep their `constructor` as data (for util.inspect), and the `Error`
 * constructors themselves stay writable (`Error.stackTraceLimit`, `Error.prepareStackTrace`
 * are set by TypeScript and source-map-support); `globalThis` is not touched (tslab and tfjs
 * keep state there).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

const STANDARD = [
  'Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON', 'Reflect', 'Proxy',
  'Promise', 'RegExp', 'Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
  'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
  'BigUint64Array', 'Intl', 'WebAssembly', 'Buffer', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'escape', 'unescape',
  'structuredClone', 'queueMicrotask', 'atob', 'btoa',
];
const ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];

export interface FreezeReport {
  /** Objects frozen by this call. */
  frozen: number;
  /** Properties turned into override-friendly accessors. */
  overridable: number;
}

/** The intrinsics that are not globals: reached through instances. */
function hiddenIntrinsics(): object[] {
  const proto = Object.getPrototypeOf;
  const out: object[] = [
    proto(Uint8Array), // %TypedArray%
    proto([][Symbol.iterator]()), // %ArrayIteratorPrototype%
    proto(proto([][Symbol.iterator]())), // %IteratorPrototype%
    proto(''[Symbol.iterator]()),
    proto(new Map()[Symbol.iterator]()),
    proto(new Set()[Symbol.iterator]()),
    proto(/a/[Symbol.matchAll]('a')),
    proto(function* () {}), // %GeneratorFunction.prototype%
    proto(async function () {}),
    proto(async function* () {}),
    proto((function* () {})()),
    proto(proto((async function* () {})())),
  ];
  return out.filter((o) => o != null);
}

let done = false;

/** Freezes the intrinsics (once per realm; later calls do nothing). */
export function freezeIntrinsics(): FreezeReport {
  const report: FreezeReport = { frozen: 0, overridable: 0 };
  if (done) return report;
  const g = globalThis as any;
  const { getOwnPropertyDescriptor, defineProperty, getPrototypeOf, isFrozen, preventExtensions } = Object;
  const ownKeys = Reflect.ownKeys;
  const hasOwn = Object.prototype.hasOwnProperty;
  // Object.freeze on Object.prototype or on a typed array's prototype makes V8 run typed-array
  // loops optimised afterwards about 15 times slower (a linear probe: 4 s against 0.3 s).
  // There, each property is made read-only and then no new one allowed: the same frozen
  // object, without the slowdown. (Done so everywhere, it slows array methods instead.)
  const freezeQuietly = (o: object) => {
    for (const k of ownKeys(o)) {
      const d = getOwnPropertyDescriptor(o, k);
      if (!d) continue;
      if (!d.configurable) {
        if ('value' in d && d.writable) defineProperty(o, k, { writable: false });
        continue;
      }
      defineProperty(o, k, 'value' in d ? { writable: false, configurable: false } : { configurable: false });
    }
    preventExtensions(o);
  };
  const typedProto = getPrototypeOf(Uint8Array.prototype);
  const typedArrays = ownKeys(g).map((k) => g[k as string]).filter((v) => typeof v === 'function' && v.prototype && getPrototypeOf(v.prototype) === typedProto);
  const quietly = new Set<unknown>([Object.prototype, typedProto, ...typedArrays.map((v) => v.prototype)]);

  const keepWritable = new Set<unknown>(ERRORS.map((n) => g[n]).filter(Boolean));
  const overridable = new Map<object, readonly PropertyKey[]>();
  // Every property of Object.prototype; the named methods of Array.prototype and
  // Function.prototype (vega gives an array of its own a forEach). Not the symbol-named ones:
  // Array.prototype[Symbol.iterator] as an accessor puts every array spread on V8's slow path
  // (40 times slower). Never another prototype's `constructor`, which util.inspect reads to
  // name what it prints.
  const methods = (o: object) => Object.getOwnPropertyNames(o).filter((k) => k !== 'constructor' && typeof getOwnPropertyDescriptor(o, k)?.value === 'function');
  overridable.set(Object.prototype, ownKeys(Object.prototype).filter((k) => k !== '__proto__'));
  overridable.set(Array.prototype, methods(Array.prototype));
  overridable.set(Function.prototype, methods(Function.prototype));
  for (const n of ERRORS) if (g[n]) overridable.set(g[n].prototype, ['name', 'message', 'toString']);

  // The override accessors first: the value stays readable, and an assignment to an object
  // that inherits the property defines that object's own property (as it would have before).
  for (const [obj, keys] of overridable) {
    for (const k of keys) {
      const d = getOwnPropertyDescriptor(obj, k);
      if (!d || !('value' in d) || !d.configurable) continue;
      const value = d.value;
      const name = typeof k === 'symbol' ? k.toString() : k;
      defineProperty(obj, k, {
        get: { [name]() { return value; } }[name],
        set: {
          [name](this: any, v: unknown) {
            if (this === obj) throw new TypeError(`Cannot assign to read only property '${name}' of a frozen built-in prototype`);
            if (this === null || this === undefined) throw new TypeError(`Cannot set property '${name}' of ${this}`);
            if (hasOwn.call(this, k)) this[k] = v;
            else defineProperty(this, k, { value: v, writable: true, enumerable: true, configurable: true });
          },
        }[name],
        enumerable: d.enumerable,
        configurable: false,
      });
      report.overridable++;
    }
  }

  const roots: unknown[] = [...STANDARD.map((n) => g[n]), ...hiddenIntrinsics()];
  for (const n of ERRORS) if (g[n]) roots.push(g[n].prototype);
  const seen = new Set<unknown>();
  const queue: unknown[] = roots.filter((r) => r !== undefined);
  while (queue.length) {
    const o = queue.pop();
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null || o === g || seen.has(o)) continue;
    seen.add(o);
    // The Error constructors stay writable; what they hold is still walked.
    if (!keepWritable.has(o) && !isFrozen(o)) {
      if (quietly.has(o)) freezeQuietly(o as object);
      else Object.freeze(o);
      report.frozen++;
    }
    queue.push(getPrototypeOf(o));
    for (const k of ownKeys(o as object)) {
      const d = getOwnPropertyDescriptor(o, k)!;
      if ('value' in d) queue.push(d.value);
      else queue.push(d.get, d.set);
    }
  }
  done = true;
  return report;
}
