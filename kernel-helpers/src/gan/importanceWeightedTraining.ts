/**
 * The importance-sampling algorithm of the course document `001`, made precise:
 *
 *   1. D is trained as usual (non-saturating BCE, z ~ p(z) = N(0, I)); its logit d(x)
 *      estimates log p_data(x) / p_g(x) (exact at the optimum).
 *   2. The "energy surrogate": the latent target p*(z) ∝ p(z) e^{d(G(z))}, whose push-forward
 *      by G is p_data when d is exact, and which needs no Jacobian of G.
 *   3. A proposal q(z), a diagonal Gaussian mixture, refitted every `refitEvery` steps by
 *      weighted EM on the latents of the last `refitEvery` generator batches (weighted by
 *      their importance weights), with exponential smoothing of its parameters.
 *   4. For each generator batch z_i ~ q, log-weights l_i = log p(z_i) + d(G(z_i)) - log q(z_i),
 *      self-normalised: w_i = e^{l_i} / sum_j e^{l_j}.
 *   5. The generator step minimises sum_i w_i * softplus(-D(G(z_i))), the non-saturating
 *      loss weighted per sample (Hu et al. 2018, importance-weighted GANs, weight samples by
 *      D/(1 - D) = e^d; here with z drawn from q instead of p, hence the p/q factor).
 *
 * `weighting: 'none'` runs the same code with z ~ p and equal weights: the plain GAN, so that a
 * comparison differs in the algorithm only. The weights are constants in the generator's
 * gradient (the source gives no gradient through them, and differentiating a self-normalised
 * weight through D would reward G for moving samples where D is fooled twice over).
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInRange, checkInteger, checkKnownOptions, checkOneOf } from '../core/args';
import { rng, Rng } from '../core/random';
import { ensureCourseGradients } from '../backend/courseGradients';
import type { BatchSampler } from '../data/batches';
import type { Net } from '../nn/net';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule } from '../nn/schedules';
import {
  DiagonalGaussianMixture, fitMixtureEM, mixtureLogDensity, sampleMixture, smoothMixture, standardNormalMixture,
} from '../sampling/gaussianMixture';
import { effectiveSampleSize, selfNormalizedWeights, standardNormalLogDensity } from '../sampling/importanceWeights';
import { adversarialLoop, AdversarialTrainOptions, drawBatch, gradientsInOrder, LoopResult } from './adversarialLoop';
import { nonSaturatingLoss } from './losses';

export const GENERATOR_WEIGHTINGS = ['none', 'importance'] as const;
export type GeneratorWeighting = (typeof GENERATOR_WEIGHTINGS)[number];

export interface ProposalOptions {
  /** Mixture components (default 4). */
  components?: number;
  /** Refit every this many generator steps (default 10, the source's k). */
  refitEvery?: number;
  /** Smoothing rate rho in (0, 1]: theta <- (1 - rho) theta + rho theta_EM (default 0.3). */
  smoothing?: number;
  /** EM iterations per refit (default 5), started from the current proposal. */
  emIterations?: number;
  /** Spread of the initial component means around 0 (default 0.5; the variances start at 1). */
  initialSpread?: number;
}

export interface ImportanceWeightedTrainConfig extends AdversarialTrainOptions {
  generator: Net;
  discriminator: Net;
  /** A NEW tensor of n real examples per call. */
  sampleReal: BatchSampler;
  latentDim: number;
  /** Default 'importance'. */
  weighting?: GeneratorWeighting;
  proposal?: ProposalOptions;
  /** Seeds the latents and the proposal's draws (default 0). */
  seed?: number;
}

export interface ImportanceWeightedResult extends LoopResult {
  /** The proposal at the end (the prior N(0, I) as one component for weighting 'none'). */
  proposal: DiagonalGaussianMixture;
  /** Effective sample size of each generator batch as a share of the batch (1 = equal weights). */
  essShare: { step: number; value: number }[];
  /** Steps at which the proposal was refitted. */
  refits: number[];
}

const PROPOSAL_KEYS = ['components', 'refitEvery', 'smoothing', 'emIterations', 'initialSpread'] as const;

