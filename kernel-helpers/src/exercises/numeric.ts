/**
 * Reads numbers, nested number arrays, typed arrays and tensors into one form (shape + flat
 * values) so the checks compare them the same way.
 */
import { describe, isNumericArrayLike, isTensorLike } from './describe';

export interface FlatNumbers {
  /** [] for a scalar, [n] for a vector, [rows, cols] for a matrix, ... */
  shape: number[];
  values: number[];
}

const isArray = Array.isArray;

/** The shape of a (possibly nested) array, or null if it is ragged. */
export function nestedShape(x: unknown): number[] | null {
  if (!isArray(x)) return [];
  if (x.length === 0) return [0];
  const inner = nestedShape(x[0]);
  if (inner === null) return null;
  for (let i = 1; i < x.length; i++) {
    const s = nestedShape(x[i]);
    if (s === null || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return null;
  }
  return [x.length, ...inner];
}

function flattenInto(x: unknown, out: unknown[]): void {
  if (isArray(x)) for (const v of x) flattenInto(v, out);
  else out.push(x);
}

/** The shape of anything shaped (tensor, nested array, typed array, scalar), else null. */
export function shapeOf(x: unknown): number[] | null {
  if (isTensorLike(x)) return x.shape.slice();
  if (isNumericArrayLike(x)) return [x.length];
  if (isArray(x)) return nestedShape(x);
  if (typeof x === 'number') return [];
  return null;
}

/**
 * Converts `x` to shape + numbers, or returns a sentence saying why it is not numeric
 * (e.g. "a string", "a ragged array", "an array containing undefined at index 3").
 */
export function toFlatNumbers(x: unknown): FlatNumbers | string {
  if (typeof x === 'number') return { shape: [], values: [x] };
  if (isTensorLike(x)) {
    let data: ArrayLike<number>;
    try {
      data = x.dataSync();
    } catch (e) {
      return `a tensor whose values cannot be read (${e instanceof Error ? e.message : String(e)})`;
    }
    return { shape: x.shape.slice(), values: Array.from(data) };
  }
  if (isNumericArrayLike(x)) return { shape: [x.length], values: Array.from(x) };
  if (isArray(x)) {
    const shape = nestedShape(x);
    if (shape === null) return `a ragged array (${describe(x)})`;
    const flat: unknown[] = [];
    flattenInto(x, flat);
    for (let i = 0; i < flat.length; i++) {
      if (typeof flat[i] !== 'number') return `an array containing ${describe(flat[i])} at flat index ${i}`;
    }
    return { shape, values: flat as number[] };
  }
  return describe(x);
}

/** The multi-index [i, j, ...] of a flat (row-major) index in an array of `shape`. */
export function unravelIndex(flat: number, shape: number[]): number[] {
  const idx: number[] = new Array(shape.length).fill(0);
  let rest = flat;
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k];
    idx[k] = d > 0 ? rest % d : 0;
    rest = d > 0 ? Math.floor(rest / d) : 0;
  }
  return idx;
}
