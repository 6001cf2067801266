/**
 * SPADE's training step (Park, Liu, Wang & Zhu 2019, sect. 4 and appendix A; the losses of
 * pix2pixHD, Wang et al. 2018): a mask-conditioned generator G(z, m) against multi-scale
 * PatchGAN discriminators D_s(x, m), with the hinge loss averaged over patches and scales,
 *
 *   L_D = mean_s [ E relu(1 - D_s(x, m)) + E relu(1 + D_s(G(z, m), m)) ]
 *   L_G = mean_s [ -E D_s(G(z, m), m) ]  +  featureMatching * L_FM,
 *   L_FM = mean_s mean_l | D_s^l(x, m) - D_s^l(G(z, m), m) |_1      (l: D's hidden layers),
 *
 * the feature-matching term comparing D's intermediate activations on the real image and on
 * the image generated for the same mask (the patch logits themselves are left out, as in
 * pix2pixHD). It gives G a dense, stable signal ("look like the real image to every layer of
 * D") next to the adversarial one, which at this size is most of what keeps training steady.
 * The paper's VGG perceptual loss is left out (no VGG here).
 *
 * TTUR (Heusel et al. 2017) and Adam's betas as in the paper: lrD = 4e-4, lrG = 1e-4, betas
 * [0, 0.999]. At 16x16 with batch 16, [0.5, 0.999] trained no better (the segmenter's mean
 * IoU of the generated images after 300 steps agreed within 0.01 for both generators), so the
 * paper's pair is kept.
 *
 * Each step: one D update on a fresh batch (real pairs, and G's images for the same masks
 * under fresh latents), then one G update on the same masks and latents. Both run G in
 * training mode (batch statistics), so G's running statistics are updated twice per step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkNonNegative, checkPositiveInt } from '../core/args';
import { rng } from '../core/random';
import { ensureCourseGradients } from '../backend/courseGradients';
import type { Net } from '../nn/net';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule } from '../nn/schedules';
import { adversarialLoop, AdversarialTrainOptions, gradientsInOrder, LoopResult } from './adversarialLoop';
import { hingeLoss } from './losses';
import type { MultiScalePatchDiscriminator } from './models/spade';

export interface SpadeBatch {
  /** [n, H, W, imageChannels] real images. */
  images: tf.Tensor4D;
  /** [n, H, W, K] their one-hot masks. */
  masks: tf.Tensor4D;
}

export interface SpadeTrainConfig extends AdversarialTrainOptions {
  /** Called as G.apply(z, { training: true, condition: masks }). */
  generator: Net & { readonly classes?: number; readonly latentDim?: number };
  discriminator: MultiScalePatchDiscriminator;
  /** NEW tensors of n (image, mask) pairs per call. */
  sampleBatch(n: number): SpadeBatch;
  /** Length of z (default: the generator's `latentDim`, else its input shape). */
  latentDim?: number;
  /** Weight of the feature-matching loss (default 10, the paper's). */
  featureMatching?: number;
  /** Seed of the latents (default 0). */
  seed?: number;
  /** Adam's betas (default [0, 0.999], the paper's). */
  betas?: [number, number];
}

const OPTIONS = [
  'generator', 'discriminator', 'sampleBatch', 'latentDim', 'featureMatching', 'seed',
  'steps', 'batchSize', 'lrD', 'lrG', 'betas', 'logEvery', 'callbacks', 'signal', 'stopOnInterrupt',
] as const;

/** Mean over scales of a per-scale scalar. */
function meanOverScales(values: tf.Scalar[]): tf.Scalar {
  return tf.div(tf.addN(values), tf.scalar(values.length)) as tf.Scalar;
}

/** L1 feature matching: mean over scales and over each scale's hidden layers (not the logits). */
function featureMatchingLoss(real: tf.Tensor[][], fake: tf.Tensor[][]): tf.Scalar {
  return meanOverScales(real.map((layers, s) => {
    const hidden = layers.slice(0, -1);
    if (hidden.length === 0) return tf.scalar(0);
    return meanOverScales(hidden.map((r, l) => tf.mean(tf.abs(tf.sub(fake[s][l], r))) as tf.Scalar));
  }));
}