export async function trainImportanceWeighted(cfg: ImportanceWeightedTrainConfig): Promise<ImportanceWeightedResult> {
  const who = 'trainImportanceWeighted';
  const G = cfg.generator;
  const D = cfg.discriminator;
  if (!G || typeof G.apply !== 'function') throw argumentError(who, 'generator', 'a Net', G);
  if (!D || typeof D.apply !== 'function') throw argumentError(who, 'discriminator', 'a Net', D);
  if (typeof cfg.sampleReal !== 'function') throw argumentError(who, 'sampleReal', 'a function n -> tensor', cfg.sampleReal);
  checkInteger(who, 'latentDim', cfg.latentDim, 1);
  const weighting = cfg.weighting ?? 'importance';
  checkOneOf(who, 'weighting', weighting, GENERATOR_WEIGHTINGS);
  const p = cfg.proposal ?? {};
  checkKnownOptions(`${who} proposal`, p, PROPOSAL_KEYS);
  const K = p.components ?? 4;
  checkInteger(who, 'proposal.components', K, 1);
  const refitEvery = p.refitEvery ?? 10;
  checkInteger(who, 'proposal.refitEvery', refitEvery, 1);
  const rate = p.smoothing ?? 0.3;
  if (!(rate > 0 && rate <= 1)) throw argumentError(who, 'proposal.smoothing', 'in (0, 1]', rate);
  const emIterations = p.emIterations ?? 5;
  checkInteger(who, 'proposal.emIterations', emIterations, 1);
  const spread = p.initialSpread ?? 0.5;
  checkInRange(who, 'proposal.initialSpread', spread, 0, 10, { closed: true });
  const batch = cfg.batchSize ?? 64;
  checkInteger(who, 'batchSize', batch, 2);
  const lrD = resolveSchedule(who, 'lrD', cfg.lrD ?? 2e-4);
  const lrG = resolveSchedule(who, 'lrG', cfg.lrG ?? 2e-4);
  const [b1, b2] = cfg.betas ?? [0.5, 0.999];
  ensureCourseGradients();

  const dim = cfg.latentDim;
  const random: Rng = rng(cfg.seed ?? 0);
  const priorRng = random.fork();
  const proposalRng = random.fork();
  let q = weighting === 'importance' ? standardNormalMixture(dim, { components: K, spread, seed: (cfg.seed ?? 0) + 1 }) : standardNormalMixture(dim);
  const kept: { z: Float64Array; logW: Float64Array }[] = [];
  const essShare: { step: number; value: number }[] = [];
  const refits: number[] = [];

  const priorLatents = (n: number): Float64Array => {
    const z = new Float64Array(n * dim);
    for (let i = 0; i < z.length; i++) z[i] = priorRng.normal();
    return z;
  };
  const real = (n: number): tf.Tensor => drawBatch(who, 'sampleReal', (m) => cfg.sampleReal(m), n);
  // BN generators: the weights' forward pass must not move the running statistics a second time
  const peek = { training: true, updateStats: false };
  const optD = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const optG = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  try {
    const result = await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const x = real(batch);
        const zD = tf.tensor2d(Float32Array.from(priorLatents(batch)), [batch, dim]);
        const fake = tf.tidy(() => G.apply(zD, { training: true }));
        const d = gradientsInOrder(() => nonSaturatingLoss.discriminator({ real: D.apply(x, { training: true }), fake: D.apply(fake, { training: true }) }), D.variables);
        optD.step(D.variables, d.grads, lrD(k, cfg.steps));
        tf.dispose([...d.grads, x, zD, fake]);

        let zHost: Float64Array;
        let w: Float64Array;
        if (weighting === 'importance') {
          zHost = sampleMixture(q, batch, proposalRng).points;
          const zT = tf.tensor2d(Float32Array.from(zHost), [batch, dim]);
          const logits = tf.tidy(() => tf.reshape(D.apply(G.apply(zT, peek), peek), [batch]));
          const dHost = logits.dataSync();
          tf.dispose([zT, logits]);
          const logP = standardNormalLogDensity(zHost, batch, dim);
          const logQ = mixtureLogDensity(q, zHost, batch);
          const logW = new Float64Array(batch);
          for (let i = 0; i < batch; i++) logW[i] = logP[i] + dHost[i] - logQ[i];
          w = selfNormalizedWeights(logW);
          essShare.push({ step: k + 1, value: effectiveSampleSize(logW) / batch });
          kept.push({ z: zHost, logW });
          if (kept.length > refitEvery) kept.shift();
        } else {
          zHost = priorLatents(batch);
          w = new Float64Array(batch).fill(1 / batch);
        }
        const zG = tf.tensor2d(Float32Array.from(zHost), [batch, dim]);
        const wT = tf.tensor1d(Float32Array.from(w));
        const g = gradientsInOrder(() => tf.tidy(() => {
          const logits = tf.reshape(D.apply(G.apply(zG, { training: true }), { training: true }), [batch]);
          // the non-saturating generator loss, per sample: -log sigmoid(l) = softplus(-l)
          return tf.sum(tf.mul(wT, tf.softplus(tf.neg(logits)))) as tf.Scalar;
        }), G.variables);
        optG.step(G.variables, g.grads, lrG(k, cfg.steps));
        tf.dispose([...g.grads, zG, wT]);

        if (weighting === 'importance' && (k + 1) % refitEvery === 0) {
          const n = kept.reduce((s, b) => s + b.logW.length, 0);
          const zs = new Float64Array(n * dim);
          const logWs = new Float64Array(n);
          let o = 0;
          for (const b of kept) {
            zs.set(b.z, o * dim);
            logWs.set(b.logW, o);
            o += b.logW.length;
          }
          const fresh = fitMixtureEM(zs, n, { init: q, sampleWeights: selfNormalizedWeights(logWs), iterations: emIterations }).mixture;
          q = smoothMixture(q, fresh, rate);
          refits.push(k + 1);
        }
        return { lossD: d.value, lossG: g.value };
      },
    });
    return { ...result, proposal: q, essShare, refits };
  } finally {
    optD.dispose();
    optG.dispose();
  }
}
