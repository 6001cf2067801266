/**
 * Self-normalised importance weights and their effective sample size, from log-weights. In
 * latent space the unnormalised weight of a draw z ~ q is p(x | z) p(z) / q(z), whose log runs
 * to hundreds or thousands of nats for a decoder likelihood over pixels, so the weights are
 * never formed directly: everything is shifted by the largest log-weight first, which makes
 * the largest term exactly 1 and the rest at most 1, and cancels in the normalisation.
 *
 * The effective sample size (sum w)^2 / sum w^2 is Kish's design effect, read for importance
 * sampling by Kong 1992 and Liu 1996 as the number of draws from the target that would give
 * a self-normalised estimate of the same variance (approximately). It is n for equal weights
 * and 1 when one draw carries all the weight, the usual signal that a proposal misses the
 * target and needs refitting (gaussianMixture.ts).
 *
 * Log-weights may be -Infinity (a draw where the target has no mass gets weight 0); NaN and
 * +Infinity are refused with their index, since either means an overflow or a bug upstream
 * and would silently turn every weight into NaN.
 */
import { argumentError } from '../core/args';
import { checkPoints, describedError } from './gaussianMixture';

const LOG_2PI = Math.log(2 * Math.PI);

/** Checks the entries and returns the largest (-Infinity only if `allowAllMinusInfinity`). */
function checkedMax(who: string, name: string, values: ArrayLike<number>, allowAllMinusInfinity: boolean): number {
  if (values == null || typeof values !== 'object' || typeof values.length !== 'number') throw argumentError(who, name, 'a non-empty array of log-weights', values);
  if (values.length === 0) throw describedError(who, name, 'a non-empty array of log-weights', 'an empty array');
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || Number.isNaN(v) || v === Infinity) throw argumentError(who, `${name}[${i}]`, 'a number or -Infinity (never NaN or +Infinity)', v);
    if (v > max) max = v;
  }
  if (max === -Infinity && !allowAllMinusInfinity) {
    throw describedError(who, name, 'log-weights not all -Infinity (some draw must have weight > 0)', `all ${values.length} entries -Infinity`);
  }
  return max;
}

/** w_i = exp(l_i) / sum_j exp(l_j); -Infinity log-weights get weight 0. */
export function selfNormalizedWeights(logWeights: ArrayLike<number>): Float64Array {
  const max = checkedMax('selfNormalizedWeights', 'logWeights', logWeights, false);
  const w = Float64Array.from(logWeights, (l) => Math.exp(l - max));
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i];
  for (let i = 0; i < w.length; i++) w[i] /= sum;
  return w;
}

/** Kish's effective sample size (sum w)^2 / sum w^2 from log-weights, in [1, n]. */
export function effectiveSampleSize(logWeights: ArrayLike<number>): number {
  const max = checkedMax('effectiveSampleSize', 'logWeights', logWeights, false);
  // the shift by max cancels between numerator and denominator
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < logWeights.length; i++) {
    const w = Math.exp(logWeights[i] - max);
    s1 += w;
    s2 += w * w;
  }
  return (s1 * s1) / s2;
}

/**
 * log((1/n) sum_i exp(v_i)), e.g. the log of an importance-sampling estimate of a normalising
 * constant from its log-weights; -Infinity when every v_i is -Infinity.
 */
export function logMeanExp(values: ArrayLike<number>): number {
  const max = checkedMax('logMeanExp', 'values', values, true);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum / values.length);
}

/** log N(z_i; 0, I) for each of the n rows of a flat [n * dim] array: the latent prior. */
export function standardNormalLogDensity(points: ArrayLike<number>, n: number, dim: number): Float64Array {
  checkPoints('standardNormalLogDensity', 'points', points, n, dim);
  const out = new Float64Array(n);
  const c = -0.5 * dim * LOG_2PI;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += points[i * dim + j] * points[i * dim + j];
    out[i] = c - 0.5 * s;
  }
  return out;
}
