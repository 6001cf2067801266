/**
 * Mixtures of Gaussians with diagonal covariances, in plain float64: the log-density, seeded
 * sampling, a weighted EM fit and parameter smoothing. They are the importance-sampling
 * proposals in a generator's latent space: draw z from q, weight each draw by p(z | x) / q(z),
 * and refit q to the weighted draws by EM (Dempster, Laird and Rubin 1977) on the weighted
 * log-likelihood sum_i w_i log q(z_i). Since the weighted draws stand in for p, each refit
 * moves q towards p in KL(p || q), the mass-covering direction an importance proposal needs;
 * this is the mixture version of population Monte Carlo / adaptive importance sampling
 * (Cappé, Guillin, Marin and Robert 2004; Cappé, Douc, Guillin, Marin and Robert 2008).
 *
 * Diagonal covariances keep the M-step in closed form and every density O(K d) per point, and
 * they cannot become singular in a few dozen latent dimensions from a few hundred draws, which
 * full covariances would. A refit from one batch of draws is noisy, so successive proposals are
 * smoothed parameter by parameter (smoothMixture); that only means something if component k
 * stays component k across refits, which is why fitMixtureEM always starts from a given mixture
 * rather than from its own random initialisation.
 *
 * Points travel as flat row-major arrays of n rows of length dim, like the feature rows of the
 * metrics; every density is computed in the log domain, because a proposal evaluated at draws
 * from a distant target underflows exp long before it is wrong.
 */
import { argumentError, checkKnownOptions, checkNonNegative, checkNonNegativeInt, checkPositive, checkPositiveInt } from '../core/args';
import { rng, Rng } from '../core/random';

export interface DiagonalGaussianMixture {
  dim: number;
  /** K mixing weights, summing to 1. */
  weights: Float64Array;
  /** [K * dim] component means, row k = component k. */
  means: Float64Array;
  /** [K * dim] per-coordinate variances, all > 0. */
  variances: Float64Array;
}

export interface GaussianMixtureSpec {
  /** K mixing weights, each >= 0, summing to 1 within 1e-6. */
  weights: ArrayLike<number>;
  /** [K * dim] component means, row k = component k. */
  means: ArrayLike<number>;
  /** [K * dim] per-coordinate variances, each finite and > 0. */
  variances: ArrayLike<number>;
  dim: number;
}

/**
 * How far the weights may sum from 1. Loose enough for weights typed as decimals or read back
 * from JSON, tight enough that a vector that was never normalised is refused instead of quietly
 * rescaled: a proposal whose density does not integrate to 1 biases every importance weight.
 */
const WEIGHT_SUM_TOLERANCE = 1e-6;

/**
 * A component whose share of the responsibility mass falls below this keeps its previous mean
 * and variance (a mean estimated from 1e-12 of the mass is noise) and gets this as its weight.
 * Not zero: a zero weight is absorbing under EM (its responsibilities are exactly 0 from then
 * on), whereas a tiny one lets the component come back if later draws land near it, and keeps
 * log q finite where only that component has support.
 */
const VANISHED_MASS = 1e-12;

const LOG_2PI = Math.log(2 * Math.PI);

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return v != null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number';
}

/**
 * `who: name must be what, got got` with `got` written as given: for a summary ("a sum of
 * 0.9", "3 components") where argumentError would quote it or print a whole array.
 */
export function describedError(who: string, name: string, what: string, got: string): Error {
  return new Error(`${who}: ${name} must be ${what}, got ${got}`);
}

/**
 * `points` holds n finite rows of length dim (n >= minRows). Shared with importanceWeights.ts,
 * not part of the public API.
 */
export function checkPoints(who: string, name: string, points: ArrayLike<number>, n: number, dim: number, minRows = 0): void {
  checkPositiveInt(who, 'dim', dim);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < minRows) throw argumentError(who, 'n', `an integer >= ${minRows} (the number of rows of ${name})`, n);
  if (!isArrayLike(points)) throw argumentError(who, name, 'a flat row-major array of n*dim numbers', points);
  if (points.length !== n * dim) throw new Error(`${who}: ${name} must hold n*dim = ${n}*${dim} = ${n * dim} values, got ${points.length}`);
  for (let i = 0; i < points.length; i++) {
    if (typeof points[i] !== 'number' || !Number.isFinite(points[i])) {
      throw argumentError(who, `${name} row ${Math.floor(i / dim)} entry ${i % dim}`, 'a finite number', points[i]);
    }
  }
}

