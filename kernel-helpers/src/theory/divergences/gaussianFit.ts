/**
 * Fitting one Gaussian N(mu, sigma^2) to a target density by minimising a divergence on a grid:
 * forward KL(p || q) covers every mode (for a Gaussian family it is moment matching), reverse
 * KL(q || p) locks onto one mode. The minimiser is a coarse search followed by compass
 * (pattern) search in (mu, log sigma): derivative-free and robust for these 2-parameter fits.
 */
import { Grid, densityOnGrid, gaussianPdf } from './grid';
import { checkFinite, checkOneOf, checkPositive } from '../../core/args';

export type KlDirection = 'forward' | 'reverse';
const KL_DIRECTIONS = ['forward', 'reverse'] as const;

export interface GaussianFit {
  mean: number;
  std: number;
  /** The divergence at the fit. */
  divergence: number;
}

export interface GaussianFitOptions {
  /** Start of the search for mu (default: the grid's middle). Reverse KL has several local minima; the start decides which one. */
  initMean?: number;
  /** Start of the search for sigma (default: a quarter of the grid's width). */
  initStd?: number;
  /** Smallest allowed sigma (default 3 grid spacings, so the fitted density stays resolved). */
  minStd?: number;
  /** Stop when the step in (mu, log sigma) is below this (default 1e-5). */
  tol?: number;
  /** First step of the pattern search (default half the starting sigma): small enough to stay in the starting basin. */
  initialStep?: number;
}

/** Divergence between the target values on the grid and N(mu, sigma^2). */
export function klToGaussianOnGrid(target: number[], grid: Grid, mean: number, std: number, direction: KlDirection): number {
  const q = gaussianPdf(mean, std);
  let s = 0;
  for (let i = 0; i < grid.x.length; i++) {
    const qi = q(grid.x[i]);
    const pi = target[i];
    if (direction === 'forward') {
      if (pi > 0) s += grid.w[i] * pi * (Math.log(pi) - Math.log(Math.max(qi, 1e-300)));
    } else if (qi > 0) {
      s += grid.w[i] * qi * (Math.log(qi) - Math.log(Math.max(pi, 1e-300)));
    }
  }
  return s;
}

export function fitGaussian(target: ((x: number) => number) | number[], grid: Grid, direction: KlDirection, opts: GaussianFitOptions = {}): GaussianFit {
  checkOneOf('fitGaussian', 'direction', direction, KL_DIRECTIONS);
  const p = densityOnGrid('fitGaussian', 'target', target, grid);
  const a = grid.x[0];
  const b = grid.x[grid.x.length - 1];
  const h = (b - a) / (grid.x.length - 1);
  const minStd = opts.minStd ?? 3 * h;
  checkPositive('fitGaussian', 'minStd', minStd);
  let mu = opts.initMean ?? (a + b) / 2;
  let ls = Math.log(Math.max(opts.initStd ?? (b - a) / 4, minStd));
  checkFinite('fitGaussian', 'initMean', mu);
  if (opts.initStd !== undefined) checkFinite('fitGaussian', 'initStd', opts.initStd);
  const f = (m: number, l: number) => klToGaussianOnGrid(p, grid, m, Math.max(Math.exp(l), minStd), direction);
  let best = f(mu, ls);
  let step = opts.initialStep ?? Math.exp(ls) / 2;
  checkPositive('fitGaussian', 'initialStep', step);
  const tol = opts.tol ?? 1e-5;
  while (step > tol) {
    let improved = false;
    for (const [dm, dl] of [[step, 0], [-step, 0], [0, step], [0, -step]]) {
      const v = f(mu + dm, ls + dl);
      if (v < best) {
        best = v;
        mu += dm;
        ls += dl;
        improved = true;
        break;
      }
    }
    if (!improved) step /= 2;
  }
  return { mean: mu, std: Math.max(Math.exp(ls), minStd), divergence: best };
}
