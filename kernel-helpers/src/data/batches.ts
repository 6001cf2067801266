/**
 * Training batches from the course's data sets: a `BatchSampler` is what `train()` asks for
 * as `sampleReal`, a function from a batch size to a NEW tensor (the loop disposes it).
 *
 *   train({ ..., sampleReal: toyBatches(ring8(), rng(1)) })
 *   train({ ..., sampleReal: stackedDigitBatches(digits, { channels: 2, r: rng(2) }) })
 *   train({ ..., sampleLatent: normalLatents([32], rng(3)) })
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkOneOf, checkShape } from '../core/args';
import type { Rng } from '../core/random';
import type { DigitSet } from './digits/mnistDigits';
import { sampleStackedDigits } from './digits/stackedDigits';
import type { Mixture1D } from './mixture1d';
import type { ToyDistribution2D } from './toy2d';

export type BatchSampler = (n: number) => tf.Tensor;

/**
 * Batches of a toy distribution: [n, 2] for the 2D sets, [n, 1] for a 1D mixture. Draws from
 * `r` when given (reproducible across runs), else from the distribution's own stream.
 */
export function toyBatches(dist: ToyDistribution2D | Mixture1D, r?: Rng): BatchSampler {
  if (!dist || typeof dist.sample !== 'function') throw new Error('toyBatches: dist must be a toy distribution (an object with sample(n, r))');
  return (n) => {
    checkInteger('toyBatches', 'n', n, 1);
    const drawn = dist.sample(n, r);
    if (drawn.length !== n) throw new Error(`toyBatches: sample(${n}) returned ${drawn.length} points`);
    const first = drawn[0] as number | number[];
    if (typeof first === 'number') return tf.tensor2d(drawn as number[], [n, 1]);
    const dim = first.length;
    const flat = new Float32Array(n * dim);
    (drawn as number[][]).forEach((p, i) => flat.set(p, i * dim));
    return tf.tensor2d(flat, [n, dim]);
  };
}

/**
 * Standard-normal latent batches [n, ...shape], seeded from `r`: the same stream gives the
 * same latents on every run (tf.randomNormal without a seed draws from Math.random).
 */
export function normalLatents(shape: readonly number[], r: Rng): BatchSampler {
  checkShape('normalLatents', 'shape', shape);
  if (!r || typeof r.int !== 'function') throw new Error('normalLatents: r must be an Rng (rng(seed))');
  return (n) => {
    checkInteger('normalLatents', 'n', n, 1);
    return tf.randomNormal([n, ...shape], 0, 1, 'float32', r.int(2 ** 31 - 1));
  };
}

export interface StackedDigitBatchOptions {
  /** Digits stacked as channels (1 = plain digits; StackedMNIST uses 3). */
  channels: number;
  r: Rng;
  /** 'image': [n, size, size, channels] (default); 'flat': [n, size * size * channels] for MLPs. */
  layout?: 'image' | 'flat';
  /** Pixel range; GANs with a tanh output use [-1, 1] (default). */
  range?: '0..1' | '-1..1';
}

/** Batches of (stacked) digits, each channel an independently drawn digit. */
export function stackedDigitBatches(set: DigitSet, opts: StackedDigitBatchOptions): BatchSampler {
  const layout = opts.layout ?? 'image';
  checkOneOf('stackedDigitBatches', 'layout', layout, ['image', 'flat'] as const);
  const { channels, r, range } = opts;
  const s = set.size;
  return (n) => {
    const batch = sampleStackedDigits(set, { n, channels, r, range });
    return layout === 'image' ? tf.tensor4d(batch.pixels, [n, s, s, channels]) : tf.tensor2d(batch.pixels, [n, s * s * channels]);
  };
}

export interface LabelledDigitBatchOptions {
  r: Rng;
  /** Pixel range (default [-1, 1]). */
  range?: '0..1' | '-1..1';
  /** Only these classes (default all ten). */
  classes?: readonly number[];
}

/**
 * Batches of digits with their labels, `{ x: [n, size, size, 1], labels: [n] int32 }`, drawn
 * with replacement: what `train()` asks of `sampleReal` when training is conditional.
 */
export function labelledDigitBatches(set: DigitSet, opts: LabelledDigitBatchOptions): (n: number) => { x: tf.Tensor4D; labels: tf.Tensor1D } {
  const who = 'labelledDigitBatches';
  if (!set || !(set.images instanceof Float32Array) || !set.labels) throw new Error(`${who}: set must be a DigitSet (loadDigits(...))`);
  const { r } = opts;
  if (!r || typeof r.int !== 'function') throw new Error(`${who}: r must be an Rng (rng(seed))`);
  const range = opts.range ?? '-1..1';
  checkOneOf(who, 'range', range, ['0..1', '-1..1'] as const);
  const pool: number[] = [];
  for (let i = 0; i < set.count; i++) if (!opts.classes || opts.classes.includes(set.labels[i])) pool.push(i);
  if (pool.length === 0) throw new Error(`${who}: no digits of classes [${opts.classes?.join(', ')}] in the set`);
  const px = set.size * set.size;
  return (n) => {
    checkInteger(who, 'n', n, 1);
    const pixels = new Float32Array(n * px);
    const labels = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = pool[r.int(pool.length)];
      const src = set.images.subarray(i * px, (i + 1) * px);
      if (range === '-1..1') for (let j = 0; j < px; j++) pixels[k * px + j] = 2 * src[j] - 1;
      else pixels.set(src, k * px);
      labels[k] = set.labels[i];
    }
    return { x: tf.tensor4d(pixels, [n, set.size, set.size, 1]), labels: tf.tensor1d(labels, 'int32') };
  };
}

/** Class labels drawn uniformly from [0, numClasses), int32 [n], seeded (the labels a conditional G is asked for). */
export function uniformLabels(numClasses: number, r: Rng): BatchSampler {
  checkInteger('uniformLabels', 'numClasses', numClasses, 1);
  if (!r || typeof r.int !== 'function') throw new Error('uniformLabels: r must be an Rng (rng(seed))');
  return (n) => {
    checkInteger('uniformLabels', 'n', n, 1);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = r.int(numClasses);
    return tf.tensor1d(y, 'int32');
  };
}
