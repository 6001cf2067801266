/**
 * Moving images between nets and plain arrays for the image metrics: samples drawn from a
 * (conditional) generator, features read from a net (a discriminator's trunk, an encoder),
 * and 28x28 digits brought to the classifier's 14x14 by 2x2 average pooling, the same
 * pooling `loadDigits({ size: 14 })` applies to the 28x28 originals, so the classifier
 * judges a pooled 28x28 sample exactly as it judges its own test digits.
 * Every read is asynchronous (`await t.data()`), which every backend supports.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkPositiveInt } from '../../core/args';
import { averagePool2x } from '../../data/digits/mnistDigits';
import type { Net } from '../../nn/net';
import { DIGIT_CLASSIFIER_SIZE } from './digitClassifier';

export interface SampleImagesOptions {
  /** Number of images. */
  n: number;
  /** Latent batches [m, ...] (seeded, e.g. `normalLatents([100], rng(1))`). */
  latents: (m: number) => tf.Tensor;
  /** Requested class of each image, for a conditional generator (integers in [0, numClasses)). */
  labels?: ArrayLike<number>;
  /** Classes of the conditional generator (checks `labels`). */
  numClasses?: number;
  /** Images per forward pass (default 250). */
  batch?: number;
}

/** n images from G as one NHWC Float32Array, with their per-image size. */
export async function sampleImages(G: Net, opts: SampleImagesOptions): Promise<{ pixels: Float32Array; n: number; shape: number[] }> {
  const who = 'sampleImages';
  if (!G || typeof G.apply !== 'function') throw argumentError(who, 'G', 'a Net', G);
  checkInteger(who, 'n', opts.n, 1);
  if (typeof opts.latents !== 'function') throw argumentError(who, 'latents', 'a function m -> latent tensor', opts.latents);
  const batch = opts.batch ?? 250;
  checkPositiveInt(who, 'batch', batch);
  if (opts.labels !== undefined) {
    if (opts.labels.length !== opts.n) throw new Error(`${who}: labels has ${opts.labels.length} entries for n = ${opts.n} images`);
    if (opts.numClasses === undefined) throw new Error(`${who}: give numClasses with labels (it checks that every label is a class)`);
    checkPositiveInt(who, 'numClasses', opts.numClasses);
    for (let i = 0; i < opts.n; i++) {
      const y = opts.labels[i];
      if (!(Number.isInteger(y) && y >= 0 && y < opts.numClasses)) throw new Error(`${who}: labels[${i}] must be a class in [0, ${opts.numClasses}), got ${y}`);
    }
  }
  const chunks: Float32Array[] = [];
  let shape: number[] = [];
  for (let s = 0; s < opts.n; s += batch) {
    const m = Math.min(batch, opts.n - s);
    const t = tf.tidy(() => {
      const z = opts.latents(m);
      if (z.shape[0] !== m) throw new Error(`${who}: latents(${m}) returned [${z.shape}]; its first axis must be ${m}`);
      const labels = opts.labels ? tf.tensor1d(Int32Array.from({ length: m }, (_, i) => opts.labels![s + i]), 'int32') : undefined;
      return G.apply(z, { training: false, labels });
    });
    shape = t.shape.slice(1);
    try {
      chunks.push((await t.data()) as Float32Array);
    } finally {
      t.dispose();
    }
  }
  const per = shape.reduce((a, b) => a * b, 1);
  const pixels = new Float32Array(opts.n * per);
  let off = 0;
  for (const c of chunks) {
    pixels.set(c, off);
    off += c.length;
  }
  return { pixels, n: opts.n, shape };
}

/**
 * Single-channel square images of side 28 or 14 as the classifier's 14x14 input (pooled when
 * 28; the same array when already 14).
 */
export function toClassifierSize(pixels: Float32Array, n: number, size: number): Float32Array {
  const who = 'toClassifierSize';
  checkInteger(who, 'n', n, 0);
  if (size !== 28 && size !== DIGIT_CLASSIFIER_SIZE) throw argumentError(who, 'size', `28 or ${DIGIT_CLASSIFIER_SIZE} (the classifier reads 14x14 digits)`, size);
  if (pixels.length !== n * size * size) throw new Error(`${who}: pixels must hold n*${size}*${size} = ${n * size * size} values (one channel), got ${pixels.length}`);
  return size === DIGIT_CLASSIFIER_SIZE ? pixels : averagePool2x(pixels, n, size);
}

export interface NetOutputsOptions {
  /** Images per forward pass (default 250). */
  batch?: number;
  /**
   * Normalise by each batch's own statistics instead of the running ones, without updating
   * them: for a freshly initialised net with batch norm, which has no running statistics yet.
   */
  batchStatistics?: boolean;
}

/** A net's output on n images (e.g. D's trunk: features; an encoder: codes), as rows. */
export async function netOutputs(net: Net, pixels: Float32Array, n: number, imageShape: readonly number[], opts: NetOutputsOptions = {}): Promise<{ rows: Float32Array; dim: number }> {
  const who = 'netOutputs';
  const batch = opts.batch ?? 250;
  checkPositiveInt(who, 'batch', batch);
  const mode = opts.batchStatistics ? { training: true, updateStats: false } : { training: false };
  checkInteger(who, 'n', n, 1);
  const per = imageShape.reduce((a, b) => a * b, 1);
  if (pixels.length !== n * per) throw new Error(`${who}: pixels must hold n*${imageShape.join('*')} = ${n * per} values, got ${pixels.length}`);
  const chunks: Float32Array[] = [];
  let dim = 0;
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const t = tf.tidy(() => {
      const x = tf.tensor(pixels.subarray(s * per, (s + m) * per), [m, ...imageShape]);
      const y = net.apply(x, mode);
      return tf.reshape(y, [m, -1]);
    });
    dim = t.shape[1] as number;
    try {
      chunks.push((await t.data()) as Float32Array);
    } finally {
      t.dispose();
    }
  }
  const rows = new Float32Array(n * dim);
  let off = 0;
  for (const c of chunks) {
    rows.set(c, off);
    off += c.length;
  }
  return { rows, dim };
}