/**
 * Validates a mixture's fields; `prefix` is how the mixture is named in messages ('' for the
 * spec given to gaussianMixture, 'm.' or 'opts.init.' elsewhere). Returns K.
 */
function checkMixtureFields(who: string, prefix: string, m: GaussianMixtureSpec): number {
  if (m == null || typeof m !== 'object') throw argumentError(who, prefix ? prefix.slice(0, -1) : 'spec', 'a mixture { dim, weights, means, variances }', m);
  checkPositiveInt(who, `${prefix}dim`, m.dim);
  const { weights, means, variances, dim } = m;
  if (!isArrayLike(weights)) throw argumentError(who, `${prefix}weights`, 'a non-empty array of mixing weights (one per component)', weights);
  if (weights.length === 0) throw describedError(who, `${prefix}weights`, 'a non-empty array of mixing weights (one per component)', 'no components');
  const K = weights.length;
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const w = weights[k];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw argumentError(who, `${prefix}weights[${k}]`, 'a finite number >= 0', w);
    sum += w;
  }
  if (!(Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE)) {
    throw describedError(who, `${prefix}weights`, 'mixing weights summing to 1 (within 1e-6; normalise them yourself)', `a sum of ${sum}`);
  }
  for (const [field, values] of [['means', means], ['variances', variances]] as const) {
    if (!isArrayLike(values)) throw argumentError(who, `${prefix}${field}`, `a flat [K * dim] array`, values);
    if (values.length !== K * dim) throw new Error(`${who}: ${prefix}${field} must hold K*dim = ${K}*${dim} = ${K * dim} values, got ${values.length}`);
  }
  for (let i = 0; i < means.length; i++) {
    if (typeof means[i] !== 'number' || !Number.isFinite(means[i])) throw argumentError(who, `${prefix}means[${i}]`, 'a finite number', means[i]);
  }
  for (let i = 0; i < variances.length; i++) checkPositive(who, `${prefix}variances[${i}]`, variances[i]);
  return K;
}

/** Validates and copies (the copy owns its arrays, so the caller may reuse theirs). */
export function gaussianMixture(spec: GaussianMixtureSpec): DiagonalGaussianMixture {
  const who = 'gaussianMixture';
  checkMixtureFields(who, '', spec);
  checkKnownOptions(who, spec, ['weights', 'means', 'variances', 'dim']);
  return {
    dim: spec.dim,
    weights: Float64Array.from(spec.weights),
    means: Float64Array.from(spec.means),
    variances: Float64Array.from(spec.variances),
  };
}

export interface StandardNormalMixtureOptions {
  /** Number of components K (default 1). */
  components?: number;
  /**
   * Means are drawn N(0, spread^2 I). Default 0 for one component (the prior N(0, variance I)
   * exactly) and 1 for several: identical components would get identical responsibilities and
   * EM could never tell them apart.
   */
  spread?: number;
  /** Seed for the means (default 0). */
  seed?: number;
  /** Every component's variance in every coordinate (default 1). */
  variance?: number;
}

/**
 * K equally weighted components N(mu_k, variance I) with mu_k ~ N(0, spread^2 I): with the
 * defaults, the standard normal prior as a one-component mixture; with several components, a
 * start for fitMixtureEM that already covers the prior.
 */
export function standardNormalMixture(dim: number, opts: StandardNormalMixtureOptions = {}): DiagonalGaussianMixture {
  const who = 'standardNormalMixture';
  checkPositiveInt(who, 'dim', dim);
  checkKnownOptions(who, opts, ['components', 'spread', 'seed', 'variance']);
  const K = opts.components ?? 1;
  checkPositiveInt(who, 'opts.components', K);
  const spread = opts.spread ?? (K === 1 ? 0 : 1);
  checkNonNegative(who, 'opts.spread', spread);
  const variance = opts.variance ?? 1;
  checkPositive(who, 'opts.variance', variance);
  const seed = opts.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argumentError(who, 'opts.seed', 'a finite number', seed);
  const r = rng(seed);
  const means = new Float64Array(K * dim);
  if (spread > 0) for (let i = 0; i < means.length; i++) means[i] = spread * r.normal();
  return { dim, weights: new Float64Array(K).fill(1 / K), means, variances: new Float64Array(K * dim).fill(variance) };
}

