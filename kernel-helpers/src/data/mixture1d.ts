/**
 * One-dimensional Gaussian mixtures: the data of the first GAN a student trains, with an
 * exact density so that the optimal discriminator p_data / (p_data + p_g) can be drawn.
 */
import { Rng, rng as makeRng } from '../core/random';
import { argumentError, checkFinite, checkNonNegative, checkNonNegativeInt, checkPositive } from '../core/args';

export interface Mixture1D {
  readonly weights: number[];
  readonly means: number[];
  readonly stds: number[];
  /** Density at x. */
  pdf(x: number): number;
  sample(n: number, r?: Rng): number[];
}

export function mixture1d(spec: { weights: number[]; means: number[]; stds: number[] }, seed = 0): Mixture1D {
  const { weights, means, stds } = spec;
  if (!Array.isArray(weights) || weights.length === 0) throw argumentError('mixture1d', 'spec.weights', 'a non-empty array', weights);
  const k = weights.length;
  if (means.length !== k || stds.length !== k) {
    throw new Error(`mixture1d: weights, means and stds must have the same length (got ${k}, ${means.length}, ${stds.length})`);
  }
  weights.forEach((w, i) => checkNonNegative('mixture1d', `spec.weights[${i}]`, w));
  const total = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9) throw new Error(`mixture1d: weights must sum to 1, got a sum of ${total}`);
  means.forEach((m, i) => checkFinite('mixture1d', `spec.means[${i}]`, m));
  stds.forEach((s, i) => checkPositive('mixture1d', `spec.stds[${i}]`, s));
  const own = makeRng(seed);
  const cumulative = weights.map(((acc) => (w: number) => (acc += w))(0));
  return {
    weights: [...weights],
    means: [...means],
    stds: [...stds],
    pdf(x: number): number {
      let p = 0;
      for (let i = 0; i < k; i++) {
        const z = (x - means[i]) / stds[i];
        p += (weights[i] * Math.exp(-0.5 * z * z)) / (stds[i] * Math.sqrt(2 * Math.PI));
      }
      return p;
    },
    sample(n: number, r: Rng = own): number[] {
      checkNonNegativeInt('mixture1d.sample', 'n', n);
      const out = new Array<number>(n);
      for (let j = 0; j < n; j++) {
        const u = r.uniform();
        let i = 0;
        while (i < k - 1 && u >= cumulative[i]) i++;
        out[j] = means[i] + stds[i] * r.normal();
      }
      return out;
    },
  };
}
