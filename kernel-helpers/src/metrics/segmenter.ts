/**
 * A small segmentation network for judging semantic image synthesis: SPADE (Park et al. 2019,
 * sect. 4) runs a segmenter trained on REAL images over the generated ones and scores its
 * prediction against the input mask (mean IoU, pixel accuracy; see segmentation.ts). A
 * generator that puts the right texture in the right place gets its mask back.
 *
 *   conv 3x3, 1 -> w, ReLU
 *   conv 3x3, w -> w, ReLU
 *   conv 3x3 dilated 2, w -> w, ReLU
 *   conv 3x3 dilated 4, w -> w, ReLU     <- hidden features
 *   conv 1x1, w -> K                     <- per-pixel class logits
 *
 * Fully convolutional, 'same' padding, so the map keeps the image's size. The dilated convs
 * (as in DeepLab, Chen et al. 2017) widen the receptive field to 17 px with few weights: a
 * grating's orientation and period (3-8 px) need a window of about one period to be read.
 * Trained with Adam on the mean per-pixel softmax cross-entropy.
 *
 * `size` must be a multiple of 4, so that the dilated convs take `dilatedConv2d`'s fast road
 * (sub-images made with 4-D transposes, not space-to-batch).
 *
 * `features` gives, per image, the mean and the standard deviation over positions of each
 * hidden channel (2w numbers): a pooled representation for a Frechet distance between sets of
 * real and generated scenes (the "FID" construction in this segmenter's feature space; the
 * numbers are comparable only between sets scored by the same segmenter).
 *
 * `predict` and `features` read their results synchronously (dataSync); they are meant for the
 * cpu and wasm backends the course trains these small models on.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkPositive, checkPositiveInt } from '../core/args';
import { yieldToEventLoop } from '../core/interrupt';
import { rng } from '../core/random';
import { oneHotMasks } from '../data/scenes';
import { conv2d } from '../nn/conv2d';
import { dilatedConv2d } from '../nn/dilatedConv2d';
import type { Rng } from '../core/random';
import { Net, sequential } from '../nn/net';
import { createOptimizer } from '../nn/optimizers';
import { segmentationScores, SegmentationScores } from './segmentation';

export interface TrainSegmenterOptions {
  /** count * size * size pixels, one channel, row-major per image. */
  images: Float32Array;
  /** count * size * size class labels in [0, classes), aligned with `images`. */
  masks: Int32Array;
  count: number;
  size: number;
  classes: number;
  /** Adam steps (default 300). */
  steps?: number;
  /** Images per step (default 32). */
  batchSize?: number;
  /** Adam's learning rate (default 3e-3). */
  lr?: number;
  /** Channels of the hidden convs (default 16). */
  width?: number;
  /** Seed of the weights and of the batches (default 0). */
  seed?: number;
}

export interface Segmenter {
  readonly size: number;
  readonly classes: number;
  /** Length of a `features` row: 2 x width. */
  readonly featureDim: number;
  /** Class per pixel of `count` images (count * size * size labels, row-major per image). */
  predict(images: Float32Array, count: number): Int32Array;
  /** Row-major [count, featureDim]: per image, the mean and then the std over positions of each hidden channel. */
  features(images: Float32Array, count: number): Float32Array;
  /** Scores of the trained net on its own training images. */
  readonly trainScores: SegmentationScores;
  /** Frees the weights. */
  dispose(): void;
}

/** 3x3 conv with taps d apart, 'same' zero padding, ReLU. */
function dilatedReluConv(name: string, channels: number, d: number, r: Rng): Net {
  return dilatedConv2d({ inChannels: channels, filters: channels, kernelSize: 3, dilationRate: d, activation: 'relu', init: 'he', name, seed: r });
}

const OPTIONS = ['images', 'masks', 'count', 'size', 'classes', 'steps', 'batchSize', 'lr', 'width', 'seed'] as const;
/** Images per forward pass when predicting. */
const CHUNK = 256;

function checkImages(who: string, images: Float32Array, count: number, size: number): void {
  checkInteger(who, 'count', count, 0);
  if (!(images instanceof Float32Array)) throw argumentError(who, 'images', 'a Float32Array of pixels', typeof images);
  if (images.length !== count * size * size) {
    throw new Error(`${who}: images must hold count * size * size = ${count} * ${size} * ${size} = ${count * size * size} pixels (one channel), got ${images.length}`);
  }
}

