/**
 * ESRGAN's training step (Wang et al. 2018, sect. 3.2-3.3 and 4.1): the generator maps a
 * low-resolution image to a high-resolution one and minimises
 *
 *   L_G = w_perceptual * |phi(G(x_lr)) - phi(x_hr)|_1  +  w_adversarial * L_G^Ra  +  w_pixel * |G(x_lr) - x_hr|_1,
 *
 * with phi a fixed feature extractor (VGG features before the activation in the paper) and L^Ra
 * the relativistic average GAN loss, whose discriminator compares each real image with the
 * average fake and vice versa. The paper's weights after a PSNR-oriented pre-training with the
 * pixel loss alone: perceptual 1, adversarial 5e-3, pixel 1e-2. With `adversarial: 0` no
 * discriminator is trained: the PSNR-oriented model.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkNonNegative } from '../core/args';
import { ensureCourseGradients } from '../backend/courseGradients';
import type { Net } from '../nn/net';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule } from '../nn/schedules';
import { adversarialLoop, AdversarialTrainOptions, gradientsInOrder, LoopResult } from './adversarialLoop';
import { ganLoss, GanLoss, GanLossName } from './losses';

export interface SuperResolutionBatch {
  /** [n, h, w, c] low-resolution inputs. */
  low: tf.Tensor4D;
  /** [n, s h, s w, c] the high-resolution originals. */
  high: tf.Tensor4D;
}

export interface SuperResolutionWeights {
  /** L1 pixel loss (default 1). */
  pixel?: number;
  /** L1 distance of the features (default 0; needs `features`). */
  perceptual?: number;
  /** Generator's adversarial loss (default 0: no discriminator). */
  adversarial?: number;
}

export interface SuperResolutionTrainConfig extends AdversarialTrainOptions {
  generator: Net;
  /** Required when the adversarial weight is above 0. */
  discriminator?: Net;
  /** NEW tensors of n pairs per call. */
  sampleBatch(n: number): SuperResolutionBatch;
  weights?: SuperResolutionWeights;
  /** The perceptual loss's feature map phi (differentiable), e.g. a classifier's pre-activation features. */
  features?: (x: tf.Tensor4D) => tf.Tensor;
  /** Default 'relativisticAverage' (RaGAN). */
  loss?: GanLossName | GanLoss;
}

const WEIGHT_KEYS = ['pixel', 'perceptual', 'adversarial'] as const;

export async function trainSuperResolution(cfg: SuperResolutionTrainConfig): Promise<LoopResult> {
  const who = 'trainSuperResolution';
  const G = cfg.generator;
  if (!G || typeof G.apply !== 'function') throw argumentError(who, 'generator', 'a Net', G);
  if (typeof cfg.sampleBatch !== 'function') throw argumentError(who, 'sampleBatch', 'a function n -> { low, high }', cfg.sampleBatch);
  const w = cfg.weights ?? {};
  checkKnownOptions(`${who} weights`, w, WEIGHT_KEYS);
  const wPix = w.pixel ?? 1, wPer = w.perceptual ?? 0, wAdv = w.adversarial ?? 0;
  checkNonNegative(who, 'weights.pixel', wPix);
  checkNonNegative(who, 'weights.perceptual', wPer);
  checkNonNegative(who, 'weights.adversarial', wAdv);
  if (wPix + wPer + wAdv === 0) throw new Error(`${who}: every loss weight is 0; give weights.pixel, weights.perceptual or weights.adversarial`);
  if (wPer > 0 && typeof cfg.features !== 'function') throw new Error(`${who}: weights.perceptual > 0 needs features, the feature map of the perceptual loss`);
  const D = cfg.discriminator;
  if (wAdv > 0 && (!D || typeof D.apply !== 'function')) throw new Error(`${who}: weights.adversarial > 0 needs a discriminator`);
  const loss = ganLoss(cfg.loss ?? 'relativisticAverage');
  const batch = cfg.batchSize ?? 16;
  checkInteger(who, 'batchSize', batch, 2);
  const lrD = resolveSchedule(who, 'lrD', cfg.lrD ?? 1e-4);
  const lrG = resolveSchedule(who, 'lrG', cfg.lrG ?? 1e-4);
  const [b1, b2] = cfg.betas ?? [0.9, 0.999];
  ensureCourseGradients();
  const draw = (n: number): SuperResolutionBatch => {
    const b = cfg.sampleBatch(n);
    if (!b || !(b.low instanceof tf.Tensor) || !(b.high instanceof tf.Tensor) || b.low.shape[0] !== n || b.high.shape[0] !== n) {
      throw new Error(`${who}: sampleBatch(${n}) must return { low, high }, two tensors with ${n} rows`);
    }
    return b;
  };
  const optD = wAdv > 0 ? createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 }) : null;
  const optG = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  let checkedShape = false;
  try {
    return await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const { low, high } = draw(batch);
        let lossD: tf.Scalar = tf.scalar(0);
        if (wAdv > 0) {
          const fake = tf.tidy(() => G.apply(low, { training: true }));
          const d = gradientsInOrder(() => loss.discriminator({ real: D!.apply(high, { training: true }), fake: D!.apply(fake, { training: true }) }), D!.variables);
          optD!.step(D!.variables, d.grads, lrD(k, cfg.steps));
          tf.dispose([...d.grads, fake]);
          lossD.dispose();
          lossD = d.value;
        }
        const terms: Record<string, tf.Scalar> = {};
        const g = gradientsInOrder(() => {
          const sr = G.apply(low, { training: true }) as tf.Tensor4D;
          if (!checkedShape) {
            if (sr.shape.join(',') !== high.shape.join(',')) throw new Error(`${who}: the generator maps [${low.shape}] to [${sr.shape}], but the high-resolution batch is [${high.shape}]`);
            checkedShape = true;
          }
          let total = tf.scalar(0) as tf.Scalar;
          if (wPix > 0) {
            const l = tf.mean(tf.abs(tf.sub(sr, high))) as tf.Scalar;
            terms.pixel = tf.keep(l);
            total = tf.add(total, tf.mul(wPix, l)) as tf.Scalar;
          }
          if (wPer > 0) {
            const l = tf.mean(tf.abs(tf.sub(cfg.features!(sr), cfg.features!(high)))) as tf.Scalar;
            terms.perceptual = tf.keep(l);
            total = tf.add(total, tf.mul(wPer, l)) as tf.Scalar;
          }
          if (wAdv > 0) {
            const l = loss.generator({ fake: D!.apply(sr, { training: true }), real: D!.apply(high, { training: true }) });
            terms.adversarial = tf.keep(l);
            total = tf.add(total, tf.mul(wAdv, l)) as tf.Scalar;
          }
          return total;
        }, G.variables);
        optG.step(G.variables, g.grads, lrG(k, cfg.steps));
        tf.dispose([...g.grads, low, high]);
        return { lossD, lossG: g.value, terms };
      },
    });
  } finally {
    optD?.dispose();
    optG.dispose();
  }
}
