/**
 * Annealed importance sampling (Neal 2001, "Annealed importance sampling") with HMC
 * transitions, for the log-likelihood of a generator under a Gaussian observation model, as
 * Wu, Burda, Salakhutdinov and Grosse 2017 ("On the quantitative analysis of decoder-based
 * generative models") evaluate GANs:
 *
 *   p(z) = N(0, I),   p(x|z) = N(x; G(z), sigma^2 I),
 *   log p(x|z) = -|x - G(z)|^2 / (2 sigma^2) - (d/2) log(2 pi sigma^2),
 *   f_t(z) = p(z) p(x|z)^{beta_t},  0 = beta_0 < ... < beta_{T+1} = 1,
 *
 * so f_0 is the normalised prior and f_{T+1} integrates to p(x).
 *
 * Forward: z_0 ~ p(z), log w = 0; for t = 1..T+1, log w += (beta_t - beta_{t-1}) log p(x|z_{t-1}),
 * then (for t <= T) z_t = an HMC transition leaving f_t invariant. E[w] = p(x) exactly, so
 * log mean_c w_c is a stochastic lower bound on log p(x) (Jensen) that tightens as T grows.
 * The transition that would follow the last update (leaving the posterior f_{T+1} invariant)
 * changes no weight, so it is not run.
 *
 * Reverse, the other half of bidirectional Monte Carlo (Grosse, Ghahramani and Adams 2015,
 * "Sandwiching the marginal likelihood using bidirectional Monte Carlo"): start at an exact
 * posterior sample, which simulated data provide (draw z, then x ~ p(x|z): z is a posterior
 * sample for that x), and run the same chain backwards, from f_{T+1} down to f_0:
 *   log w_rev += (beta_{t-1} - beta_t) log p(x|z)   for t = T+1 down to 1,
 * with a transition leaving f_{t-1} invariant after each update but the last. Now
 * E[w_rev] = Z_0 / Z_{T+1} = 1 / p(x), so -log mean_c w_rev,c is a stochastic UPPER bound on
 * log p(x). The two runs sandwich the true value; the gap bounds the error of both.
 *
 * The likelihood is computed in float32 on the device (its constant term on the host), the
 * log-weights are summed in float64 on the host, and every random number comes from the
 * seeded host stream, so a run repeats exactly on a given backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkFinite, checkKnownOptions, checkPositive, checkPositiveInt } from '../core/args';
import { rng } from '../core/random';
import { checkSchedule } from './schedules';
import { ChainState, SplitTarget, acceptProposal, chainState, evaluateChains, leapfrogProposal } from './hmc';

export interface AisOptions {
  /** G: latents [m, latentDim] -> flat observations [m, d] (reshape images inside). Must be differentiable with tfjs. */
  generator: (z: tf.Tensor2D) => tf.Tensor2D;
  latentDim: number;
  /** The observations, [nx, d]. */
  data: tf.Tensor2D;
  /** Observation noise std of p(x|z) = N(G(z), sigma^2 I), > 0. */
  sigma: number;
  /** Independent AIS chains per observation (>= 1). */
  chains: number;
  /** The betas, 0 first, 1 last, strictly increasing (see annealingSchedule). */
  schedule: ArrayLike<number>;
  /** Leapfrog steps per HMC transition (default 10). */
  leapfrogSteps?: number;
  /** Leapfrog step size every observation starts with (default 0.05). */
  initialStepSize?: number;
  /**
   * Adapts each observation's step size (shared by its chains) towards this acceptance rate,
   * in (0, 1); default 0.65 (Wu et al.); null keeps the step sizes fixed. After each
   * transition the step size is multiplied by 1.02 when the share of that observation's
   * chains that accepted is above the target and divided by 1.02 otherwise, within
   * [1e-4, 0.5] (widened to include initialStepSize). A transition's step size is set
   * before it runs, from past transitions only, so each transition still leaves its own f_t
   * invariant, the argument Wu et al. give for the weights staying valid; null is the
   * strictly textbook choice.
   */
  targetAcceptance?: number | null;
  /**
   * Each transition multiplies every chain's step size by its own uniform factor in
   * [1 - stepJitter, 1 + stepJitter], in [0, 1) (default 0.2; 0 turns it off). On a nearly
   * Gaussian posterior a fixed trajectory length L * eps can sit near a period of the
   * dynamics and bring the chain back close to where it started (Neal 2011, "MCMC using
   * Hamiltonian dynamics", recommends randomising eps for this reason); on the course's
   * linear-Gaussian test problem a 0.2 jitter cut the spread of the log-weights by up to
   * half. The factor is drawn independently of the state, so every transition still leaves
   * its f_t invariant.
   */
  stepJitter?: number;
  /** Seed of the host random stream (default 1). */
  seed?: number;
  /**
   * Reverse (BDMC) run: an exact posterior sample per observation, [nx, latentDim] (row r for
   * data row r, e.g. the z that simulated x_r); every chain of observation r starts there and
   * the schedule is run from beta = 1 down to 0. The result is a stochastic UPPER bound on log p(x).
   */
  reverseFrom?: tf.Tensor2D;
  /** Called about every 1% of the schedule and at the end (for a progress display); may be async. */
  onProgress?: (info: { done: number; total: number }) => void | Promise<void>;
}

