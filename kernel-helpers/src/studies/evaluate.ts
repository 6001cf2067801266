/**
 * How good a 2D generator is, in the three numbers the loss comparison reports:
 * modes covered (mixtures only), share of high-quality samples, and the exact W1 between
 * n generated points and n fresh data points. W1 between two finite samples is biased
 * upward, so the same number for two data samples (`w1DataBaseline`) is the floor to read
 * it against.
 */
import { Point2 } from '../data/toy2d';
import { modeCoverage } from '../metrics/modeCoverage';
import { rng } from '../core/random';
import { argumentError } from '../core/args';
import { wassersteinSamples } from '../theory/transport/sampleW1';
import { ToyTask, swissRollQuality } from './toyTasks';

export interface GeneratorScore {
  /** Modes that received a fair share of high-quality samples (NaN for the Swiss roll). */
  modesHit: number;
  /** Number of modes (NaN for the Swiss roll). */
  modes: number;
  /** Share of samples near a mode (mixtures) or near the spiral (Swiss roll). */
  highQualityShare: number;
  /** Exact W1 between the generated points and as many fresh data points. */
  w1: number;
}

export function scoreSamples(task: ToyTask, generated: readonly Point2[], seed = 12345): GeneratorScore {
  if (!Array.isArray(generated) || generated.length === 0) throw argumentError('scoreSamples', 'generated', 'a non-empty array of [x, y] points', generated);
  const finite = generated.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (!finite) return { modesHit: 0, modes: task.data.modes?.centers.length ?? NaN, highQualityShare: 0, w1: Infinity };
  const data = task.data.sample(generated.length, rng(seed));
  const w1 = wassersteinSamples(generated, data).distance;
  if (task.data.modes) {
    const m = modeCoverage(generated as Point2[], task.data.modes);
    return { modesHit: m.modesHit, modes: m.modes, highQualityShare: m.highQualityShare, w1 };
  }
  return { modesHit: NaN, modes: NaN, highQualityShare: swissRollQuality(generated), w1 };
}

/** W1 between two independent data samples of size n: the sampling floor of `scoreSamples(...).w1`. */
export function w1DataBaseline(task: ToyTask, n: number, seed = 777): number {
  const r = rng(seed);
  return wassersteinSamples(task.data.sample(n, r), task.data.sample(n, r)).distance;
}
