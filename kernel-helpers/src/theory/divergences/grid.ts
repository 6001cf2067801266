/**
 * Divergences between one-dimensional densities, by quadrature on a grid.
 *
 * A `Grid` holds nodes and quadrature weights, so that sum_i w_i g(x_i) approximates the
 * integral of g. Densities are given either as functions of x or as their values at the
 * nodes. Densities must be non-negative and integrate to one on the grid (within `tol`),
 * which also catches a grid that is too narrow for the densities.
 */
import { argumentError, checkFinite, checkInteger, checkNonNegative, checkPositive } from '../../core/args';

export interface Grid {
  /** Nodes, increasing. */
  readonly x: readonly number[];
  /** Quadrature weights, same length as x. */
  readonly w: readonly number[];
}

/** A density as a function or as its values at a grid's nodes. */
export type DensityInput = ((x: number) => number) | readonly number[];

/** Trapezoidal rule on n equally spaced nodes from a to b (spectrally accurate for smooth densities that vanish at both ends). */
export function uniformGrid(a: number, b: number, n: number): Grid {
  checkFinite('uniformGrid', 'a', a);
  checkFinite('uniformGrid', 'b', b);
  if (!(b > a)) throw argumentError('uniformGrid', 'b', `> a = ${a}`, b);
  checkInteger('uniformGrid', 'n', n, 3);
  const h = (b - a) / (n - 1);
  const x = Array.from({ length: n }, (_, i) => a + i * h);
  const w = x.map((_, i) => (i === 0 || i === n - 1 ? h / 2 : h));
  return { x, w };
}

/** Values of a density at the grid's nodes, checked to be a density on this grid. */
export function densityOnGrid(who: string, name: string, p: DensityInput, grid: Grid, tol = 1e-3): number[] {
  checkGrid(who, 'grid', grid);
  const v = typeof p === 'function' ? grid.x.map((x) => p(x)) : [...p];
  if (v.length !== grid.x.length) {
    throw new Error(`${who}: ${name} has ${v.length} values but the grid has ${grid.x.length} nodes (mismatched supports)`);
  }
  let mass = 0;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw new Error(`${who}: ${name} is not finite at x = ${grid.x[i]} (got ${v[i]})`);
    if (v[i] < 0) throw new Error(`${who}: ${name} is negative at x = ${grid.x[i]} (${v[i]}); a density must be >= 0`);
    mass += grid.w[i] * v[i];
  }
  if (Math.abs(mass - 1) > tol) {
    throw new Error(`${who}: ${name} must integrate to 1 on the grid, but integrates to ${mass.toFixed(6)} (widen or refine the grid, or normalise ${name})`);
  }
  return v;
}

function checkGrid(who: string, name: string, grid: Grid): void {
  if (!grid || !Array.isArray(grid.x) || !Array.isArray(grid.w)) throw argumentError(who, name, 'a grid { x, w } of two arrays', grid);
  if (grid.x.length !== grid.w.length || grid.x.length < 2) {
    throw new Error(`${who}: ${name}.x and ${name}.w must have the same length >= 2, got ${grid.x.length} and ${grid.w.length}`);
  }
}

/** Integral of p log(p/q); +Infinity when p > 0 where q = 0. */
function klValues(p: number[], q: number[], w: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    if (q[i] === 0) return Infinity;
    s += w[i] * p[i] * Math.log(p[i] / q[i]);
  }
  return s;
}

export interface GridOptions {
  /** Tolerance on each density's integral (default 1e-3). */
  tol?: number;
}

/** KL(p || q) of densities on a grid. */
export function klDensity(p: DensityInput, q: DensityInput, grid: Grid, opts: GridOptions = {}): number {
  const pv = densityOnGrid('klDensity', 'p', p, grid, opts.tol);
  const qv = densityOnGrid('klDensity', 'q', q, grid, opts.tol);
  return klValues(pv, qv, grid.w);
}

/** KL(q || p) of densities on a grid. */
export function reverseKlDensity(p: DensityInput, q: DensityInput, grid: Grid, opts: GridOptions = {}): number {
  const pv = densityOnGrid('reverseKlDensity', 'p', p, grid, opts.tol);
  const qv = densityOnGrid('reverseKlDensity', 'q', q, grid, opts.tol);
  return klValues(qv, pv, grid.w);
}

/** JS(p || q) of densities on a grid, in [0, log 2] up to quadrature error. */
export function jensenShannonDensity(p: DensityInput, q: DensityInput, grid: Grid, opts: GridOptions = {}): number {
  const pv = densityOnGrid('jensenShannonDensity', 'p', p, grid, opts.tol);
  const qv = densityOnGrid('jensenShannonDensity', 'q', q, grid, opts.tol);
  const m = pv.map((v, i) => (v + qv[i]) / 2);
  return 0.5 * klValues(pv, m, grid.w) + 0.5 * klValues(qv, m, grid.w);
}

/** Total variation (1/2) integral |p - q| of densities on a grid. */
export function totalVariationDensity(p: DensityInput, q: DensityInput, grid: Grid, opts: GridOptions = {}): number {
  const pv = densityOnGrid('totalVariationDensity', 'p', p, grid, opts.tol);
  const qv = densityOnGrid('totalVariationDensity', 'q', q, grid, opts.tol);
  let s = 0;
  for (let i = 0; i < pv.length; i++) s += grid.w[i] * Math.abs(pv[i] - qv[i]);
  return s / 2;
}

/** Density of N(mean, std^2). */
export function gaussianPdf(mean: number, std: number): (x: number) => number {
  checkPositive('gaussianPdf', 'std', std);
  checkFinite('gaussianPdf', 'mean', mean);
  const c = 1 / (std * Math.sqrt(2 * Math.PI));
  return (x: number) => c * Math.exp(-0.5 * ((x - mean) / std) ** 2);
}

/** Closed form KL(N(m1, s1^2) || N(m2, s2^2)), to check the quadrature against. */
export function klBetweenGaussians(m1: number, s1: number, m2: number, s2: number): number {
  checkPositive('klBetweenGaussians', 's1', s1);
  checkPositive('klBetweenGaussians', 's2', s2);
  return Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) ** 2) / (2 * s2 * s2) - 0.5;
}

/** Mean and variance of a density on a grid. */
export function momentsOnGrid(p: DensityInput, grid: Grid, tol?: number): { mean: number; variance: number } {
  const pv = densityOnGrid('momentsOnGrid', 'p', p, grid, tol);
  let m = 0;
  for (let i = 0; i < pv.length; i++) m += grid.w[i] * pv[i] * grid.x[i];
  let v = 0;
  for (let i = 0; i < pv.length; i++) v += grid.w[i] * pv[i] * (grid.x[i] - m) ** 2;
  checkNonNegative('momentsOnGrid', 'variance', v);
  return { mean: m, variance: v };
}
