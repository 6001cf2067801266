/**
 * Stacked digits in the spirit of StackedMNIST (Metz et al. 2017; used by VEEGAN, PacGAN and
 * R3GAN): every sample stacks `channels` independently drawn digits as the channels of one
 * image, so the data has 10^channels equally likely modes (100 for 2 channels, 1,000 for 3),
 * and a classifier applied channel by channel tells which mode a generated image is in.
 * Mode id = sum_k digit_k * 10^k (channel 0 is the ones digit).
 */
import type { Rng } from '../../core/random';
import type { DigitSet } from './mnistDigits';
import { checkInteger, checkNonNegativeInt, checkOneOf } from '../../core/args';

export interface StackedDigitBatch {
  /** NHWC, `n * size * size * channels` values in `range`. */
  pixels: Float32Array;
  /** Mode id of each sample, in [0, 10^channels). */
  modes: Int32Array;
  n: number;
  size: number;
  channels: number;
}

const PIXEL_RANGES = ['0..1', '-1..1'] as const;

export interface StackedDigitOptions {
  n: number;
  channels: number;
  r: Rng;
  /** Pixel range of the output; GANs with a tanh output use [-1, 1] (default). */
  range?: '0..1' | '-1..1';
}

export function modeId(digits: number[]): number {
  let id = 0;
  for (let k = digits.length - 1; k >= 0; k--) {
    const d = digits[k];
    checkInteger('modeId', `digits[${k}]`, d, 0, 9);
    id = id * 10 + d;
  }
  return id;
}

export function modeDigits(id: number, channels: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < channels; k++) {
    out.push(id % 10);
    id = Math.floor(id / 10);
  }
  return out;
}

export function sampleStackedDigits(set: DigitSet, opts: StackedDigitOptions): StackedDigitBatch {
  const { n, channels, r, range = '-1..1' } = opts;
  checkNonNegativeInt('sampleStackedDigits', 'opts.n', n);
  checkInteger('sampleStackedDigits', 'opts.channels', channels, 1, 4);
  checkOneOf('sampleStackedDigits', 'opts.range', range, PIXEL_RANGES);
  if (set.count === 0) throw new Error('sampleStackedDigits: the digit set is empty');
  const s = set.size;
  const p = s * s;
  const pixels = new Float32Array(n * p * channels);
  const modes = new Int32Array(n);
  const [scale, shift] = range === '-1..1' ? [2, -1] : [1, 0];
  for (let i = 0; i < n; i++) {
    let id = 0;
    let place = 1;
    for (let c = 0; c < channels; c++) {
      const j = r.int(set.count);
      id += set.labels[j] * place;
      place *= 10;
      const src = j * p;
      const base = i * p * channels;
      for (let q = 0; q < p; q++) pixels[base + q * channels + c] = scale * set.images[src + q] + shift;
    }
    modes[i] = id;
  }
  return { pixels, modes, n, size: s, channels };
}

/** A batch of single digits (one channel) with their labels, NHWC in the given range. */
export function sampleDigits(set: DigitSet, n: number, r: Rng, range: '0..1' | '-1..1' = '-1..1'): { pixels: Float32Array; labels: Uint8Array } {
  const b = sampleStackedDigits(set, { n, channels: 1, r, range });
  return { pixels: b.pixels, labels: Uint8Array.from(b.modes) };
}

/**
 * Lays the channels of NHWC stacked images side by side as one-channel images
 * ([n, size, size * channels, 1] values, row-major), so an image grid can show them.
 */
export function channelsSideBySide(pixels: ArrayLike<number>, n: number, size: number, channels: number): { data: Float32Array; shape: [number, number, number, number] } {
  if (pixels.length !== n * size * size * channels) {
    throw new Error(`channelsSideBySide: pixels must hold n*size*size*channels = ${n * size * size * channels} values, got ${pixels.length}`);
  }
  const w = size * channels;
  const data = new Float32Array(n * size * w);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < channels; c++) {
          data[i * size * w + y * w + c * size + x] = pixels[((i * size + y) * size + x) * channels + c];
        }
      }
    }
  }
  return { data, shape: [n, size, w, 1] };
}
