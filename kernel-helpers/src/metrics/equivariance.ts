/**
 * Equivariance metrics EQ-T and EQ-R of StyleGAN3 (Karras et al. 2021, "Alias-Free
 * Generative Adversarial Networks", sect. 3 and app. E): a peak signal-to-noise ratio, in dB,
 * between the image drawn from a transformed input and the transformed image,
 *
 *   EQ-T = 10 log10( I_max^2 / E_{t, p, c}[ (g(t[z])_c(p) - t[g(z)]_c(p))^2 ] ),
 *
 * the expectation over random transforms t and over the VALID pixels p (and channels c): those
 * whose source under t lies inside the image, so that nothing is compared against content
 * the image never had. As in the paper's code, the squared errors and the valid pixels are
 * summed over all transforms before dividing (one pooled mean, not a mean of PSNRs), and
 * I_max = 2, the dynamic range of images in [-1, 1].
 *
 * Translations t: each axis uniform in [-maxShift, maxShift] times the image size (paper:
 * maxShift = 1/8). 'integer' rounds to whole pixels and shifts the reference by indices
 * (exact); 'fractional' keeps the fraction and resamples the reference, either with the
 * paper's Lanczos kernel (a = 3, normalised to sum 1; valid pixels are those whose whole
 * 2a-tap footprint lies inside) or with 'sinc': the exact band-limited shift of the periodic
 * image, i.e. its 2-D DFT times a phase ramp, written as one real n x n matrix per axis
 * (products, no FFT: the wasm backend has none). 'sinc' is exact for content that is periodic
 * on the canvas; for an ordinary image the wrap-around discontinuity rings through the whole
 * image, which is why the paper's local kernel is the default.
 *
 * Rotations (EQ-R): angle uniform in [-maxAngle, maxAngle] (paper's code: pi). The paper
 * compares pseudo-rotations, both images passed through the same rotated band-limiting
 * filter; here, more simply, the untransformed output is resampled at the rotated positions
 * with a separable Lanczos-a kernel and compared with the image from the rotated input as it
 * is. That is an approximation: interpolation error grows as content approaches Nyquist, and
 * turning a square spectrum moves its corners out of band, so even an exactly equivariant
 * image of band-limited content scores finitely. Measured on exactly transformed Fourier
 * features up to 0.25 cycles per pixel (test/unit/metrics/equivariance.test.ts): fractional
 * EQ-T ~55 dB with Lanczos-3 (~68 with a = 5), EQ-R ~53 dB; scores near those say "as
 * equivariant as this yardstick can tell".
 *
 * Perfect agreement would give Infinity; results are capped at `capDb` (default 100 dB, well
 * below the ~140 dB float32 rounding floor of images in [-1, 1]), so "exact" reads as 100.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkNonNegative, checkOneOf, checkPositive, checkPositiveInt } from '../core/args';
import type { SynthesisTransform } from '../gan/models/synthesisPaths';
import { SeedLike, toRng } from '../nn/init';

/** Anything that draws an image for an input transform (a `SynthesisPath`, or your own). */
export interface TransformableRenderer {
  /** [1, height, width, channels] for the transformed input; the metric disposes it. */
  render(t: SynthesisTransform): tf.Tensor;
}

export const EQ_T_SHIFTS = ['integer', 'fractional'] as const;
export type EqTShifts = (typeof EQ_T_SHIFTS)[number];
export const FRACTIONAL_INTERPOLATIONS = ['lanczos', 'sinc'] as const;
export type FractionalInterpolation = (typeof FRACTIONAL_INTERPOLATIONS)[number];

interface CommonOptions {
  /** Random transforms (default 16). */
  count?: number;
  seed?: SeedLike;
  /** I_max, the images' dynamic range (default 2: images in [-1, 1], as the paper). */
  peak?: number;
  /** Largest value reported, dB (default 100); Infinity lifts the cap, so that an exact match reads Infinity. */
  capDb?: number;
  /** Lanczos window a (default 3, the paper's); larger is closer to an ideal sinc. */
  lanczosA?: number;
}

