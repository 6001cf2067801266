/**
 * Mode coverage of a generator on a mixture with known modes, as measured in the GAN
 * literature on the ring and grid tasks (Srivastava et al. 2017, VEEGAN; Metz et al. 2017):
 * a sample is "high quality" when it lies within `k` standard deviations of its nearest
 * mode; a mode is "hit" when it receives a fair share of the high-quality samples.
 */
import type { GaussianModes, Point2 } from '../data/toy2d';
import { argumentError, checkNonNegative, checkPositive } from '../core/args';

export interface ModeCoverage {
  /** Number of modes that received at least `minCount` high-quality samples. */
  modesHit: number;
  /** Total number of modes. */
  modes: number;
  /** Fraction of samples within `k` std of their nearest mode. */
  highQualityShare: number;
  /** High-quality samples assigned to each mode. */
  counts: number[];
  /**
   * KL(histogram || uniform) over the modes of the high-quality samples, in nats:
   * 0 when every mode gets the same share, log(K) when all samples sit in one mode.
   */
  klToUniform: number;
  /** The count a mode needed to be hit. */
  minCount: number;
}

export interface ModeCoverageOptions {
  /** Radius of the high-quality ball in standard deviations (default 3). */
  k?: number;
  /**
   * A mode is hit when it holds at least this fraction of the count it would hold if the
   * samples were spread evenly, i.e. minCount = max(1, ceil(minFraction * n / K)). Default 0.2.
   */
  minFraction?: number;
}

/** Index of the nearest centre and the distance to it. */
export function nearestMode(p: Point2, centers: Point2[]): { index: number; distance: number } {
  let best = -1;
  let bestD2 = Infinity;
  for (let i = 0; i < centers.length; i++) {
    const dx = p[0] - centers[i][0];
    const dy = p[1] - centers[i][1];
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2) {
      bestD2 = d2;
      best = i;
    }
  }
  return { index: best, distance: Math.sqrt(bestD2) };
}

/** KL(p || uniform) of a histogram of counts, in nats. */
export function klToUniform(counts: number[]): number {
  if (!Array.isArray(counts) || counts.length === 0) throw argumentError('klToUniform', 'counts', 'a non-empty array of counts', counts);
  counts.forEach((c, i) => checkNonNegative('klToUniform', `counts[${i}]`, c));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return Math.log(counts.length);
  let kl = 0;
  for (const c of counts) if (c > 0) kl += (c / total) * Math.log((c / total) * counts.length);
  return kl;
}

export function modeCoverage(samples: Point2[], modes: GaussianModes, opts: ModeCoverageOptions = {}): ModeCoverage {
  const { k = 3, minFraction = 0.2 } = opts;
  checkPositive('modeCoverage', 'opts.k', k);
  checkNonNegative('modeCoverage', 'opts.minFraction', minFraction);
  if (!Array.isArray(samples) || samples.length === 0) throw argumentError('modeCoverage', 'samples', 'a non-empty array of [x, y] points', samples);
  const K = modes.centers.length;
  const counts = new Array<number>(K).fill(0);
  let good = 0;
  for (const [i, p] of samples.entries()) {
    if (!Array.isArray(p) || p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw argumentError('modeCoverage', `samples[${i}]`, 'a finite [x, y] pair', p);
    }
    const { index, distance } = nearestMode(p, modes.centers);
    if (distance <= k * modes.std) {
      counts[index]++;
      good++;
    }
  }
  const minCount = Math.max(1, Math.ceil((minFraction * samples.length) / K));
  return {
    modesHit: counts.filter((c) => c >= minCount).length,
    modes: K,
    highQualityShare: good / samples.length,
    counts,
    klToUniform: klToUniform(counts),
    minCount,
  };
}
