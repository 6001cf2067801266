/**
 * Synthetic "scenes" for semantic image synthesis (SPADE / GauGAN, Park et al. 2019): pairs
 * of a semantic mask (a class per pixel) and a one-channel image rendered from it. They stand
 * in for the paper's labelled photographs (COCO-Stuff, Cityscapes, ADE20K) at a size a CPU
 * trains in a minute, and keep what the experiment needs:
 * - the mask has large uniform regions (a background, then 2-4 rectangles, discs and
 *   half-planes painted over each other), the case where normalisation washes the class away;
 * - the class is carried by the TEXTURE, not only by the brightness: class k is a sinusoidal
 *   grating with its own orientation, period (3-8 px) and mean intensity, with a random phase
 *   per image and region-independent pixel noise, so that a small segmenter can tell the
 *   classes apart locally, and so it can judge a generator by whether its textures sit where
 *   the mask says.
 * The class textures depend only on the class and on `classes` (not on the seed), so scenes
 * drawn with different seeds share them: a segmenter trained on one set reads another.
 *
 * Plain numbers: masks and images row-major per image, NHWC with one channel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkFinite, checkInteger, checkKnownOptions, checkNonNegativeInt, checkPositiveInt } from '../core/args';
import { rng, Rng } from '../core/random';

export interface SyntheticScenesOptions {
  /** Number of (mask, image) pairs. */
  count: number;
  /** Side of the square images (default 16, at least 8). */
  size?: number;
  /** Number of classes K including the background 0 (default 4, from 2 to 8). */
  classes?: number;
  /** Seed of the shapes, the phases and the noise. */
  seed: number;
}

export interface SyntheticScenes {
  count: number;
  size: number;
  classes: number;
  /** count * size * size class indices in [0, classes), row-major per image. */
  masks: Int32Array;
  /** count * size * size pixel values in [-1, 1], one channel, aligned with `masks`. */
  images: Float32Array;
}

/** The grating that renders one class. */
export interface SceneTexture {
  /** Direction of the grating's wave vector, radians in [0, pi). */
  angle: number;
  /** Wavelength in pixels, in [3, 8]. */
  period: number;
  /** Mean intensity, in [-0.6, 0.6]. */
  mean: number;
}

const OPTIONS = ['count', 'size', 'classes', 'seed'] as const;
const MAX_CLASSES = 8;
/** Grating amplitude and pixel noise: mean +- (amplitude + 3 noise) stays inside [-1, 1]. */
const AMPLITUDE = 0.3;
const NOISE_STD = 0.03;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * The class textures for `classes` classes. Orientations are evenly spread over half a turn,
 * means evenly over [-0.6, 0.6], and periods follow the golden-ratio sequence over [3, 8] so
 * that neither the period nor the orientation is a function of the brightness order.
 */
export function sceneTextures(classes: number): SceneTexture[] {
  checkInteger('sceneTextures', 'classes', classes, 2, MAX_CLASSES);
  return Array.from({ length: classes }, (_, k) => ({
    angle: (Math.PI * (k + 0.5)) / classes,
    period: 3 + 5 * ((k * GOLDEN) % 1),
    mean: -0.6 + (1.2 * k) / (classes - 1),
  }));
}

/** Paints one random shape of class `cls` into `mask` (size x size). */
function paintShape(mask: Int32Array, size: number, cls: number, r: Rng): void {
  const kind = r.uniform();
  if (kind < 0.4) {
    // Axis-aligned rectangle, each side from a quarter to 5/8 of the image.
    const lo = Math.floor(size / 4);
    const w = lo + r.int(Math.round((5 * size) / 8) - lo + 1);
    const h = lo + r.int(Math.round((5 * size) / 8) - lo + 1);
    const x0 = r.int(size - w + 1);
    const y0 = r.int(size - h + 1);
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) mask[y * size + x] = cls;
  } else if (kind < 0.8) {
    // Disc, diameter from 5/16 to 5/8 of the image; the centre may sit near the border.
    const radius = (size / 32) * (5 + 5 * r.uniform());
    const cx = r.uniform() * size;
    const cy = r.uniform() * size;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius * radius) mask[y * size + x] = cls;
      }
    }
  } else {
    // Half-plane: the side of a random line beyond a point between a quarter and the centre
    // of the image, so it covers up to about half of it.
    const a = 2 * Math.PI * r.uniform();
    const nx = Math.cos(a);
    const ny = Math.sin(a);
    const offset = (0.05 + 0.2 * r.uniform()) * size;
    const c = size / 2;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if ((x + 0.5 - c) * nx + (y + 0.5 - c) * ny > offset) mask[y * size + x] = cls;
      }
    }
  }
}

