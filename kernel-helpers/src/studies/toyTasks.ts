/**
 * The three 2D tasks of chapters 4 and 5, with what is needed to judge a generator on them:
 * the distribution, the plotting window, and a "high quality" test per sample (near a mode
 * for the mixtures, near the noise-free spiral for the Swiss roll).
 */
import { Point2, ToyDistribution2D, grid25, ring8, swissRoll } from '../data/toy2d';
import { argumentError, checkOneOf, checkPositive } from '../core/args';

export const TOY_TASK_NAMES = ['ring8', 'grid25', 'swissRoll'] as const;
export type ToyTaskName = (typeof TOY_TASK_NAMES)[number];

export interface ToyTask {
  name: ToyTaskName;
  data: ToyDistribution2D;
  /** Square plotting window [lo, hi] for both axes. */
  range: [number, number];
}

export function toyTask(name: ToyTaskName): ToyTask {
  checkOneOf('toyTask', 'name', name, TOY_TASK_NAMES);
  switch (name) {
    case 'ring8':
      return { name, data: ring8(), range: [-3, 3] };
    case 'grid25':
      return { name, data: grid25(), range: [-6, 6] };
    case 'swissRoll':
      return { name, data: swissRoll(), range: [-3.5, 3.5] };
    default:
      throw argumentError('toyTask', 'name', 'a known toy task', name);
  }
}

/** The noise-free Swiss roll curve (t cos t, t sin t) / 5 for t in [1.5 pi, 4.5 pi], densely sampled. */
export function swissRollCurve(points = 4000, scale = 5): Point2[] {
  const out: Point2[] = [];
  for (let k = 0; k < points; k++) {
    const t = 1.5 * Math.PI * (1 + (2 * k) / (points - 1));
    out.push([(t * Math.cos(t)) / scale, (t * Math.sin(t)) / scale]);
  }
  return out;
}

/**
 * Share of samples within `radius` of the Swiss roll's noise-free curve. The default radius
 * 0.15 is three times the per-coordinate noise of the data (0.25 / 5), so about 99% of real
 * samples pass (the same convention as the 3-sigma ball of the mixtures' mode coverage).
 */
export function swissRollQuality(samples: readonly Point2[], radius = 0.15): number {
  if (!Array.isArray(samples) || samples.length === 0) throw argumentError('swissRollQuality', 'samples', 'a non-empty array of [x, y] points', samples);
  checkPositive('swissRollQuality', 'radius', radius);
  const curve = swissRollCurve();
  const r2 = radius * radius;
  let good = 0;
  for (const p of samples) {
    for (const c of curve) {
      const dx = p[0] - c[0];
      const dy = p[1] - c[1];
      if (dx * dx + dy * dy <= r2) {
        good++;
        break;
      }
    }
  }
  return good / samples.length;
}