export interface AisResult {
  /**
   * Per observation, [nx]: forward, log mean_c exp(logWeights[r, c]), a stochastic lower bound
   * on log p(x_r); reverse, -log mean_c exp(-logWeights[r, c]), a stochastic upper bound.
   */
  logLikelihoods: Float64Array;
  /** Mean of logLikelihoods over observations. */
  mean: number;
  /** Standard error of that mean over observations (sample std / sqrt(nx); NaN for one observation). */
  stdErr: number;
  /**
   * Per chain, [nx * chains] row-major by observation. Forward: the AIS log-weights. Reverse:
   * the NEGATED reverse log-weights, so that every entry is a one-chain estimate of log p(x)
   * on the same scale as a forward run (an upper bound in expectation instead of a lower one).
   */
  logWeights: Float64Array;
  /** Mean acceptance rate over all transitions and chains (NaN when there were none). */
  acceptance: number;
  /** HMC transitions run (each on every chain at once): T for T intermediate distributions. */
  transitions: number;
  direction: 'forward' | 'reverse';
}

const STEP_CHANGE = 1.02;
const STEP_MIN = 1e-4;
const STEP_MAX = 0.5;

const KNOWN = ['generator', 'latentDim', 'data', 'sigma', 'chains', 'schedule', 'leapfrogSteps', 'initialStepSize', 'targetAcceptance', 'stepJitter', 'seed', 'reverseFrom', 'onProgress'] as const;

function shapeOf(t: unknown): unknown {
  return t instanceof tf.Tensor ? `tensor of shape [${t.shape.join(', ')}]` : t;
}

/** log mean exp of v[from..from+n), shifted by the largest term. */
function logMeanExp(v: Float64Array, from: number, n: number, sign: 1 | -1): number {
  let max = -Infinity;
  for (let i = from; i < from + n; i++) max = Math.max(max, sign * v[i]);
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (let i = from; i < from + n; i++) s += Math.exp(sign * v[i] - max);
  return max + Math.log(s / n);
}

/** Each row of x [nx, w] repeated `times` times in a row: [nx * times, w]. */
function repeatRows(x: tf.Tensor2D, times: number): tf.Tensor2D {
  const [n, w] = x.shape;
  if (times === 1) return tf.clone(x);
  return tf.tidy(() => tf.reshape(tf.tile(tf.reshape(x, [n, 1, w]), [1, times, 1]), [n * times, w]) as tf.Tensor2D);
}

async function checkFiniteTensor(who: string, name: string, t: tf.Tensor): Promise<void> {
  const values = await t.data();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw argumentError(who, `${name} (flat index ${i})`, 'finite', values[i]);
  }
}