export interface EquivarianceTOptions extends CommonOptions {
  /** 'integer' (default) or 'fractional' shifts. */
  shifts?: EqTShifts;
  /** Largest shift per axis as a fraction of the image size, in [0, 1) (default 1/8, the paper's). */
  maxShift?: number;
  /** Resampling of the reference for fractional shifts (default 'lanczos'). */
  interpolation?: FractionalInterpolation;
}

export interface EquivarianceROptions extends CommonOptions {
  /** Largest angle, radians (default pi: any rotation). */
  maxAngle?: number;
}

export interface EquivarianceSample {
  /** The transform applied. */
  transform: SynthesisTransform;
  /** Mean squared error over this transform's valid pixels (NaN if none). */
  mse: number;
  /** Valid pixels (per channel). */
  validPixels: number;
}

export interface EquivarianceResult {
  /** The metric in dB, 10 log10(peak^2 / mse), at most capDb. */
  db: number;
  /** Pooled mean squared error over all valid pixels of all transforms. */
  mse: number;
  /** Share of the compared pixels that were valid. */
  validShare: number;
  samples: EquivarianceSample[];
}

/** An image in plain numbers, row-major [height, width, channels]. */
export interface PlainImage {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** The image and its mask (1 where the pixel is valid), [height, width]. */
export interface ResampledImage {
  image: PlainImage;
  mask: Uint8Array;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

function lanczos(x: number, a: number): number {
  return Math.abs(x) >= a ? 0 : sinc(x) * sinc(x / a);
}

/** (1/n) sum over the n symmetric DFT frequencies of e^{2 pi i k x / n}, the Nyquist term split in two halves: a real periodic sinc. */
function periodicSinc(x: number, n: number): number {
  let s = 1;
  const kMax = Math.ceil(n / 2) - 1;
  for (let k = 1; k <= kMax; k++) s += 2 * Math.cos((2 * Math.PI * k * x) / n);
  if (n % 2 === 0) s += Math.cos(Math.PI * x);
  return s / n;
}

/**
 * Per-axis resampling for a shift by t (content moves by +t): the [n, n] matrix M (out = M in)
 * and which outputs are valid.
 */
function shiftMatrix(n: number, t: number, kind: 'integer' | FractionalInterpolation, a: number): { m: Float64Array; valid: Uint8Array } {
  const m = new Float64Array(n * n);
  const valid = new Uint8Array(n);
  const whole = Number.isInteger(t);
  for (let i = 0; i < n; i++) {
    const q = i - t; // source position
    if (kind === 'integer' || whole) {
      if (q >= 0 && q <= n - 1) {
        m[i * n + q] = 1;
        valid[i] = 1;
      }
    } else if (kind === 'lanczos') {
      const lo = Math.floor(q) - a + 1;
      const hi = Math.floor(q) + a;
      if (lo < 0 || hi > n - 1) continue;
      let sum = 0;
      for (let j = lo; j <= hi; j++) sum += lanczos(q - j, a);
      for (let j = lo; j <= hi; j++) m[i * n + j] = lanczos(q - j, a) / sum;
      valid[i] = 1;
    } else {
      for (let j = 0; j < n; j++) m[i * n + j] = periodicSinc(q - j, n);
      valid[i] = q >= 0 && q <= n - 1 ? 1 : 0;
    }
  }
  return { m, valid };
}

function checkImage(who: string, img: PlainImage): void {
  const ok = img != null && img.data instanceof Float32Array && [img.height, img.width, img.channels].every((d) => Number.isInteger(d) && d > 0);
  if (!ok || img.data.length !== img.height * img.width * img.channels) {
    throw argumentError(who, 'image', '{ data: Float32Array, height, width, channels } with data.length = height * width * channels', img && { height: img.height, width: img.width, channels: img.channels });
  }
}

/**
 * The image translated by [dx, dy] pixels (content moves right and down), with its valid
 * mask: by indices for whole shifts, else by Lanczos-a or periodic-sinc resampling along
 * each axis (see the module comment). Separable: out = My x Mx^T per channel.
 */
export function translateImage(image: PlainImage, shift: readonly [number, number], opts: { interpolation?: FractionalInterpolation; lanczosA?: number } = {}): ResampledImage {
  const who = 'translateImage';
  checkKnownOptions(who, opts, ['interpolation', 'lanczosA']);
  checkImage(who, image);
  if (!Array.isArray(shift) || shift.length !== 2 || !shift.every(Number.isFinite)) throw argumentError(who, 'shift', '[dx, dy] finite numbers', shift);
  const kind = opts.interpolation ?? 'lanczos';
  checkOneOf(who, 'interpolation', kind, FRACTIONAL_INTERPOLATIONS);
  const a = opts.lanczosA ?? 3;
  checkInteger(who, 'lanczosA', a, 1, 16);
  return applyShift(image, shift[0], shift[1], kind, a);
}

function applyShift(img: PlainImage, dx: number, dy: number, kind: 'integer' | FractionalInterpolation, a: number): ResampledImage {
  const { height: h, width: w, channels: c, data } = img;
  const mx = shiftMatrix(w, dx, kind, a);
  const my = shiftMatrix(h, dy, kind, a);
  // Along the width: tmp[i', j, ch] = sum_j' Mx[j, j'] x[i', j', ch]; then along the height.
  const tmp = new Float64Array(h * w * c);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      for (let jj = 0; jj < w; jj++) {
        const wt = mx.m[j * w + jj];
        if (wt === 0) continue;
        for (let ch = 0; ch < c; ch++) tmp[(i * w + j) * c + ch] += wt * data[(i * w + jj) * c + ch];
      }
    }
  }
  const out = new Float32Array(h * w * c);
  for (let i = 0; i < h; i++) {
    for (let ii = 0; ii < h; ii++) {
      const wt = my.m[i * h + ii];
      if (wt === 0) continue;
      for (let j = 0; j < w; j++) for (let ch = 0; ch < c; ch++) out[(i * w + j) * c + ch] += wt * tmp[(ii * w + j) * c + ch];
    }
  }
  const mask = new Uint8Array(h * w);
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) mask[i * w + j] = my.valid[i] & mx.valid[j];
  return { image: { data: out, height: h, width: w, channels: c }, mask };
}