export async function trainSegmenter(opts: TrainSegmenterOptions): Promise<Segmenter> {
  const who = 'trainSegmenter';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object', opts);
  checkKnownOptions(who, opts, OPTIONS);
  const { images, masks, count, size, classes } = opts;
  checkPositiveInt(who, 'size', size);
  if (size % 4 !== 0) throw argumentError(who, 'size', 'a multiple of 4 (the dilated convs split the image into 4 x 4 interleaved sub-images)', size);
  checkInteger(who, 'classes', classes, 2);
  checkPositiveInt(who, 'count', count);
  checkImages(who, images, count, size);
  const hot = oneHotMasks(masks, count, size, classes);
  const steps = opts.steps ?? 300;
  checkInteger(who, 'steps', steps, 0);
  const batch = opts.batchSize ?? 32;
  checkPositiveInt(who, 'batchSize', batch);
  const lr = opts.lr ?? 3e-3;
  checkPositive(who, 'lr', lr);
  const width = opts.width ?? 16;
  checkPositiveInt(who, 'width', width);
  const r = rng(opts.seed ?? 0);

  const body = sequential('segmenter/body', [
    conv2d({ inChannels: 1, filters: width, kernelSize: 3, activation: 'relu', init: 'he', name: 'segmenter/conv0', seed: r.fork() }),
    conv2d({ inChannels: width, filters: width, kernelSize: 3, activation: 'relu', init: 'he', name: 'segmenter/conv1', seed: r.fork() }),
    dilatedReluConv('segmenter/dilated2', width, 2, r.fork()),
    dilatedReluConv('segmenter/dilated4', width, 4, r.fork()),
  ]);
  const head: Net = conv2d({ inChannels: width, filters: classes, kernelSize: 1, name: 'segmenter/logits', seed: r.fork() });
  const variables = [...body.variables, ...head.variables];
  const logits = (x: tf.Tensor): tf.Tensor => head.apply(body.apply(x));

  const P = size * size;
  const opt = createOptimizer({ kind: 'adam' });
  const batchR = r.fork();
  try {
    for (let k = 0; k < steps; k++) {
      tf.tidy(() => {
        const img = new Float32Array(batch * P);
        const lab = new Float32Array(batch * P * classes);
        for (let i = 0; i < batch; i++) {
          const j = batchR.int(count);
          img.set(images.subarray(j * P, (j + 1) * P), i * P);
          lab.set(hot.subarray(j * P * classes, (j + 1) * P * classes), i * P * classes);
        }
        const x = tf.tensor4d(img, [batch, size, size, 1]);
        const y = tf.tensor4d(lab, [batch, size, size, classes]);
        const { value, grads } = tf.variableGrads(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits(x))), 3))) as tf.Scalar, variables);
        opt.step(variables, variables.map((v) => grads[v.name] ?? tf.zerosLike(v)), lr);
        value.dispose();
      });
      // Let a kernel interrupt or a display update through now and then.
      if ((k + 1) % 25 === 0) await yieldToEventLoop();
    }
  } catch (e) {
    opt.dispose();
    for (const v of variables) v.dispose();
    throw e;
  }
  opt.dispose();

  let disposed = false;
  const alive = (what: string) => {
    if (disposed) throw new Error(`Segmenter.${what}: the segmenter was disposed`);
  };
  /** f applied to chunks of the images, the results concatenated into `out` (per values per image). */
  const inChunks = <T extends Float32Array | Int32Array>(imgs: Float32Array, n: number, per: number, out: T, f: (x: tf.Tensor4D) => tf.Tensor): T => {
    for (let s = 0; s < n; s += CHUNK) {
      const m = Math.min(CHUNK, n - s);
      const t = tf.tidy(() => f(tf.tensor4d(imgs.subarray(s * P, (s + m) * P), [m, size, size, 1])));
      try {
        out.set(t.dataSync(), s * per);
      } finally {
        t.dispose();
      }
    }
    return out;
  };
  const predict = (imgs: Float32Array, n: number): Int32Array => {
    alive('predict');
    checkImages('Segmenter.predict', imgs, n, size);
    return inChunks(imgs, n, P, new Int32Array(n * P), (x) => tf.cast(tf.argMax(logits(x), 3), 'int32'));
  };
  const features = (imgs: Float32Array, n: number): Float32Array => {
    alive('features');
    checkImages('Segmenter.features', imgs, n, size);
    return inChunks(imgs, n, 2 * width, new Float32Array(n * 2 * width), (x) => {
      const { mean, variance } = tf.moments(body.apply(x), [1, 2]);
      return tf.concat([mean, tf.sqrt(variance)], 1);
    });
  };
  const trainScores = segmentationScores(predict(images, count), masks, classes);
  return {
    size,
    classes,
    featureDim: 2 * width,
    predict,
    features,
    trainScores,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of variables) v.dispose();
    },
  };
}
