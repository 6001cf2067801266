/**
 * C-RNN-GAN's training (Mogren 2016, sect. 3-4, and the official code's `--feature_matching`
 * flag): D minimises the cross-entropy of its decisions on real and generated sequences (the
 * course's non-saturating loss on D's time-averaged logit); G, with feature matching
 * (Salimans et al. 2016, sect. 3.1), minimises the squared distance between the batch means of
 * D's last-layer features on a real and on a generated batch,
 *   L_FM = 1/T sum_t || mean_batch f_t(x) - mean_batch f_t(G(z)) ||^2,   f = D.hiddenFeatures,
 * instead of fooling D directly (so G chases statistics D finds useful rather than D's current
 * weak spots); with `featureMatching: false` G takes the non-saturating loss instead.
 * One D step and one G step per iteration, each on its own Adam.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions } from '../core/args';
import { ensureCourseGradients } from '../backend/courseGradients';
import type { Net } from '../nn/net';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule } from '../nn/schedules';
import { adversarialLoop, AdversarialTrainOptions, drawBatch, gradientsInOrder, LoopResult, seedStream } from './adversarialLoop';
import { nonSaturatingLoss } from './losses';
import type { CRnnGanDiscriminator } from './models/cRnnGan';
import { checkSequenceBatch, pairedSequenceShapes } from './sequenceChecks';

export interface CRnnGanTrainConfig extends AdversarialTrainOptions {
  /** cRnnGanGenerator: [n, T, latentDim] noise -> [n, T, features]. */
  generator: Net;
  discriminator: CRnnGanDiscriminator;
  /** NEW [n, T, features] real sequences (in [-1, 1]) per call. */
  sampleReal(n: number): tf.Tensor;
  /** [n, T, latentDim] noise (default uniform in [0, 1), from `noiseSeed`). */
  sampleNoise?(n: number): tf.Tensor;
  /** Seed of the default noise stream (default 0): two runs draw the same noise. */
  noiseSeed?: number;
  /** G's loss: feature matching (default true) or the non-saturating loss. */
  featureMatching?: boolean;
}

const OPTIONS = ['generator', 'discriminator', 'sampleReal', 'sampleNoise', 'noiseSeed', 'featureMatching', 'steps', 'batchSize', 'lrD', 'lrG', 'betas', 'logEvery', 'callbacks', 'signal', 'stopOnInterrupt'] as const;

/** L_FM between features [B, T, C] of a real and a generated batch. */
export function featureMatchingLoss(realFeatures: tf.Tensor, fakeFeatures: tf.Tensor): tf.Scalar {
  if (realFeatures.rank < 2 || realFeatures.shape.slice(1).join(',') !== fakeFeatures.shape.slice(1).join(',')) {
    throw new Error(`featureMatchingLoss: realFeatures [${realFeatures.shape}] and fakeFeatures [${fakeFeatures.shape}] must agree after the batch axis`);
  }
  return tf.tidy(() => {
    const diff = tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0));
    const C = realFeatures.shape[realFeatures.rank - 1];
    // Summed over the feature axis, averaged over everything before it (the steps).
    return tf.mul(C, tf.mean(tf.square(diff))) as tf.Scalar;
  });
}

export async function trainCRnnGan(cfg: CRnnGanTrainConfig): Promise<LoopResult> {
  const who = 'trainCRnnGan';
  checkKnownOptions(who, cfg, OPTIONS);
  const G = cfg.generator, D = cfg.discriminator;
  if (!G || typeof G.apply !== 'function') throw argumentError(who, 'generator', 'a Net (cRnnGanGenerator)', G);
  if (!D || typeof D.apply !== 'function') throw argumentError(who, 'discriminator', 'a Net (cRnnGanDiscriminator)', D);
  const fm = cfg.featureMatching ?? true;
  const noiseSeeds = seedStream(who, cfg.noiseSeed);
  if (typeof fm !== 'boolean') throw argumentError(who, 'featureMatching', 'true or false', fm);
  if (fm && typeof D.hiddenFeatures !== 'function') throw argumentError(who, 'discriminator', 'a cRnnGanDiscriminator (feature matching needs its hiddenFeatures)', D.name);
  if (typeof cfg.sampleReal !== 'function') throw argumentError(who, 'sampleReal', 'a function n -> [n, T, features] sequences', cfg.sampleReal);
  if (cfg.sampleNoise !== undefined && typeof cfg.sampleNoise !== 'function') throw argumentError(who, 'sampleNoise', 'a function n -> [n, T, latentDim] noise', cfg.sampleNoise);
  const shapes = pairedSequenceShapes(who, G, D);
  const batch = cfg.batchSize ?? 32;
  checkInteger(who, 'batchSize', batch, 1);
  const lrD = resolveSchedule(who, 'lrD', cfg.lrD ?? 2e-4);
  const lrG = resolveSchedule(who, 'lrG', cfg.lrG ?? 2e-4);
  const [b1, b2] = cfg.betas ?? [0.5, 0.999];
  ensureCourseGradients();
  const want = { length: shapes.length, features: shapes.features };
  const optD = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const optG = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const train = { training: true };
  const draw = (what: 'sampleReal' | 'sampleNoise', f: (n: number) => tf.Tensor, shape: { length: number; features: number }, against: string) => {
    const t = drawBatch(who, what, f, batch);
    try {
      checkSequenceBatch(who, `${what}(${batch})`, t, batch, shape, against);
    } catch (err) {
      t.dispose();
      throw err;
    }
    return t;
  };
  try {
    return await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const x = draw('sampleReal', cfg.sampleReal, want, 'the discriminator takes');
        const T = x.shape[1]!;
        const noiseShape = { length: T, features: shapes.noiseFeatures };
        const noise = () => draw('sampleNoise', cfg.sampleNoise ?? ((n) => tf.randomUniform([n, T, shapes.noiseFeatures], 0, 1, 'float32', noiseSeeds())), noiseShape, 'the generator takes');
        let z1: tf.Tensor;
        try {
          z1 = noise();
        } catch (err) {
          x.dispose();
          throw err;
        }
        const fake = tf.tidy(() => G.apply(z1, train));
        const dRes = gradientsInOrder(() => nonSaturatingLoss.discriminator({ real: D.apply(x, train), fake: D.apply(fake, train) }), D.variables);
        optD.step(D.variables, dRes.grads, lrD(k, cfg.steps));
        tf.dispose([z1, fake, ...dRes.grads]);
        const z2 = noise();
        const terms: Record<string, tf.Scalar> = {};
        const gRes = gradientsInOrder(() => {
          const f = G.apply(z2, train);
          if (!fm) return nonSaturatingLoss.generator({ fake: D.apply(f, train) });
          const loss = featureMatchingLoss(D.hiddenFeatures(x, train), D.hiddenFeatures(f, train));
          terms.featureMatching = tf.keep(tf.clone(loss));
          return loss;
        }, G.variables);
        optG.step(G.variables, gRes.grads, lrG(k, cfg.steps));
        tf.dispose([x, z2, ...gRes.grads]);
        return { lossD: dRes.value, lossG: gRes.value, terms };
      },
    });
  } finally {
    optD.dispose();
    optG.dispose();
  }
}