/**
 * The image rotated by `angle` radians about its centre, +x (columns) towards +y (rows), as
 * `SynthesisTransform.rotate`: each output pixel reads the input at the rotated-back position
 * through a separable Lanczos-a kernel (normalised to sum 1). Valid: the whole 2a x 2a
 * footprint lies inside the image.
 */
export function rotateImage(image: PlainImage, angle: number, opts: { lanczosA?: number } = {}): ResampledImage {
  const who = 'rotateImage';
  checkKnownOptions(who, opts, ['lanczosA']);
  checkImage(who, image);
  if (typeof angle !== 'number' || !Number.isFinite(angle)) throw argumentError(who, 'angle', 'a finite number (radians)', angle);
  const a = opts.lanczosA ?? 3;
  checkInteger(who, 'lanczosA', a, 1, 16);
  return applyRotation(image, angle, a);
}

function applyRotation(img: PlainImage, angle: number, a: number): ResampledImage {
  const { height: h, width: w, channels: c, data } = img;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const out = new Float32Array(h * w * c);
  const mask = new Uint8Array(h * w);
  const wx = new Float64Array(2 * a);
  const wy = new Float64Array(2 * a);
  const acc = new Float64Array(c);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      // Pixel centres at (j + 1/2, i + 1/2), the image centre at (w/2, h/2): source = R^-1 (p - centre).
      const px = j + 0.5 - w / 2;
      const py = i + 0.5 - h / 2;
      const qx = cos * px + sin * py + w / 2 - 0.5;
      const qy = -sin * px + cos * py + h / 2 - 0.5;
      // Snap what rounding left a hair from a whole pixel, so that angle 0 (or pi/2) is exact.
      const sx = Math.abs(qx - Math.round(qx)) < 1e-9 ? Math.round(qx) : qx;
      const sy = Math.abs(qy - Math.round(qy)) < 1e-9 ? Math.round(qy) : qy;
      const x0 = Math.floor(sx) - a + 1;
      const y0 = Math.floor(sy) - a + 1;
      if (x0 < 0 || y0 < 0 || x0 + 2 * a - 1 > w - 1 || y0 + 2 * a - 1 > h - 1) continue;
      let sumX = 0;
      let sumY = 0;
      for (let k = 0; k < 2 * a; k++) {
        wx[k] = lanczos(sx - (x0 + k), a);
        wy[k] = lanczos(sy - (y0 + k), a);
        sumX += wx[k];
        sumY += wy[k];
      }
      acc.fill(0);
      for (let ky = 0; ky < 2 * a; ky++) {
        if (wy[ky] === 0) continue;
        for (let kx = 0; kx < 2 * a; kx++) {
          const wt = wy[ky] * wx[kx];
          if (wt === 0) continue;
          const base = ((y0 + ky) * w + x0 + kx) * c;
          for (let ch = 0; ch < c; ch++) acc[ch] += wt * data[base + ch];
        }
      }
      for (let ch = 0; ch < c; ch++) out[(i * w + j) * c + ch] = acc[ch] / (sumX * sumY);
      mask[i * w + j] = 1;
    }
  }
  return { image: { data: out, height: h, width: w, channels: c }, mask };
}

