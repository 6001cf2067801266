/**
 * Plain-array linear algebra for Lipschitz constants: the largest singular value of a
 * weight matrix, exactly (eigenvalues of W^T W through mathjs) and by power iteration
 * (what spectral normalisation runs, one step per forward pass).
 */
import * as math from 'mathjs';
import { Rng, rng } from '../core/random';
import { argumentError, checkFinite, checkInteger } from '../core/args';

/** rows x cols, row-major. */
export type Matrix = number[][];

/** A non-empty rectangular matrix of finite entries; returns [rows, cols]. */
function checkMatrix(who: string, name: string, w: Matrix): [number, number] {
  if (!Array.isArray(w) || w.length === 0 || !Array.isArray(w[0]) || w[0].length === 0) {
    throw argumentError(who, name, 'a non-empty matrix (array of rows)', w);
  }
  const cols = w[0].length;
  w.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) throw new Error(`${who}: ${name} row ${i} must have ${cols} entries, got ${Array.isArray(row) ? row.length : 'no array'}`);
    row.forEach((x, j) => checkFinite(who, `${name}[${i}][${j}]`, x));
  });
  return [w.length, cols];
}

/**
 * sigma_max(W) = sqrt(lambda_max(W^T W)), from a symmetric eigen-decomposition of the
 * smaller Gram matrix. "Exact" up to floating point; meant for checks on small matrices.
 */
export function largestSingularValue(w: Matrix): number {
  const [m, n] = checkMatrix('largestSingularValue', 'w', w);
  const gram = (n <= m ? math.multiply(math.transpose(w), w) : math.multiply(w, math.transpose(w))) as number[][];
  const values = (math.eigs(gram, { eigenvectors: false }) as unknown as { values: number[] }).values;
  return Math.sqrt(Math.max(0, ...values.map(Number)));
}

export interface PowerIterationResult {
  /** Estimate u^T W v of the largest singular value. */
  sigma: number;
  /** Left singular vector estimate (length rows), unit norm. */
  u: number[];
  /** Right singular vector estimate (length cols), unit norm. */
  v: number[];
}

function normalize(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
  for (let i = 0; i < x.length; i++) x[i] *= inv;
}

/** One or more power-iteration steps on a flat row-major matrix: v <- W^T u / |.|, u <- W v / |.|. */
export function powerIterationFlat(w: ArrayLike<number>, rows: number, cols: number, u: Float64Array, iterations: number): { sigma: number; v: Float64Array } {
  const v = new Float64Array(cols);
  for (let it = 0; it < iterations; it++) {
    v.fill(0);
    for (let i = 0; i < rows; i++) {
      const ui = u[i];
      const base = i * cols;
      for (let j = 0; j < cols; j++) v[j] += w[base + j] * ui;
    }
    normalize(v);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const base = i * cols;
      for (let j = 0; j < cols; j++) s += w[base + j] * v[j];
      u[i] = s;
    }
    normalize(u);
  }
  let sigma = 0;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = i * cols;
    for (let j = 0; j < cols; j++) s += w[base + j] * v[j];
    sigma += u[i] * s;
  }
  return { sigma, v };
}

/** A random unit vector: the usual start of the power iteration. */
export function randomUnitVector(n: number, r: Rng): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = r.normal();
  normalize(x);
  return x;
}

/**
 * Power iteration for sigma_max(W). Converges geometrically with ratio (sigma_2/sigma_1)^2;
 * from a random start, a few dozen steps suffice unless the top two singular values are close.
 */
export function powerIteration(w: Matrix, opts: { iterations?: number; seed?: number; u0?: number[] } = {}): PowerIterationResult {
  const who = 'powerIteration';
  const [m, n] = checkMatrix(who, 'w', w);
  const iterations = opts.iterations ?? 50;
  checkInteger(who, 'opts.iterations', iterations, 1);
  let u: Float64Array;
  if (opts.u0) {
    if (opts.u0.length !== m) throw new Error(`${who}: opts.u0 must have length ${m} (the number of rows), got ${opts.u0.length}`);
    u = Float64Array.from(opts.u0);
    normalize(u);
  } else {
    u = randomUnitVector(m, rng(opts.seed ?? 0));
  }
  const flat = new Float64Array(m * n);
  w.forEach((row, i) => row.forEach((x, j) => (flat[i * n + j] = x)));
  const { sigma, v } = powerIterationFlat(flat, m, n, u, iterations);
  return { sigma, u: Array.from(u), v: Array.from(v) };
}
