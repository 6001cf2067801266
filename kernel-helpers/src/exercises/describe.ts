/**
 * Short, readable renderings of values for check messages: a student reads these, so they
 * show the kind of value (number, array of shape [2,3], tensor, undefined) before its content.
 */

/** Anything that looks like a tfjs tensor: a shape and a synchronous read of its values. */
export interface TensorLike {
  shape: number[];
  dataSync(): ArrayLike<number>;
}

// Captured at load time (the grader's prelude, before any student cell), so a student cell
// that later replaces these globals cannot change how checks behave.
import { DataViewCtor, freeze, isArray, isView, jsString, objectToString, stringify } from './intrinsics';

export function isTensorLike(x: unknown): x is TensorLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    isArray((x as TensorLike).shape) &&
    typeof (x as TensorLike).dataSync === 'function'
  );
}

export function isNumericArrayLike(x: unknown): x is ArrayLike<number> {
  return isView(x) && !(x instanceof DataViewCtor);
}

/** Formats a number compactly but exactly enough to see why a comparison failed. */
export function formatNumber(x: number): string {
  if (typeof x !== 'number') return describe(x);
  if (x !== x) return 'NaN';
  return jsString(Number(x.toPrecision(8)));
}

function preview(values: ArrayLike<unknown>, limit = 6): string {
  const parts: string[] = [];
  const n = values.length;
  for (let i = 0; i < n && i < limit; i++) {
    const v = values[i];
    parts.push(typeof v === 'number' ? formatNumber(v) : describe(v, 1));
  }
  if (n > limit) parts.push(`... (${n} in all)`);
  return `[${parts.join(', ')}]`;
}

/** A one-line description of any value, e.g. `tensor of shape [2,3] [0.1, 0.2, ...]`. */
export function describe(x: unknown, depth = 0): string {
  if (x === undefined) return 'undefined';
  if (x === null) return 'null';
  if (typeof x === 'number') return formatNumber(x);
  if (typeof x === 'string') return stringify(x.length > 80 ? x.slice(0, 77) + '...' : x);
  if (typeof x === 'boolean' || typeof x === 'bigint') return jsString(x);
  if (typeof x === 'function') return `a function${x.name ? ` (${x.name})` : ''}`;
  if (isTensorLike(x)) {
    let values: ArrayLike<number> | undefined;
    try {
      values = x.dataSync();
    } catch {
      values = undefined;
    }
    const shown = values ? ' ' + preview(values) : ' (disposed)';
    return `tensor of shape [${x.shape.join(',')}]${shown}`;
  }
  if (isNumericArrayLike(x)) return `${x.constructor.name} of length ${x.length} ${preview(x)}`;
  if (isArray(x)) {
    if (depth > 1) return `array of length ${x.length}`;
    return `array of length ${x.length} ${preview(x.map((v) => (isArray(v) ? describe(v, depth + 1) : v)))}`;
  }
  if (x instanceof Error) return `${x.name}: ${x.message}`;
  try {
    const s = stringify(x);
    if (s !== undefined) return s.length > 120 ? s.slice(0, 117) + '...' : s;
  } catch {
    // cyclic or otherwise unserialisable: fall through
  }
  return objectToString(x);
}

// The exports cannot be replaced: `require('.../describe').isTensorLike = ...` fails.
freeze(module.exports);