/** The per-component parts of log w_k N(x; mu_k, diag v_k) that do not depend on x. */
interface ComponentTerms {
  /** log w_k - (1/2) sum_j log(2 pi v_kj); -Infinity for a zero weight. */
  logConst: Float64Array;
  /** [K * dim] 1 / v_kj. */
  invVar: Float64Array;
}

function componentTerms(m: DiagonalGaussianMixture): ComponentTerms {
  const K = m.weights.length;
  const { dim } = m;
  const logConst = new Float64Array(K);
  const invVar = new Float64Array(K * dim);
  for (let k = 0; k < K; k++) {
    let logDet = 0;
    for (let j = 0; j < dim; j++) {
      const v = m.variances[k * dim + j];
      logDet += Math.log(v);
      invVar[k * dim + j] = 1 / v;
    }
    logConst[k] = Math.log(m.weights[k]) - 0.5 * (dim * LOG_2PI + logDet);
  }
  return { logConst, invVar };
}

/**
 * Fills out[k] = log w_k N(x_i; mu_k, diag v_k) for row i and returns log q(x_i). The largest
 * term is factored out before exponentiating, so the result stays exact when every term alone
 * would underflow (a point 40 standard deviations out has log-terms near -800).
 */
function logJoint(m: DiagonalGaussianMixture, t: ComponentTerms, points: ArrayLike<number>, i: number, out: Float64Array): number {
  const { dim, means } = m;
  const K = out.length;
  const off = i * dim;
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    if (t.logConst[k] === -Infinity) {
      out[k] = -Infinity;
      continue;
    }
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const d = points[off + j] - means[k * dim + j];
      s += d * d * t.invVar[k * dim + j];
    }
    out[k] = t.logConst[k] - 0.5 * s;
    if (out[k] > max) max = out[k];
  }
  // only when squared distances overflow (coordinates near 1e154): the density really is 0
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(out[k] - max);
  return max + Math.log(sum);
}

/** log q(x_i) for each of the n rows of `points` ([n * dim]). */
export function mixtureLogDensity(m: DiagonalGaussianMixture, points: ArrayLike<number>, n: number): Float64Array {
  const who = 'mixtureLogDensity';
  const K = checkMixtureFields(who, 'm.', m);
  checkPoints(who, 'points', points, n, m.dim);
  const t = componentTerms(m);
  const scratch = new Float64Array(K);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = logJoint(m, t, points, i, scratch);
  return out;
}

export interface MixtureSample {
  /** [n * dim] draws, row i = draw i. */
  points: Float64Array;
  /** The component each draw came from. */
  components: Int32Array;
}

/** n draws from the mixture, from a seeded Rng or a seed (the same seed gives the same draws). */
export function sampleMixture(m: DiagonalGaussianMixture, n: number, random: Rng | number): MixtureSample {
  const who = 'sampleMixture';
  const K = checkMixtureFields(who, 'm.', m);
  checkNonNegativeInt(who, 'n', n);
  let r: Rng;
  if (typeof random === 'number') {
    if (!Number.isFinite(random)) throw argumentError(who, 'random', 'an Rng or a finite seed', random);
    r = rng(random);
  } else if (random != null && typeof random.uniform === 'function' && typeof random.normal === 'function') {
    r = random;
  } else {
    throw argumentError(who, 'random', 'an Rng or a finite seed', random);
  }
  const { dim } = m;
  const cumulative = new Float64Array(K);
  let acc = 0;
  let lastPositive = 0;
  for (let k = 0; k < K; k++) {
    acc += m.weights[k];
    cumulative[k] = acc;
    if (m.weights[k] > 0) lastPositive = k;
  }
  const sd = Float64Array.from(m.variances, Math.sqrt);
  const points = new Float64Array(n * dim);
  const components = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    // a zero weight leaves cumulative flat, so `u < cumulative[k]` can never pick it; weights
    // summing to just under 1 are caught by the fallback, which is never a zero-weight component
    let k = 0;
    while (k < K && !(u < cumulative[k])) k++;
    if (k === K) k = lastPositive;
    components[i] = k;
    for (let j = 0; j < dim; j++) points[i * dim + j] = m.means[k * dim + j] + sd[k * dim + j] * r.normal();
  }
  return { points, components };
}