async function renderPlain(who: string, renderer: TransformableRenderer, t: SynthesisTransform, like?: PlainImage): Promise<PlainImage> {
  const y = renderer.render(t);
  if (!(y instanceof tf.Tensor) || y.rank !== 4 || y.shape[0] !== 1) {
    const shape = y instanceof tf.Tensor ? y.shape : y;
    if (y instanceof tf.Tensor) y.dispose();
    throw argumentError(who, 'renderer.render(...)', 'a [1, height, width, channels] tensor', shape);
  }
  const [, height, width, channels] = y.shape;
  const data = Float32Array.from(await y.data());
  y.dispose();
  if (like && (like.height !== height || like.width !== width || like.channels !== channels)) {
    throw new Error(`${who}: renderer.render gave [1, ${height}, ${width}, ${channels}] for ${JSON.stringify(t)} but [1, ${like.height}, ${like.width}, ${like.channels}] untransformed`);
  }
  return { data, height, width, channels };
}

interface Resolved {
  count: number;
  peak: number;
  capDb: number;
  a: number;
  r: ReturnType<typeof toRng>;
}

function resolveCommon(who: string, renderer: TransformableRenderer, opts: CommonOptions): Resolved {
  if (renderer == null || typeof renderer.render !== 'function') throw argumentError(who, 'renderer', 'an object with render(transform)', renderer);
  const count = opts.count ?? 16;
  checkPositiveInt(who, 'count', count);
  const peak = opts.peak ?? 2;
  checkPositive(who, 'peak', peak);
  const capDb = opts.capDb ?? 100;
  if (capDb !== Infinity) checkPositive(who, 'capDb', capDb);
  const a = opts.lanczosA ?? 3;
  checkInteger(who, 'lanczosA', a, 1, 16);
  return { count, peak, capDb, a, r: toRng(opts.seed) };
}

function accumulate(ref: ResampledImage, img: PlainImage): { sq: number; valid: number } {
  let sq = 0;
  let valid = 0;
  const c = img.channels;
  for (let p = 0; p < ref.mask.length; p++) {
    if (!ref.mask[p]) continue;
    for (let ch = 0; ch < c; ch++) {
      const d = img.data[p * c + ch] - ref.image.data[p * c + ch];
      sq += d * d;
    }
    valid += c;
  }
  return { sq, valid };
}

