/**
 * Maximum mean discrepancy (Gretton, Borgwardt, Rasch, Schoelkopf & Smola 2012, "A kernel
 * two-sample test"): the distance between two distributions' mean embeddings in a kernel's
 * feature space,
 *   MMD^2 = E k(x, x') + E k(y, y') - 2 E k(x, y),   x, x' ~ P,  y, y' ~ Q.
 * With a characteristic kernel such as the Gaussian RBF k(x, y) = exp(-|x - y|^2 / (2 sigma^2))
 * it is zero only when P = Q. RCGAN (Esteban et al. 2017) uses it to compare generated and
 * real sequences (flattened to vectors), which is how the sequence chapter uses it too.
 *
 * The estimate is the unbiased one (Gretton et al. 2012, eq. 3): the within-sample sums leave
 * out i = j, so two samples of one distribution give values scattered around 0 (and slightly
 * negative ones are normal), not a positive bias of order 1/n.
 *
 * Without a bandwidth, sigma is the median heuristic: the median Euclidean distance between
 * distinct points of the pooled sample (Gretton et al. 2012, sect. 8), taken over at most
 * `MEDIAN_POINTS` pooled points (evenly strided) so that it stays cheap for large samples.
 */
import { argumentError, checkKnownOptions, checkPositive } from '../core/args';
import { checkRows, squaredDistance } from './featureRows';

export interface MmdOptions {
  /** Kernel bandwidth sigma (default: the median heuristic). */
  bandwidth?: number;
}

/** Pooled points the median heuristic looks at, at most (about 2 million pairs). */
export const MEDIAN_POINTS = 2000;

/** The median heuristic bandwidth of two samples (see the file comment). */
export function medianBandwidth(a: ArrayLike<number>, nA: number, b: ArrayLike<number>, nB: number, dim: number): number {
  const who = 'medianBandwidth';
  checkRows(who, 'a', a, nA, dim, 1);
  checkRows(who, 'b', b, nB, dim, 1);
  return median(a, nA, b, nB, dim);
}

function median(a: ArrayLike<number>, nA: number, b: ArrayLike<number>, nB: number, dim: number): number {
  const total = nA + nB;
  const m = Math.min(total, MEDIAN_POINTS);
  const pick = Array.from({ length: m }, (_, i) => Math.floor((i * total) / m));
  const point = (k: number): [ArrayLike<number>, number] => (k < nA ? [a, k] : [b, k - nA]);
  const d = new Float64Array((m * (m - 1)) / 2);
  let p = 0;
  for (let i = 0; i < m; i++) {
    const [x, xi] = point(pick[i]);
    for (let j = i + 1; j < m; j++) {
      const [y, yj] = point(pick[j]);
      d[p++] = squaredDistance(x, xi, y, yj, dim);
    }
  }
  if (d.length === 0) return 1;
  d.sort();
  const mid = d.length >> 1;
  const med = d.length % 2 ? Math.sqrt(d[mid]) : (Math.sqrt(d[mid - 1]) + Math.sqrt(d[mid])) / 2;
  // more than half the pairs coincide (a collapsed generator): fall back to the mean distance,
  // and to 1 when every point is the same, rather than a zero-width kernel
  if (med > 0) return med;
  let sum = 0;
  for (let k = 0; k < d.length; k++) sum += Math.sqrt(d[k]);
  return sum > 0 ? sum / d.length : 1;
}

/**
 * Unbiased squared MMD between `nA` rows of `a` and `nB` rows of `b` (flat row-major, `dim`
 * values per row) with a Gaussian RBF kernel. Needs at least 2 rows in each sample.
 */
export function mmdRbf(a: ArrayLike<number>, nA: number, b: ArrayLike<number>, nB: number, dim: number, opts: MmdOptions = {}): number {
  const who = 'mmdRbf';
  checkKnownOptions(who, opts, ['bandwidth']);
  checkRows(who, 'a', a, nA, dim, 2);
  checkRows(who, 'b', b, nB, dim, 2);
  if (opts.bandwidth !== undefined) checkPositive(who, 'opts.bandwidth', opts.bandwidth);
  const sigma = opts.bandwidth ?? median(a, nA, b, nB, dim);
  const gamma = 1 / (2 * sigma * sigma);
  if (!Number.isFinite(gamma)) throw argumentError(who, 'opts.bandwidth', 'large enough that 1 / (2 sigma^2) is finite', sigma);
  const within = (x: ArrayLike<number>, n: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.exp(-gamma * squaredDistance(x, i, x, j, dim));
    return (2 * s) / (n * (n - 1));
  };
  let cross = 0;
  for (let i = 0; i < nA; i++) for (let j = 0; j < nB; j++) cross += Math.exp(-gamma * squaredDistance(a, i, b, j, dim));
  return within(a, nA) + within(b, nB) - (2 * cross) / (nA * nB);
}