export async function trainSpade(cfg: SpadeTrainConfig): Promise<LoopResult> {
  const who = 'trainSpade';
  if (cfg == null || typeof cfg !== 'object') throw argumentError(who, 'config', 'an object', cfg);
  checkKnownOptions(who, cfg, OPTIONS);
  const G = cfg.generator;
  if (!G || typeof G.apply !== 'function') throw argumentError(who, 'generator', 'a Net (spadeGenerator or maskInputGenerator)', typeof G);
  const D = cfg.discriminator;
  if (!D || typeof D.features !== 'function' || !Array.isArray(D.variables)) {
    throw argumentError(who, 'discriminator', 'a multi-scale discriminator (multiScalePatchDiscriminator)', typeof D);
  }
  if (typeof cfg.sampleBatch !== 'function') throw argumentError(who, 'sampleBatch', 'a function n -> { images, masks }', typeof cfg.sampleBatch);
  const fromInput = G.inputShape?.length === 1 && G.inputShape[0] > 0 ? G.inputShape[0] : undefined;
  const latentDim = cfg.latentDim ?? G.latentDim ?? fromInput;
  if (latentDim === undefined) throw new Error(`${who}: latentDim is required when the generator does not say its latent size`);
  checkPositiveInt(who, 'latentDim', latentDim);
  if (fromInput !== undefined && fromInput !== latentDim) throw argumentError(who, 'latentDim', `the generator's input size ${fromInput}`, latentDim);
  const wFm = cfg.featureMatching ?? 10;
  checkNonNegative(who, 'featureMatching', wFm);
  const classes = G.classes ?? D.classes;
  if (G.classes !== undefined && D.classes !== G.classes) {
    throw argumentError(who, 'discriminator', `a discriminator for the generator's ${G.classes} classes`, `one for ${D.classes} classes`);
  }
  const batch = cfg.batchSize ?? 16;
  checkInteger(who, 'batchSize', batch, 2);
  const lrD = resolveSchedule(who, 'lrD', cfg.lrD ?? 4e-4);
  const lrG = resolveSchedule(who, 'lrG', cfg.lrG ?? 1e-4);
  const betas = cfg.betas ?? [0, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) throw argumentError(who, 'betas', 'a pair [beta1, beta2]', betas);
  const seed = cfg.seed ?? 0;
  const latents = rng(seed);
  ensureCourseGradients();

  const draw = (n: number): SpadeBatch => {
    const b = cfg.sampleBatch(n);
    const ok = (t: unknown): t is tf.Tensor4D => t instanceof tf.Tensor && t.rank === 4 && t.shape[0] === n;
    if (!b || !ok(b.images) || !ok(b.masks)) {
      const got = describe(b);
      if (b && typeof b === 'object') tf.dispose([b.images, b.masks].filter((t) => t instanceof tf.Tensor));
      throw new Error(`${who}: sampleBatch(${n}) must return { images: [${n}, H, W, channels], masks: [${n}, H, W, ${classes}] }, got ${got}`);
    }
    const [, h, w] = b.images.shape;
    if (h !== D.size || w !== D.size) {
      const shapes = `images [${b.images.shape}], masks [${b.masks.shape}]`;
      tf.dispose([b.images, b.masks]);
      throw new Error(`${who}: sampleBatch(${n}) must return ${D.size}x${D.size} images (the discriminator's size), got ${shapes}`);
    }
    if (b.masks.shape[1] !== h || b.masks.shape[2] !== w || b.masks.shape[3] !== classes) {
      const shapes = `images [${b.images.shape}], masks [${b.masks.shape}]`;
      tf.dispose([b.images, b.masks]);
      throw new Error(`${who}: sampleBatch(${n}) must return masks [${n}, ${h}, ${w}, ${classes}] (the images' height and width, one channel per class of the generator), got ${shapes}`);
    }
    return b;
  };
  const optD = createOptimizer({ kind: 'adam', beta1: betas[0], beta2: betas[1] });
  const optG = createOptimizer({ kind: 'adam', beta1: betas[0], beta2: betas[1] });
  try {
    return await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const { images, masks } = draw(batch);
        const z = tf.randomNormal([batch, latentDim], 0, 1, 'float32', latents.int(2 ** 31 - 1));
        const terms: Record<string, tf.Scalar> = {};
        try {
          const fake = tf.tidy(() => G.apply(z, { training: true, condition: masks }));
          const d = gradientsInOrder(() => {
            const real = D.logits(images, masks, { training: true });
            const fakeLogits = D.logits(fake, masks, { training: true });
            terms.hingeReal = tf.keep(meanOverScales(real.map((t) => tf.mean(tf.relu(tf.sub(tf.scalar(1), t))) as tf.Scalar)));
            terms.hingeFake = tf.keep(meanOverScales(fakeLogits.map((t) => tf.mean(tf.relu(tf.add(tf.scalar(1), t))) as tf.Scalar)));
            return meanOverScales(real.map((t, s) => hingeLoss.discriminator({ real: t, fake: fakeLogits[s] })));
          }, D.variables);
          optD.step(D.variables, d.grads, lrD(k, cfg.steps));
          tf.dispose([...d.grads, fake]);
          // D's features of the real pairs, after its update: the targets of feature matching.
          const realFeatures = wFm > 0 ? tf.tidy(() => D.features(images, masks, { training: true })) : [];
          const g = gradientsInOrder(() => {
            const sample = G.apply(z, { training: true, condition: masks });
            const feats = D.features(sample, masks, { training: true });
            const adversarial = meanOverScales(feats.map((layers) => hingeLoss.generator({ fake: layers[layers.length - 1] })));
            terms.adversarial = tf.keep(adversarial);
            if (wFm === 0) return adversarial;
            const fm = featureMatchingLoss(realFeatures, feats);
            terms.featureMatching = tf.keep(fm);
            return tf.add(adversarial, tf.mul(tf.scalar(wFm), fm)) as tf.Scalar;
          }, G.variables);
          optG.step(G.variables, g.grads, lrG(k, cfg.steps));
          tf.dispose([...g.grads, ...realFeatures.flat()]);
          return { lossD: d.value, lossG: g.value, terms };
        } catch (e) {
          tf.dispose(Object.values(terms));
          throw e;
        } finally {
          tf.dispose([images, masks, z]);
        }
      },
    });
  } finally {
    optD.dispose();
    optG.dispose();
  }
}

function describe(b: unknown): string {
  if (!b || typeof b !== 'object') return typeof b;
  const o = b as Record<string, unknown>;
  const shape = (t: unknown) => (t instanceof tf.Tensor ? `[${t.shape}]` : typeof t);
  return `{ images: ${shape(o.images)}, masks: ${shape(o.masks)} }`;
}
