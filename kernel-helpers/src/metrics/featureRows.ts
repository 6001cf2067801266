/**
 * Argument checks and small distance helpers shared by the feature-space metrics (precision
 * and recall, nearest neighbours, linear probes, Parzen windows). Feature sets travel as flat
 * row-major arrays of `n` rows of length `dim`, the layout the digit classifier's `features`
 * returns, so no metric copies a few thousand 64-dim vectors into nested arrays.
 */
import { argumentError, checkInteger, checkPositiveInt } from '../core/args';

/**
 * `rows` holds `n` finite rows of length `dim`; `minRows` is the smallest `n` the metric can
 * work with (a k-NN radius needs k + 1 points, a standard error two), named in the error so
 * that "too few samples" reads as such and not as a bad integer.
 */
export function checkRows(who: string, name: string, rows: ArrayLike<number>, n: number, dim: number, minRows = 1): void {
  checkPositiveInt(who, 'dim', dim);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < minRows) {
    throw argumentError(who, `the number of rows of ${name}`, `an integer >= ${minRows} (fewer samples than this metric needs)`, n);
  }
  if (rows == null || typeof rows.length !== 'number') throw argumentError(who, name, 'a flat array of feature rows', rows);
  if (rows.length !== n * dim) throw new Error(`${who}: ${name} must hold n*dim = ${n}*${dim} = ${n * dim} values, got ${rows.length}`);
  for (let i = 0; i < rows.length; i++) {
    if (!Number.isFinite(rows[i])) {
      throw argumentError(who, `${name} row ${Math.floor(i / dim)} entry ${i % dim}`, 'a finite number', rows[i]);
    }
  }
}

/** `n` integer labels in [0, classes) (`classes` = null: any non-negative integer). Returns the largest label + 1. */
export function checkLabels(who: string, name: string, labels: ArrayLike<number>, n: number, classes: number | null = null): number {
  if (labels == null || typeof labels.length !== 'number') throw argumentError(who, name, 'an array of integer labels', labels);
  if (labels.length !== n) throw new Error(`${who}: ${name} must hold one label per row (${n}), got ${labels.length}`);
  if (classes !== null) checkPositiveInt(who, 'classes', classes);
  let top = 0;
  for (let i = 0; i < n; i++) {
    checkInteger(who, `${name}[${i}]`, labels[i], 0, classes === null ? Infinity : classes - 1);
    if (labels[i] + 1 > top) top = labels[i] + 1;
  }
  return top;
}

/** |a_i - b_j|^2 between row i of `a` and row j of `b`. */
export function squaredDistance(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, dim: number): number {
  let s = 0;
  const oa = i * dim;
  const ob = j * dim;
  for (let t = 0; t < dim; t++) {
    const d = a[oa + t] - b[ob + t];
    s += d * d;
  }
  return s;
}