export interface FitMixtureEMOptions {
  /**
   * The mixture to start from; its K is the number of components. Required, so that component k
   * of the result is the refit of component k of the start (smoothMixture relies on it).
   */
  init: DiagonalGaussianMixture;
  /** n non-negative weights, not all zero (default: all equal); only their ratios matter. */
  sampleWeights?: ArrayLike<number>;
  /** Largest number of EM iterations (default 20). */
  iterations?: number;
  /**
   * Stop once an iteration raises the weighted mean log-likelihood by less than
   * tol * max(1, |value|) (default 1e-8): relative, except near 0 where it is absolute.
   */
  tol?: number;
  /** Floor on every variance (default 1e-6), so a component cannot collapse onto one point. */
  minVariance?: number;
}

export interface FitMixtureEMResult {
  mixture: DiagonalGaussianMixture;
  /**
   * The weighted mean log-likelihood sum_i w_i log q(x_i) (weights normalised to sum 1) of the
   * mixture after each iteration: non-decreasing up to rounding and to the 1e-12 weight given
   * to a vanished component.
   */
  logLikelihoods: number[];
  /** Iterations run (fewer than opts.iterations when the tolerance stopped it). */
  iterations: number;
}

function normalisedSampleWeights(who: string, w: ArrayLike<number> | undefined, n: number): Float64Array {
  const a = new Float64Array(n);
  if (w === undefined) {
    a.fill(1);
  } else {
    if (!isArrayLike(w)) throw argumentError(who, 'opts.sampleWeights', 'an array of n non-negative weights', w);
    if (w.length !== n) throw new Error(`${who}: opts.sampleWeights must hold one weight per point (${n}), got ${w.length}`);
    for (let i = 0; i < n; i++) {
      if (typeof w[i] !== 'number' || !Number.isFinite(w[i]) || w[i] < 0) throw argumentError(who, `opts.sampleWeights[${i}]`, 'a finite number >= 0', w[i]);
      a[i] = w[i];
    }
  }
  // the default goes through the same division, so all-ones weights reproduce it bit for bit
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i];
  if (!(sum > 0)) throw describedError(who, 'opts.sampleWeights', 'weights that are not all zero', `${n} zeros`);
  for (let i = 0; i < n; i++) a[i] /= sum;
  return a;
}

/**
 * Weighted EM for a diagonal Gaussian mixture: maximises sum_i w_i log q(x_i) over the weights,
 * means and variances, starting from opts.init. With w_i = p(x_i) / q_0(x_i) for draws x_i from
 * q_0, this is the refit step of adaptive importance sampling.
 *
 * Clipping a variance to minVariance is the exact maximiser of the M-step under the constraint
 * v >= minVariance (the objective in each v is unimodal), so the floor does not break EM's
 * monotone ascent. A component whose responsibility mass falls below 1e-12 of the total keeps
 * its previous mean and variance and gets weight 1e-12 before the weights are renormalised.
 */
