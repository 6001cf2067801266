/**
 * The Gaussian Parzen-window log-likelihood estimate (Parzen 1962; Breuleux, Bengio and
 * Vincent 2011) that Goodfellow et al. 2014 and Mirza and Osindero 2014 reported for GANs on
 * MNIST: fit a kernel density with isotropic Gaussian kernels of width sigma on n generated
 * samples s_i, and average its log-density over held-out test points,
 *   log p(x) = logsumexp_i(-|x - s_i|^2 / (2 sigma^2)) - log n - (d/2) log(2 pi sigma^2),
 * with sigma chosen by maximising the same average on a validation set. The course reports
 * it for comparison with those papers; Theis, van den Oord and Bethge 2016 showed it is a poor
 * guide to sample quality in high dimension, which is worth seeing on the digits too.
 * Every log-density goes through log-sum-exp, since the exponentials underflow for any
 * sigma small enough to be useful.
 */
import { argumentError, checkKnownOptions, checkPositive } from '../core/args';
import { checkRows, squaredDistance } from './featureRows';

export interface ParzenLogLikelihood {
  /** Mean log-density over the test points, in nats. */
  mean: number;
  /** Standard error of that mean (sample std / sqrt(n)). */
  stdErr: number;
  /** The log-density at each test point. */
  logDensities: Float64Array;
  sigma: number;
}

/** Log-densities at each test point for each sigma; the distances are computed once for all sigmas. */
function logDensityGrid(samples: ArrayLike<number>, nS: number, test: ArrayLike<number>, nT: number, dim: number, sigmas: readonly number[]): Float64Array[] {
  const out = sigmas.map(() => new Float64Array(nT));
  const d2 = new Float64Array(nS);
  const consts = sigmas.map((s) => -Math.log(nS) - 0.5 * dim * Math.log(2 * Math.PI * s * s));
  for (let t = 0; t < nT; t++) {
    let min = Infinity;
    for (let i = 0; i < nS; i++) {
      d2[i] = squaredDistance(test, t, samples, i, dim);
      if (d2[i] < min) min = d2[i];
    }
    for (let k = 0; k < sigmas.length; k++) {
      const inv = 1 / (2 * sigmas[k] * sigmas[k]);
      // the nearest sample sets the scale: every term is exp(<= 0), the largest exactly 1
      let sum = 0;
      for (let i = 0; i < nS; i++) sum += Math.exp(-(d2[i] - min) * inv);
      out[k][t] = -min * inv + Math.log(sum) + consts[k];
    }
  }
  return out;
}

function summary(logDensities: Float64Array, sigma: number): ParzenLogLikelihood {
  const n = logDensities.length;
  let mean = 0;
  for (const v of logDensities) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of logDensities) ss += (v - mean) ** 2;
  return { mean, stdErr: Math.sqrt(ss / (n - 1) / n), logDensities, sigma };
}

function checkSigmas(who: string, sigmas: readonly number[]): void {
  if (!Array.isArray(sigmas) || sigmas.length === 0) throw argumentError(who, 'sigmas', 'a non-empty array of kernel widths', sigmas);
  sigmas.forEach((s, i) => checkPositive(who, `sigmas[${i}]`, s));
}

/** Mean Parzen log-likelihood of `test` under kernels of width `sigma` on `samples`. */
export function parzenLogLikelihood(
  samples: ArrayLike<number>,
  nSamples: number,
  test: ArrayLike<number>,
  nTest: number,
  dim: number,
  sigma: number,
): ParzenLogLikelihood {
  const who = 'parzenLogLikelihood';
  checkPositive(who, 'sigma', sigma);
  checkRows(who, 'samples', samples, nSamples, dim, 1);
  checkRows(who, 'test', test, nTest, dim, 2); // two, for a standard error
  return summary(logDensityGrid(samples, nSamples, test, nTest, dim, [sigma])[0], sigma);
}

/**
 * Ten widths log-spaced over [0.1, 1], the grid of the original MNIST experiments (pixels in
 * [0, 1]); for other data scale it to the data's spread.
 */
export function defaultParzenSigmas(): number[] {
  return Array.from({ length: 10 }, (_, i) => 10 ** (-1 + i / 9));
}

export interface ParzenSigmaSearch {
  /** The width with the largest mean validation log-likelihood. */
  sigma: number;
  /** Mean validation log-likelihood for every width tried, in the order given. */
  curve: { sigma: number; mean: number }[];
}

/** Picks sigma by maximising the mean log-likelihood of `validation` (never the test set: that would fit sigma to it). */
export function parzenSelectSigma(
  samples: ArrayLike<number>,
  nSamples: number,
  validation: ArrayLike<number>,
  nValidation: number,
  dim: number,
  sigmas: readonly number[] = defaultParzenSigmas(),
): ParzenSigmaSearch {
  const who = 'parzenSelectSigma';
  checkSigmas(who, sigmas);
  checkRows(who, 'samples', samples, nSamples, dim, 1);
  checkRows(who, 'validation', validation, nValidation, dim, 1);
  const grid = logDensityGrid(samples, nSamples, validation, nValidation, dim, sigmas);
  const curve = grid.map((ld, k) => ({ sigma: sigmas[k], mean: ld.reduce((a, b) => a + b, 0) / nValidation }));
  let best = 0;
  for (let k = 1; k < curve.length; k++) if (curve[k].mean > curve[best].mean) best = k;
  return { sigma: curve[best].sigma, curve };
}

export interface ParzenEstimateOptions {
  /** Widths to search (default defaultParzenSigmas()). */
  sigmas?: readonly number[];
}

export interface ParzenEstimate extends ParzenLogLikelihood {
  curve: { sigma: number; mean: number }[];
}

/** The whole protocol: sigma by validation, then the test log-likelihood with its standard error. */
export function parzenEstimate(
  samples: ArrayLike<number>,
  nSamples: number,
  validation: ArrayLike<number>,
  nValidation: number,
  test: ArrayLike<number>,
  nTest: number,
  dim: number,
  opts: ParzenEstimateOptions = {},
): ParzenEstimate {
  checkKnownOptions('parzenEstimate', opts, ['sigmas']);
  checkRows('parzenEstimate', 'test', test, nTest, dim, 2);
  const { sigma, curve } = parzenSelectSigma(samples, nSamples, validation, nValidation, dim, opts.sigmas ?? defaultParzenSigmas());
  return { ...parzenLogLikelihood(samples, nSamples, test, nTest, dim, sigma), curve };
}
