/**
 * Reads numbers, nested number arrays, typed arrays and tensors into one form (shape + flat
 * values) so the checks compare them the same way. Every value is read once (a Proxy or a
 * getter that answers differently each time gets one answer), with index loops and the
 * built-ins captured at load (./intrinsics), and the element count must match the shape:
 * a tensor-like object whose data is shorter than its shape says is not numeric.
 */
import * as d from './describe';
import { floor, freeze, isArray, isInteger, isView, typedLength, DataViewCtor } from './intrinsics';

// Captured at load: later changes to the describe module's exports cannot reach here.
const describe = d.describe;
const isTensorLike = d.isTensorLike;

export interface FlatNumbers {
  /** [] for a scalar, [n] for a vector, [rows, cols] for a matrix, ... */
  shape: number[];
  values: number[];
}

/** Nesting deeper than this is not an array of numbers a test compares (and stops runaway recursion). */
const MAX_DEPTH = 64;

function sameShape(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** The shape of a (possibly nested) array, or null if it is ragged (or absurdly deep). */
export function nestedShape(x: unknown, depth = 0): number[] | null {
  if (!isArray(x)) return [];
  if (depth > MAX_DEPTH) return null;
  const n = x.length;
  if (n === 0) return [0];
  const inner = nestedShape(x[0], depth + 1);
  if (inner === null) return null;
  for (let i = 1; i < n; i++) {
    const s = nestedShape(x[i], depth + 1);
    if (s === null || !sameShape(s, inner)) return null;
  }
  const out: number[] = [n];
  for (let k = 0; k < inner.length; k++) out[k + 1] = inner[k];
  return out;
}

function flattenInto(x: unknown, out: unknown[], depth: number): void {
  if (isArray(x) && depth <= MAX_DEPTH) {
    const n = x.length;
    for (let i = 0; i < n; i++) flattenInto(x[i], out, depth + 1);
  } else out[out.length] = x;
}

function isNumericArray(x: unknown): x is ArrayLike<number> {
  return isView(x) && !(x instanceof DataViewCtor);
}

/** A copy of a tensor's shape, or null when it is not a list of non-negative integers. */
function tensorShape(raw: unknown): number[] | null {
  if (!isArray(raw)) return null;
  const n = raw.length;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = raw[k];
    if (typeof v !== 'number' || !isInteger(v) || v < 0) return null;
    out[k] = v;
  }
  return out;
}

function product(shape: number[]): number {
  let p = 1;
  for (let k = 0; k < shape.length; k++) p *= shape[k];
  return p;
}

/** Copies an array-like of numbers element by element (typed arrays by their engine length). */
function copyNumbers(data: unknown): number[] | string {
  let n: number;
  if (isNumericArray(data)) n = typedLength(data);
  else if (isArray(data)) n = data.length;
  else return 'not an array of numbers';
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = (data as ArrayLike<unknown>)[i];
    if (typeof v !== 'number') return `an array containing ${describe(v)} at flat index ${i}`;
    out[i] = v;
  }
  return out;
}

/** The shape of anything shaped (tensor, nested array, typed array, scalar), else null. */
export function shapeOf(x: unknown): number[] | null {
  if (isTensorLike(x)) return tensorShape(x.shape);
  if (isNumericArray(x)) return [typedLength(x)];
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
    const shape = tensorShape(x.shape);
    if (shape === null) return `a tensor-like object whose shape is not a list of sizes (${describe(x)})`;
    let data: unknown;
    try {
      data = x.dataSync();
    } catch (e) {
      return `a tensor whose values cannot be read (${e instanceof Error ? e.message : String(e)})`;
    }
    const values = copyNumbers(data);
    if (typeof values === 'string') return `a tensor-like object whose data is ${values}`;
    const want = product(shape);
    if (values.length !== want) {
      return `a tensor-like object of shape [${shape.join(',')}] (${want} element${want === 1 ? '' : 's'}) whose data has ${values.length}`;
    }
    return { shape, values };
  }
  if (isNumericArray(x)) {
    const values = copyNumbers(x);
    if (typeof values === 'string') return values;
    return { shape: [values.length], values };
  }
  if (isArray(x)) {
    const shape = nestedShape(x);
    if (shape === null) return `a ragged array (${describe(x)})`;
    const flat: unknown[] = [];
    flattenInto(x, flat, 0);
    const values: number[] = [];
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v !== 'number') return `an array containing ${describe(v)} at flat index ${i}`;
      values[i] = v;
    }
    if (values.length !== product(shape)) return `an array whose elements changed while it was read (${describe(x)})`;
    return { shape, values };
  }
  return describe(x);
}

/** The number of elements of a shape. */
export const elementCount = product;

/** The multi-index [i, j, ...] of a flat (row-major) index in an array of `shape`. */
export function unravelIndex(flat: number, shape: number[]): number[] {
  const idx: number[] = [];
  for (let k = 0; k < shape.length; k++) idx[k] = 0;
  let rest = flat;
  for (let k = shape.length - 1; k >= 0; k--) {
    const dk = shape[k];
    idx[k] = dk > 0 ? rest % dk : 0;
    rest = dk > 0 ? floor(rest / dk) : 0;
  }
  return idx;
}

// The exports cannot be replaced: `require('.../numeric').toFlatNumbers = ...` fails.
freeze(module.exports);
