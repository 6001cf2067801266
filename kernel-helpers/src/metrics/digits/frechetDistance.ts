/**
 * The Frechet distance between Gaussians fitted to two feature sets (the "FID" construction
 * of Heusel et al. 2017, here in the course classifier's 64-dimensional feature space instead
 * of Inception's; the numbers are therefore comparable only within the course):
 *   d^2 = |mu_1 - mu_2|^2 + tr(C_1 + C_2 - 2 (C_1^{1/2} C_2 C_1^{1/2})^{1/2}).
 * The matrix square roots come from symmetric eigendecompositions (cyclic Jacobi), which is
 * exact up to rounding for the small dimensions used here.
 */
import { checkInteger, checkPositiveInt } from '../../core/args';

export interface GaussianStats {
  mean: Float64Array;
  /** Row-major dim x dim covariance (unbiased). */
  cov: Float64Array;
  dim: number;
  count: number;
}

/** Mean and covariance of `n` rows of length `dim` (row-major). */
export function gaussianStats(rows: ArrayLike<number>, n: number, dim: number): GaussianStats {
  checkPositiveInt('gaussianStats', 'dim', dim);
  checkInteger('gaussianStats', 'n (the number of rows)', n, 2);
  if (rows.length !== n * dim) throw new Error(`gaussianStats: rows must hold n*dim = ${n * dim} values, got ${rows.length}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += rows[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const cov = new Float64Array(dim * dim);
  const c = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) c[j] = rows[i * dim + j] - mean[j];
    for (let a = 0; a < dim; a++) {
      const ca = c[a];
      if (ca === 0) continue;
      for (let b = a; b < dim; b++) cov[a * dim + b] += ca * c[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = cov[a * dim + b] / (n - 1);
      cov[a * dim + b] = v;
      cov[b * dim + a] = v;
    }
  }
  return { mean, cov, dim, count: n };
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(m: ArrayLike<number>, dim: number): { values: Float64Array; vectors: Float64Array } {
  if (m.length !== dim * dim) throw new Error(`symmetricEigen: expected ${dim * dim} entries, got ${m.length}`);
  const a = Float64Array.from(m);
  const v = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) v[i * dim + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < dim; p++) {
      for (let q = 0; q < dim; q++) {
        const x = a[p * dim + q] * a[p * dim + q];
        total += x;
        if (p !== q) off += x;
      }
    }
    if (off <= 1e-22 * Math.max(total, 1e-300)) break;
    for (let p = 0; p < dim - 1; p++) {
      for (let q = p + 1; q < dim; q++) {
        const apq = a[p * dim + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * dim + q] - a[p * dim + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < dim; k++) {
          const akp = a[k * dim + p];
          const akq = a[k * dim + q];
          a[k * dim + p] = c * akp - s * akq;
          a[k * dim + q] = s * akp + c * akq;
        }
        for (let k = 0; k < dim; k++) {
          const apk = a[p * dim + k];
          const aqk = a[q * dim + k];
          a[p * dim + k] = c * apk - s * aqk;
          a[q * dim + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < dim; k++) {
          const vkp = v[k * dim + p];
          const vkq = v[k * dim + q];
          v[k * dim + p] = c * vkp - s * vkq;
          v[k * dim + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(dim);
  for (let i = 0; i < dim; i++) values[i] = a[i * dim + i];
  return { values, vectors: v };
}

/** Symmetric positive semi-definite square root (negative rounding-level eigenvalues clipped to 0). */
export function sqrtPsd(m: ArrayLike<number>, dim: number): Float64Array {
  const { values, vectors } = symmetricEigen(m, dim);
  const out = new Float64Array(dim * dim);
  for (let k = 0; k < dim; k++) {
    const s = Math.sqrt(Math.max(0, values[k]));
    if (s === 0) continue;
    for (let i = 0; i < dim; i++) {
      const vik = vectors[i * dim + k] * s;
      for (let j = 0; j < dim; j++) out[i * dim + j] += vik * vectors[j * dim + k];
    }
  }
  return out;
}

function matMul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) {
    const aik = a[i * d + k];
    if (aik === 0) continue;
    for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
  }
  return out;
}

/** Squared Frechet distance between two Gaussians. */
export function frechetFromStats(s1: GaussianStats, s2: GaussianStats): number {
  if (s1.dim !== s2.dim) throw new Error(`frechetFromStats: dimensions differ (${s1.dim} vs ${s2.dim})`);
  const d = s1.dim;
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (s1.mean[j] - s2.mean[j]) ** 2;
  const r1 = sqrtPsd(s1.cov, d);
  const inner = matMul(matMul(r1, s2.cov, d), r1, d);
  // symmetrise against rounding before the second square root
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) {
    const m = 0.5 * (inner[i * d + j] + inner[j * d + i]);
    inner[i * d + j] = m;
    inner[j * d + i] = m;
  }
  const { values } = symmetricEigen(inner, d);
  let trSqrt = 0;
  for (const v of values) trSqrt += Math.sqrt(Math.max(0, v));
  let tr = 0;
  for (let i = 0; i < d; i++) tr += s1.cov[i * d + i] + s2.cov[i * d + i];
  return Math.max(0, meanTerm + tr - 2 * trSqrt);
}

/** Squared Frechet distance between two sets of feature rows. */
export function frechetDistance(a: ArrayLike<number>, nA: number, b: ArrayLike<number>, nB: number, dim: number): number {
  return frechetFromStats(gaussianStats(a, nA, dim), gaussianStats(b, nB, dim));
}