export function fitMixtureEM(points: ArrayLike<number>, n: number, opts: FitMixtureEMOptions): FitMixtureEMResult {
  const who = 'fitMixtureEM';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'opts', 'an object with at least { init }', opts);
  checkKnownOptions(who, opts, ['init', 'sampleWeights', 'iterations', 'tol', 'minVariance']);
  if (opts.init == null) throw argumentError(who, 'opts.init', 'a mixture to start from (its K sets the number of components)', opts.init);
  const K = checkMixtureFields(who, 'opts.init.', opts.init);
  const { dim } = opts.init;
  checkPoints(who, 'points', points, n, dim, 1);
  const maxIterations = opts.iterations ?? 20;
  checkPositiveInt(who, 'opts.iterations', maxIterations);
  const tol = opts.tol ?? 1e-8;
  checkNonNegative(who, 'opts.tol', tol);
  const minVariance = opts.minVariance ?? 1e-6;
  checkPositive(who, 'opts.minVariance', minVariance);
  const a = normalisedSampleWeights(who, opts.sampleWeights, n);

  let current: DiagonalGaussianMixture = {
    dim,
    weights: Float64Array.from(opts.init.weights),
    means: Float64Array.from(opts.init.means),
    variances: Float64Array.from(opts.init.variances),
  };
  // resp[i * K + k] = w_i * r_ik: the sample weight already folded into the responsibility
  const resp = new Float64Array(n * K);
  const scratch = new Float64Array(K);
  const eStep = (m: DiagonalGaussianMixture): number => {
    const t = componentTerms(m);
    let objective = 0;
    for (let i = 0; i < n; i++) {
      const lq = logJoint(m, t, points, i, scratch);
      for (let k = 0; k < K; k++) resp[i * K + k] = a[i] === 0 ? 0 : a[i] * Math.exp(scratch[k] - lq);
      if (a[i] !== 0) objective += a[i] * lq;
    }
    return objective;
  };
  const mStep = (prev: DiagonalGaussianMixture): DiagonalGaussianMixture => {
    const mass = new Float64Array(K);
    const means = new Float64Array(K * dim);
    const variances = new Float64Array(K * dim);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const r = resp[i * K + k];
        if (r === 0) continue;
        mass[k] += r;
        for (let j = 0; j < dim; j++) means[k * dim + j] += r * points[i * dim + j];
      }
    }
    const vanished = Array.from(mass, (mk) => mk < VANISHED_MASS);
    for (let k = 0; k < K; k++) {
      if (vanished[k]) continue;
      for (let j = 0; j < dim; j++) means[k * dim + j] /= mass[k];
    }
    // about the new means, in a second pass: E[x^2] - E[x]^2 would cancel badly for tight components
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const r = resp[i * K + k];
        if (r === 0 || vanished[k]) continue;
        for (let j = 0; j < dim; j++) {
          const d = points[i * dim + j] - means[k * dim + j];
          variances[k * dim + j] += r * d * d;
        }
      }
    }
    const weights = new Float64Array(K);
    let total = 0;
    for (let k = 0; k < K; k++) {
      if (vanished[k]) {
        weights[k] = VANISHED_MASS;
        for (let j = 0; j < dim; j++) {
          means[k * dim + j] = prev.means[k * dim + j];
          variances[k * dim + j] = prev.variances[k * dim + j];
        }
      } else {
        weights[k] = mass[k];
        for (let j = 0; j < dim; j++) variances[k * dim + j] = Math.max(minVariance, variances[k * dim + j] / mass[k]);
      }
      total += weights[k];
    }
    for (let k = 0; k < K; k++) weights[k] /= total;
    return { dim, weights, means, variances };
  };

  let objective = eStep(current);
  const logLikelihoods: number[] = [];
  let iterations = 0;
  while (iterations < maxIterations) {
    current = mStep(current);
    const next = eStep(current);
    logLikelihoods.push(next);
    iterations++;
    const improvement = next - objective;
    objective = next;
    if (improvement < tol * Math.max(1, Math.abs(next))) break;
  }
  return { mixture: current, logLikelihoods, iterations };
}

/**
 * Exponential smoothing of a refit, component by component: theta = (1 - rate) * previous +
 * rate * fresh for the weights, means and variances. Convex combinations keep the weights
 * summing to 1 and the variances positive. Averaging the parameters, not the densities, keeps K
 * components (a density average would double them at every step); it damps the noise of a refit
 * from one batch of weighted draws the way a step size does.
 */
export function smoothMixture(previous: DiagonalGaussianMixture, fresh: DiagonalGaussianMixture, rate: number): DiagonalGaussianMixture {
  const who = 'smoothMixture';
  const K = checkMixtureFields(who, 'previous.', previous);
  const Kf = checkMixtureFields(who, 'fresh.', fresh);
  if (fresh.dim !== previous.dim) throw argumentError(who, 'fresh.dim', `previous.dim = ${previous.dim}`, fresh.dim);
  if (Kf !== K) throw describedError(who, 'fresh', `a mixture with the same number of components as previous (${K})`, `${Kf}`);
  if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) throw argumentError(who, 'rate', 'in (0, 1]', rate);
  const mix = (p: ArrayLike<number>, f: ArrayLike<number>): Float64Array => Float64Array.from(p, (pv, i) => (1 - rate) * pv + rate * f[i]);
  return {
    dim: previous.dim,
    weights: mix(previous.weights, fresh.weights),
    means: mix(previous.means, fresh.means),
    variances: mix(previous.variances, fresh.variances),
  };
}
