/**
 * Sine-wave data sets, the toy benchmarks of the two time-series GAN papers:
 *
 * - `sineSequences`: TimeGAN's (Yoon, Jarrett & van der Schaar 2019, sect. 5.2; the official
 *   code's `sine_data_generation`). Each of the `features` channels of each sequence is an
 *   independent sine x_j = sin(f j + phi), j = 0..length-1, with f ~ U(0, 0.1) and
 *   phi ~ U(0, 0.1), rescaled to [0, 1] by (x + 1) / 2. With f <= 0.1 rad per step a sequence
 *   of 24 steps covers at most 2.4 rad, less than half a period: the sequences are smooth
 *   arcs whose curvature and level differ from channel to channel.
 * - `rcganSines`: RCGAN's (Esteban, Hyland & Raetsch 2017, sect. 4.1): one channel,
 *   x_j = A sin(2 pi f j / length + phi), j = 1..length (the official code counts from 1),
 *   amplitude A ~ U(0.1, 0.9), frequency f ~ U(1, 5) in cycles per sequence, phase
 *   phi ~ U(-pi, pi). Values lie in [-0.9, 0.9].
 *
 * Both return a row-major Float32Array [count, length, features] and the drawn parameters, so
 * the chapter can compare a generator's sequences with the known ones.
 */
import { argumentError, checkKnownOptions, checkPositiveInt } from '../core/args';
import { rng } from '../core/random';

export interface SineSequencesOptions {
  count: number;
  /** Time steps per sequence (default 24, as in TimeGAN). */
  length?: number;
  /** Channels per sequence (default 5, as in TimeGAN). */
  features?: number;
  seed: number;
}

export interface SineSequences {
  count: number;
  length: number;
  features: number;
  /** count * length * features values in [0, 1], row-major [sequence, step, feature]. */
  data: Float32Array;
  /** Angular frequency (radians per step) of each channel, [count, features]. */
  frequencies: Float32Array;
  /** Phase (radians) of each channel, [count, features]. */
  phases: Float32Array;
}

function checkSeed(who: string, seed: unknown): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argumentError(who, 'seed', 'a finite number', seed);
}

/** TimeGAN's multichannel sines (see the file comment). */
export function sineSequences(opts: SineSequencesOptions): SineSequences {
  const who = 'sineSequences';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object', opts);
  checkKnownOptions(who, opts, ['count', 'length', 'features', 'seed']);
  const { count, length = 24, features = 5, seed } = opts;
  checkPositiveInt(who, 'count', count);
  checkPositiveInt(who, 'length', length);
  checkPositiveInt(who, 'features', features);
  checkSeed(who, seed);
  const r = rng(seed);
  const data = new Float32Array(count * length * features);
  const frequencies = new Float32Array(count * features);
  const phases = new Float32Array(count * features);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < features; k++) {
      // drawn in the official code's order: frequency, then phase, channel by channel
      const f = 0.1 * r.uniform();
      const phi = 0.1 * r.uniform();
      frequencies[i * features + k] = f;
      phases[i * features + k] = phi;
      for (let j = 0; j < length; j++) data[(i * length + j) * features + k] = (Math.sin(f * j + phi) + 1) / 2;
    }
  }
  return { count, length, features, data, frequencies, phases };
}

export interface RcganSinesOptions {
  count: number;
  /** Time steps per sequence (default 30, as in RCGAN). */
  length?: number;
  seed: number;
}

export interface RcganSines {
  count: number;
  length: number;
  /** Always 1: RCGAN's sines have one channel. */
  features: 1;
  /** count * length values in [-0.9, 0.9], row-major [sequence, step] (one feature). */
  data: Float32Array;
  /** Amplitude of each sequence, in [0.1, 0.9]. */
  amplitudes: Float32Array;
  /** Frequency of each sequence in cycles per sequence, in [1, 5]. */
  frequencies: Float32Array;
  /** Phase of each sequence in radians, in [-pi, pi]. */
  phases: Float32Array;
}

/** RCGAN's one-channel sines of random amplitude, frequency and phase (see the file comment). */
export function rcganSines(opts: RcganSinesOptions): RcganSines {
  const who = 'rcganSines';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object', opts);
  checkKnownOptions(who, opts, ['count', 'length', 'seed']);
  const { count, length = 30, seed } = opts;
  checkPositiveInt(who, 'count', count);
  checkPositiveInt(who, 'length', length);
  checkSeed(who, seed);
  const r = rng(seed);
  const data = new Float32Array(count * length);
  const amplitudes = new Float32Array(count);
  const frequencies = new Float32Array(count);
  const phases = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const f = 1 + 4 * r.uniform();
    const a = 0.1 + 0.8 * r.uniform();
    const phi = Math.PI * (2 * r.uniform() - 1);
    frequencies[i] = f;
    amplitudes[i] = a;
    phases[i] = phi;
    for (let j = 0; j < length; j++) data[i * length + j] = a * Math.sin((2 * Math.PI * f * (j + 1)) / length + phi);
  }
  return { count, length, features: 1, data, amplitudes, frequencies, phases };
}
