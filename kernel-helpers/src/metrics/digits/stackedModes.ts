/**
 * Mode counting on stacked digits with the course classifier: each channel of a generated
 * image is classified on its own, the digits give the mode id (sum_k digit_k 10^k), and the
 * histogram over the 10^channels modes gives the modes hit (at least one sample, the
 * StackedMNIST convention) and KL(histogram || uniform). A Frechet distance in the classifier's
 * feature space (channel features concatenated) measures sample quality.
 */
import { klToUniform } from '../modeCoverage';
import { checkInteger, checkNonNegativeInt } from '../../core/args';
import { DIGIT_CLASSIFIER_SIZE, DIGIT_FEATURE_DIM, DigitClassifier } from './digitClassifier';
import { frechetDistance } from './frechetDistance';

export interface StackedModeCount {
  /** Mode id of each sample. */
  modes: Int32Array;
  /** Samples per mode, length 10^channels. */
  counts: number[];
  modesHit: number;
  totalModes: number;
  /** KL(mode histogram || uniform) in nats; log(10^channels) when every sample is in one mode. */
  klToUniform: number;
}

/** `n` stacked 14x14 images of `channels` digits each, NHWC. */
function checkStacked(who: string, name: string, pixels: Float32Array, n: number, channels: number): void {
  checkNonNegativeInt(who, 'n', n);
  checkInteger(who, 'channels', channels, 1, 4);
  const p = DIGIT_CLASSIFIER_SIZE * DIGIT_CLASSIFIER_SIZE;
  if (pixels.length !== n * p * channels) {
    throw new Error(`${who}: ${name} must hold n*14*14*channels = ${n * p * channels} values (NHWC, 14x14), got ${pixels.length}`);
  }
}

/** Channel `c` of NHWC stacked images as one-channel images. */
export function channelOf(pixels: Float32Array, n: number, channels: number, c: number): Float32Array {
  const p = DIGIT_CLASSIFIER_SIZE * DIGIT_CLASSIFIER_SIZE;
  const out = new Float32Array(n * p);
  for (let i = 0; i < n * p; i++) out[i] = pixels[i * channels + c];
  return out;
}

/** Asynchronous: the classifier's predictions are read with `await t.data()`. */
export async function countStackedModes(clf: DigitClassifier, pixels: Float32Array, n: number, channels: number): Promise<StackedModeCount> {
  checkStacked('countStackedModes', 'pixels', pixels, n, channels);
  const modes = new Int32Array(n);
  let place = 1;
  for (let c = 0; c < channels; c++) {
    const digits = await clf.predict(channelOf(pixels, n, channels, c), n);
    for (let i = 0; i < n; i++) modes[i] += digits[i] * place;
    place *= 10;
  }
  const counts = new Array<number>(place).fill(0);
  for (const m of modes) counts[m]++;
  return { modes, counts, modesHit: counts.filter((x) => x > 0).length, totalModes: place, klToUniform: klToUniform(counts) };
}

/** Classifier features of stacked images: the channels' 64-d features side by side, [n, 64 * channels]. */
export async function stackedFeatures(clf: DigitClassifier, pixels: Float32Array, n: number, channels: number): Promise<Float32Array> {
  checkStacked('stackedFeatures', 'pixels', pixels, n, channels);
  const d = DIGIT_FEATURE_DIM;
  const out = new Float32Array(n * d * channels);
  for (let c = 0; c < channels; c++) {
    const f = await clf.featuresOf(channelOf(pixels, n, channels, c), n);
    for (let i = 0; i < n; i++) out.set(f.subarray(i * d, (i + 1) * d), (i * channels + c) * d);
  }
  return out;
}

/** Squared Frechet distance in the classifier's feature space between two sets of (stacked) digit images. */
export async function digitFrechetDistance(clf: DigitClassifier, a: Float32Array, nA: number, b: Float32Array, nB: number, channels = 1): Promise<number> {
  const fa = await stackedFeatures(clf, a, nA, channels);
  const fb = await stackedFeatures(clf, b, nB, channels);
  return frechetDistance(fa, nA, fb, nB, DIGIT_FEATURE_DIM * channels);
}