function summarise(who: string, samples: EquivarianceSample[], sq: number, valid: number, compared: number, r: Resolved): EquivarianceResult {
  if (valid === 0) throw new Error(`${who}: no pixel was valid under any transform; use smaller transforms or a larger image`);
  const mse = sq / valid;
  const db = mse === 0 ? r.capDb : Math.min(r.capDb, 10 * Math.log10((r.peak * r.peak) / mse));
  return { db, mse, validShare: valid / compared, samples };
}

/**
 * The measurement both metrics share: for each of `count` transforms, the render of the
 * transformed input against the reference (the base image transformed), pooled over all
 * transforms before dividing, as in the paper's code.
 */
async function measure(
  who: string,
  renderer: TransformableRenderer,
  r: Resolved,
  base: PlainImage,
  next: () => { transform: SynthesisTransform; ref: ResampledImage },
): Promise<EquivarianceResult> {
  const samples: EquivarianceSample[] = [];
  let sq = 0;
  let valid = 0;
  let compared = 0;
  for (let s = 0; s < r.count; s++) {
    const { transform, ref } = next();
    const img = await renderPlain(who, renderer, transform, base);
    const e = accumulate(ref, img);
    sq += e.sq;
    valid += e.valid;
    compared += ref.mask.length * base.channels;
    samples.push({ transform, mse: e.valid ? e.sq / e.valid : NaN, validPixels: e.valid / base.channels });
  }
  return summarise(who, samples, sq, valid, compared, r);
}

/** EQ-T: translation equivariance in dB (see the module comment). */
export async function equivarianceT(renderer: TransformableRenderer, opts: EquivarianceTOptions = {}): Promise<EquivarianceResult> {
  const who = 'equivarianceT';
  checkKnownOptions(who, opts, ['count', 'seed', 'peak', 'capDb', 'lanczosA', 'shifts', 'maxShift', 'interpolation']);
  const r = resolveCommon(who, renderer, opts);
  const shifts = opts.shifts ?? 'integer';
  checkOneOf(who, 'shifts', shifts, EQ_T_SHIFTS);
  const maxShift = opts.maxShift ?? 0.125;
  checkNonNegative(who, 'maxShift', maxShift);
  if (maxShift >= 1) throw argumentError(who, 'maxShift', 'a fraction of the image size in [0, 1)', maxShift);
  const interpolation = opts.interpolation ?? 'lanczos';
  checkOneOf(who, 'interpolation', interpolation, FRACTIONAL_INTERPOLATIONS);
  if (shifts === 'integer' && opts.interpolation !== undefined) throw new Error(`${who}: interpolation only applies to shifts 'fractional'`);
  const base = await renderPlain(who, renderer, {});
  return measure(who, renderer, r, base, () => {
    let dx = (2 * r.r.uniform() - 1) * maxShift * base.width;
    let dy = (2 * r.r.uniform() - 1) * maxShift * base.height;
    if (shifts === 'integer') {
      // + 0 turns a rounded -0 into 0.
      dx = Math.round(dx) + 0;
      dy = Math.round(dy) + 0;
    }
    return { transform: { translate: [dx, dy] }, ref: applyShift(base, dx, dy, shifts === 'integer' ? 'integer' : interpolation, r.a) };
  });
}

/** EQ-R: rotation equivariance in dB, with the Lanczos approximation the module comment describes. */
export async function equivarianceR(renderer: TransformableRenderer, opts: EquivarianceROptions = {}): Promise<EquivarianceResult> {
  const who = 'equivarianceR';
  checkKnownOptions(who, opts, ['count', 'seed', 'peak', 'capDb', 'lanczosA', 'maxAngle']);
  const r = resolveCommon(who, renderer, opts);
  const maxAngle = opts.maxAngle ?? Math.PI;
  checkNonNegative(who, 'maxAngle', maxAngle);
  const base = await renderPlain(who, renderer, {});
  return measure(who, renderer, r, base, () => {
    const angle = (2 * r.r.uniform() - 1) * maxAngle;
    return { transform: { rotate: angle }, ref: applyRotation(base, angle, r.a) };
  });
}
