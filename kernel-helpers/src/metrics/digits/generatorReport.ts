/**
 * One call that scores a digit generator the way chapter 7 does: draw samples, count the
 * stacked-digit modes with the course classifier, and measure the Frechet distance to real
 * (stacked) digits in the classifier's feature space.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Net } from '../../nn/net';
import type { DigitSet } from '../../data/digits/mnistDigits';
import { sampleStackedDigits } from '../../data/digits/stackedDigits';
import { rng as makeRng } from '../../core/random';
import { checkInteger } from '../../core/args';
import { DIGIT_CLASSIFIER_SIZE, DigitClassifier } from './digitClassifier';
import { countStackedModes, digitFrechetDistance, StackedModeCount } from './stackedModes';

export interface DigitGeneratorReport {
  modes: StackedModeCount;
  /** Squared Frechet distance to `n` real samples in the classifier's feature space. */
  frechet: number;
  /** The generated samples, NHWC [n, 14, 14, channels] in [-1, 1]. */
  samples: Float32Array;
}

export interface DigitGeneratorReportOptions {
  /** Number of generated (and real) samples (default 1000). */
  n?: number;
  channels: number;
  latentDim: number;
  seed?: number;
}

/**
 * Draws n samples from `generator` ([n, latentDim] -> [n, 14, 14, channels] or [n, 196 * channels]).
 * Asynchronous, as is the report: samples are read with `await t.data()` (webgpu cannot read synchronously).
 */
export async function sampleDigitGenerator(generator: Net, n: number, latentDim: number, channels: number, seed = 0): Promise<Float32Array> {
  const p = DIGIT_CLASSIFIER_SIZE * DIGIT_CLASSIFIER_SIZE * channels;
  const out = new Float32Array(n * p);
  const batch = 250;
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const t = tf.tidy(() => generator.apply(tf.randomNormal([m, latentDim], 0, 1, 'float32', seed + s)));
    let v: Float32Array;
    try {
      v = (await t.data()) as Float32Array;
    } finally {
      t.dispose();
    }
    if (v.length !== m * p) throw new Error(`sampleDigitGenerator: the generator gave ${v.length / m} values per sample, expected 14*14*${channels} = ${p}`);
    out.set(v, s * p);
  }
  return out;
}

export async function digitGeneratorReport(generator: Net, classifier: DigitClassifier, real: DigitSet, opts: DigitGeneratorReportOptions): Promise<DigitGeneratorReport> {
  const { n = 1000, channels, latentDim, seed = 0 } = opts;
  checkInteger('digitGeneratorReport', 'opts.n', n, 2);
  if (real.size !== DIGIT_CLASSIFIER_SIZE) throw new Error(`digitGeneratorReport: real must hold ${DIGIT_CLASSIFIER_SIZE}x${DIGIT_CLASSIFIER_SIZE} digits, got ${real.size}x${real.size}`);
  const samples = await sampleDigitGenerator(generator, n, latentDim, channels, seed);
  const ref = sampleStackedDigits(real, { n, channels, r: makeRng(seed + 7) });
  return {
    modes: await countStackedModes(classifier, samples, n, channels),
    frechet: await digitFrechetDistance(classifier, samples, n, ref.pixels, n, channels),
    samples,
  };
}
