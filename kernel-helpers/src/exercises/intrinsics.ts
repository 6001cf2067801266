/**
 * The built-ins the checks rely on, captured once when the library loads (the grader's
 * prelude loads it before any student cell runs). A student cell that later replaces
 * `Array.prototype.push`, the typed arrays' `length` getter, `Object.keys`, `Math.abs`, ...
 * changes nothing here: every decision a check makes goes through these copies, and loops
 * are written with indices (no iterators, no array methods).
 */

const bind = Function.prototype.bind;
const call = Function.prototype.call;
/** `f.call(self, ...args)` as a plain function that no later patch of `call` can reach. */
function uncurry<A extends unknown[], R>(f: (...args: A) => R): (self: unknown, ...args: A) => R {
  return bind.call(call, f) as (self: unknown, ...args: A) => R;
}

export const abs = Math.abs;
export const floor = Math.floor;
export const isFiniteNumber = Number.isFinite;
export const isInteger = Number.isInteger;
export const isArray = Array.isArray;
export const isView = ArrayBuffer.isView;
export const objectKeys = Object.keys;
export const freeze = Object.freeze;
export const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const getPrototypeOf = Object.getPrototypeOf;
export const jsString = String;
export const stringify = JSON.stringify;
export const objectToString = uncurry(Object.prototype.toString);
export const hasOwn = uncurry(Object.prototype.hasOwnProperty as (k: PropertyKey) => boolean);
export const stringIncludes = uncurry(String.prototype.includes as (s: string) => boolean);
export const regexpTest = uncurry(RegExp.prototype.test as (s: string) => boolean);
export const ErrorCtor = Error;
export const DataViewCtor = DataView;

const typedArrayProto = getPrototypeOf(Uint8Array.prototype) as object;
const typedLengthGetter = getOwnPropertyDescriptor(typedArrayProto, 'length')!.get!;
/** The length of a typed array as the engine knows it (not a patched getter's answer). */
export const typedLength = uncurry(typedLengthGetter as () => number);

/**
 * The value of an own data property of `o`, or undefined when `o` has no such own
 * property. Inherited properties (a polluted `Object.prototype.tol`) are never read;
 * an accessor (getter) is an error: options are plain values.
 */
export function ownValue(o: object, key: string, who: string): unknown {
  const d = getOwnPropertyDescriptor(o, key);
  if (d === undefined) return undefined;
  if (!hasOwn(d, 'value')) throw new TypeError(`${who}: option "${key}" must be a plain value, not a getter`);
  return d.value;
}

// The exports cannot be replaced: `require(".../intrinsics").abs = () => 0` fails.
freeze(module.exports);