/** Mask and image pairs; see the file comment for how they are drawn. */
export function syntheticScenes(opts: SyntheticScenesOptions): SyntheticScenes {
  const who = 'syntheticScenes';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object { count, size, classes, seed }', opts);
  checkKnownOptions(who, opts, OPTIONS);
  const { count } = opts;
  checkNonNegativeInt(who, 'count', count);
  const size = opts.size ?? 16;
  checkInteger(who, 'size', size, 8);
  const classes = opts.classes ?? 4;
  checkInteger(who, 'classes', classes, 2, MAX_CLASSES);
  checkFinite(who, 'seed', opts.seed);
  const textures = sceneTextures(classes);
  const r = rng(opts.seed);
  const P = size * size;
  const masks = new Int32Array(count * P);
  const images = new Float32Array(count * P);
  const phases = new Float64Array(classes);
  for (let i = 0; i < count; i++) {
    const mask = masks.subarray(i * P, (i + 1) * P);
    const shapes = 2 + r.int(3);
    for (let s = 0; s < shapes; s++) paintShape(mask, size, 1 + r.int(classes - 1), r);
    for (let k = 0; k < classes; k++) phases[k] = 2 * Math.PI * r.uniform();
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const k = mask[y * size + x];
        const t = textures[k];
        const u = x * Math.cos(t.angle) + y * Math.sin(t.angle);
        const v = t.mean + AMPLITUDE * Math.sin((2 * Math.PI * u) / t.period + phases[k]) + NOISE_STD * r.normal();
        images[i * P + y * size + x] = Math.max(-1, Math.min(1, v));
      }
    }
  }
  return { count, size, classes, masks, images };
}

/**
 * One-hot NHWC maps [count, size, size, classes] of class masks (count * size * size labels,
 * row-major per image), as Float32Array: the form SPADE reads as `opts.condition`.
 */
export function oneHotMasks(masks: Int32Array, count: number, size: number, classes: number): Float32Array {
  const who = 'oneHotMasks';
  checkNonNegativeInt(who, 'count', count);
  checkPositiveInt(who, 'size', size);
  checkPositiveInt(who, 'classes', classes);
  if (!(masks instanceof Int32Array)) throw argumentError(who, 'masks', 'an Int32Array of class indices', typeof masks);
  const P = size * size;
  if (masks.length !== count * P) {
    throw new Error(`${who}: masks must hold count * size * size = ${count} * ${size} * ${size} = ${count * P} labels, got ${masks.length}`);
  }
  const out = new Float32Array(masks.length * classes);
  for (let j = 0; j < masks.length; j++) {
    const k = masks[j];
    if (!(k >= 0 && k < classes)) {
      const i = Math.floor(j / P);
      const y = Math.floor((j % P) / size);
      throw new Error(`${who}: masks must hold classes in [0, ${classes}), got ${k} at index ${j} (image ${i}, row ${y}, column ${j % size})`);
    }
    out[j * classes + k] = 1;
  }
  return out;
}

/** A training batch of scenes: images [n, size, size, 1] in [-1, 1] and one-hot masks [n, size, size, classes]. */
export interface SceneBatch {
  images: tf.Tensor4D;
  masks: tf.Tensor4D;
}

/**
 * A sampler of scene batches, n -> NEW tensors of n pairs drawn uniformly (with replacement)
 * from `scenes` by the stream `r`: the `sampleBatch` SPADE's trainer asks for.
 */
export function sceneBatches(scenes: SyntheticScenes, r: Rng): (n: number) => SceneBatch {
  const who = 'sceneBatches';
  if (!scenes || !(scenes.masks instanceof Int32Array) || !(scenes.images instanceof Float32Array)) {
    throw argumentError(who, 'scenes', 'a SyntheticScenes object (syntheticScenes(...))', typeof scenes);
  }
  if (!r || typeof r.int !== 'function') throw argumentError(who, 'r', 'an Rng (rng(seed))', typeof r);
  const { count, size, classes } = scenes;
  checkPositiveInt(who, 'scenes.count', count);
  const P = size * size;
  if (scenes.images.length !== count * P) throw new Error(`${who}: scenes.images must hold count * size * size = ${count * P} values, got ${scenes.images.length}`);
  const hot = oneHotMasks(scenes.masks, count, size, classes);
  return (n) => {
    checkPositiveInt(who, 'n', n);
    const img = new Float32Array(n * P);
    const msk = new Float32Array(n * P * classes);
    for (let i = 0; i < n; i++) {
      const j = r.int(count);
      img.set(scenes.images.subarray(j * P, (j + 1) * P), i * P);
      msk.set(hot.subarray(j * P * classes, (j + 1) * P * classes), i * P * classes);
    }
    return { images: tf.tensor4d(img, [n, size, size, 1]), masks: tf.tensor4d(msk, [n, size, size, classes]) };
  };
}