/** Annealed importance sampling estimate of log p(x) for every row of `data`; see the module comment. */
export async function annealedImportanceSampling(opts: AisOptions): Promise<AisResult> {
  const who = 'annealedImportanceSampling';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'opts', 'an options object', opts);
  checkKnownOptions(who, opts, KNOWN);
  const { generator, latentDim, data, sigma, chains } = opts;
  if (typeof generator !== 'function') throw argumentError(who, 'generator', 'a function from latents [m, latentDim] to [m, d]', generator);
  checkPositiveInt(who, 'latentDim', latentDim);
  if (!(data instanceof tf.Tensor) || data.rank !== 2 || data.shape[0] < 1 || data.shape[1] < 1) throw argumentError(who, 'data', 'a tf.Tensor2D [nx, d]', shapeOf(data));
  checkPositive(who, 'sigma', sigma);
  checkPositiveInt(who, 'chains', chains);
  const schedule = checkSchedule(who, opts.schedule);
  const leapfrogSteps = opts.leapfrogSteps ?? 10;
  checkPositiveInt(who, 'leapfrogSteps', leapfrogSteps);
  const initialStepSize = opts.initialStepSize ?? 0.05;
  checkPositive(who, 'initialStepSize', initialStepSize);
  const targetAcceptance = opts.targetAcceptance === undefined ? 0.65 : opts.targetAcceptance;
  if (targetAcceptance !== null && (typeof targetAcceptance !== 'number' || !(targetAcceptance > 0 && targetAcceptance < 1))) {
    throw argumentError(who, 'targetAcceptance', 'a number in (0, 1) or null', targetAcceptance);
  }
  const stepJitter = opts.stepJitter ?? 0.2;
  if (typeof stepJitter !== 'number' || !(stepJitter >= 0 && stepJitter < 1)) throw argumentError(who, 'stepJitter', 'a number in [0, 1)', stepJitter);
  const seed = opts.seed ?? 1;
  checkFinite(who, 'seed', seed);
  if (opts.onProgress != null && typeof opts.onProgress !== 'function') throw argumentError(who, 'onProgress', 'a function', opts.onProgress);
  const [nx, d] = data.shape;
  const reverse = opts.reverseFrom != null;
  if (reverse) {
    const r = opts.reverseFrom;
    if (!(r instanceof tf.Tensor) || r.rank !== 2 || r.shape[0] !== nx || r.shape[1] !== latentDim) {
      throw argumentError(who, 'reverseFrom', `a tf.Tensor2D [nx, latentDim] = [${nx}, ${latentDim}] (one posterior sample per data row)`, shapeOf(r));
    }
    await checkFiniteTensor(who, 'reverseFrom', r);
  }
  await checkFiniteTensor(who, 'data', data);

  // One row through G, so that a wrong latentDim or data width is named before any sampling.
  const probe = tf.tidy(() => {
    let out: tf.Tensor;
    try {
      out = generator(tf.zeros([1, latentDim]) as tf.Tensor2D);
    } catch (e) {
      throw new Error(`${who}: generator failed on a [1, ${latentDim}] batch of latents (is latentDim right?): ${(e as Error).message}`);
    }
    if (!(out instanceof tf.Tensor)) throw argumentError(who, 'generator', 'a function returning a tf.Tensor2D [m, d]', out);
    return out.shape.slice();
  });
  if (probe.length !== 2 || probe[0] !== 1) throw new Error(`${who}: generator must map latents [m, ${latentDim}] to rows [m, d], got shape [${probe.join(', ')}] for one latent`);
  if (probe[1] !== d) throw new Error(`${who}: generator outputs ${probe[1]} values per row but data rows have ${d}`);

  const m = nx * chains;
  const random = rng(seed);
  const x = data.dtype === 'float32' ? data : (tf.cast(data, 'float32') as tf.Tensor2D);
  const xRows = repeatRows(x, chains);
  if (x !== data) x.dispose();
  // ell(z) = -|x - G(z)|^2 / (2 sigma^2): log p(x|z) without its constant, which joins in float64.
  const inv2s2 = 1 / (2 * sigma * sigma);
  const logNormaliser = -0.5 * d * Math.log(2 * Math.PI * sigma * sigma);
  const ell = (z: tf.Tensor2D): tf.Tensor1D => tf.mul(tf.sum(tf.square(tf.sub(xRows, generator(z))), 1), -inv2s2) as tf.Tensor1D;

  // Betas in the order the chain visits them: 0 -> 1 forward, 1 -> 0 reverse.
  const K = schedule.length - 1;
  const betas = reverse ? schedule.slice().reverse() : schedule;
  let z: tf.Tensor2D;
  if (reverse) {
    z = repeatRows(opts.reverseFrom as tf.Tensor2D, chains);
  } else {
    const z0 = new Float32Array(m * latentDim);
    for (let i = 0; i < z0.length; i++) z0[i] = random.normal();
    z = tf.tensor2d(z0, [m, latentDim]);
  }

  const logw = new Float64Array(m);
  const stepByObservation = new Float64Array(nx).fill(initialStepSize);
  const stepLo = Math.min(STEP_MIN, initialStepSize);
  const stepHi = Math.max(STEP_MAX, initialStepSize);
  const stepSizes = new Float64Array(m);
  const every = Math.max(1, Math.round(K / 100));
  let acceptedTotal = 0;
  let transitions = 0;
  let state: ChainState | null = null;
  try {
    if (K === 1) {
      // No transition: only the likelihood at the start is needed, not its gradient.
      const lik = tf.tidy(() => ell(z));
      let values: ArrayLike<number>;
      try {
        values = await lik.data();
      } finally {
        lik.dispose();
      }
      for (let r = 0; r < m; r++) logw[r] = (betas[1] - betas[0]) * (values[r] + logNormaliser);
      if (opts.onProgress) await opts.onProgress({ done: 1, total: 1 });
    } else {
      const evaluated = evaluateChains(who, ell, z);
      state = chainState(z, evaluated, await evaluated.summary.data());
      for (let t = 1; t <= K; t++) {
        // log f_t(z) - log f_{t-1}(z) at the current z: forward dBeta = beta_t - beta_{t-1} > 0;
        // reverse the betas run backwards, so dBeta = beta_{t-1} - beta_t < 0 in the schedule's
        // own numbering, and logw accumulates log w_rev (about -log p(x)).
        const dBeta = betas[t] - betas[t - 1];
        for (let r = 0; r < m; r++) logw[r] += dBeta * (state.ell[r] + logNormaliser);
        if (t < K) {
          const target: SplitTarget = { ell, beta: betas[t], prior: true };
          for (let r = 0; r < m; r++) {
            const jitter = stepJitter > 0 ? 1 + stepJitter * (2 * random.uniform() - 1) : 1;
            stepSizes[r] = stepByObservation[Math.floor(r / chains)] * jitter;
          }
          const proposal = leapfrogProposal(who, target, state, stepSizes, leapfrogSteps, random);
          let summary: ArrayLike<number>;
          try {
            summary = await proposal.summary.data();
          } catch (e) {
            proposal.z.dispose();
            proposal.gradEll.dispose();
            proposal.summary.dispose();
            throw e;
          }
          const oldZ = state.z;
          const next = acceptProposal(target, state, proposal, summary);
          oldZ.dispose();
          state = next.state;
          z = state.z;
          transitions++;
          acceptedTotal += next.acceptance;
          if (targetAcceptance !== null) {
            for (let o = 0; o < nx; o++) {
              let a = 0;
              for (let c = 0; c < chains; c++) a += next.accepted[o * chains + c];
              const s = a / chains > targetAcceptance ? stepByObservation[o] * STEP_CHANGE : stepByObservation[o] / STEP_CHANGE;
              stepByObservation[o] = Math.min(stepHi, Math.max(stepLo, s));
            }
          }
        }
        if (opts.onProgress && (t % every === 0 || t === K)) await opts.onProgress({ done: t, total: K });
      }
    }
  } finally {
    state?.gradEll.dispose();
    z.dispose();
    xRows.dispose();
  }

  const logWeights = new Float64Array(m);
  const logLikelihoods = new Float64Array(nx);
  for (let i = 0; i < m; i++) logWeights[i] = reverse ? -logw[i] : logw[i];
  for (let o = 0; o < nx; o++) {
    // reverse: log p(x) ~ -log mean exp(log w_rev) = -log mean exp(-logWeights)
    logLikelihoods[o] = reverse ? -logMeanExp(logWeights, o * chains, chains, -1) : logMeanExp(logWeights, o * chains, chains, 1);
  }
  let mean = 0;
  for (const v of logLikelihoods) mean += v;
  mean /= nx;
  let ss = 0;
  for (const v of logLikelihoods) ss += (v - mean) ** 2;
  const stdErr = nx > 1 ? Math.sqrt(ss / (nx - 1) / nx) : NaN;
  return {
    logLikelihoods,
    mean,
    stdErr,
    logWeights,
    acceptance: transitions > 0 ? acceptedTotal / transitions : NaN,
    transitions,
    direction: reverse ? 'reverse' : 'forward',
  };
}
