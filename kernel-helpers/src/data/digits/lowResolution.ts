/**
 * Low-resolution inputs for super-resolution: each image optionally blurred with a Gaussian,
 * average-pooled by `factor`, then optionally given additive Gaussian noise. Blur, downsampling
 * and noise are the classical degradation model of super-resolution (Elad & Feuer 1997; the
 * "blur -> downsample -> noise" chain of Wang et al. 2021, Real-ESRGAN, sect. 3.1, there with
 * random kernels and noise levels). ESRGAN itself trains on plain bicubic downsampling; average
 * pooling is its simplest relative, and the one whose inverse problem is easiest to state: each
 * low-resolution pixel is the mean of its factor x factor block.
 *
 * The blur uses the symmetric boundary (the image mirrored about its edge, edge pixel repeated:
 * scipy.ndimage's 'reflect'). With it a normalised symmetric kernel keeps each image's sum
 * exactly, so blurring changes no image's mean intensity (zero padding would darken the border
 * of a [0, 1] digit and brighten that of a [-1, 1] one). The noise is not clipped: the
 * degradation stays additive Gaussian, and clipping is the caller's choice.
 *
 * Plain numbers: row-major single-channel images, as `loadDigits` returns them.
 */
import { argumentError, checkFinite, checkKnownOptions, checkNonNegative, checkNonNegativeInt, checkPositiveInt } from '../../core/args';
import { rng } from '../../core/random';

export interface LowResolutionOptions {
  /** Side of the square input images (default 28). */
  size?: number;
  /** Downsampling factor; must divide size (default 4: 28 -> 7). */
  factor?: number;
  /** Std of the Gaussian blur before pooling, in input pixels (default 0: none). */
  blurSigma?: number;
  /** Std of the additive Gaussian noise after pooling (default 0: none). */
  noiseStd?: number;
  /** Seed of the noise (default 0). */
  seed?: number;
}

const OPTIONS = ['size', 'factor', 'blurSigma', 'noiseStd', 'seed'] as const;

/** Index into [0, n) of position i in the symmetric (half-sample) extension of a length-n row. */
function reflect(i: number, n: number): number {
  const p = ((i % (2 * n)) + 2 * n) % (2 * n);
  return p < n ? p : 2 * n - 1 - p;
}

/** Normalised Gaussian taps for offsets -r..r, r = ceil(3 sigma). */
function gaussianTaps(sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma);
  const taps = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += taps[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < taps.length; k++) taps[k] /= sum;
  return taps;
}

/** Separable blur of one size x size image (rows, then columns). */
function blur(img: Float64Array, size: number, taps: Float64Array): Float64Array {
  const r = (taps.length - 1) / 2;
  const tmp = new Float64Array(size * size);
  const out = new Float64Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += taps[k + r] * img[y * size + reflect(x + k, size)];
      tmp[y * size + x] = s;
    }
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += taps[k + r] * tmp[reflect(y + k, size) * size + x];
      out[y * size + x] = s;
    }
  }
  return out;
}

/** `n` images of side `size` -> `n` images of side size / factor, row-major. */
export function lowResolutionDigits(images: Float32Array, n: number, opts: LowResolutionOptions = {}): Float32Array {
  const who = 'lowResolutionDigits';
  checkKnownOptions(who, opts, OPTIONS);
  checkNonNegativeInt(who, 'n', n);
  const size = opts.size ?? 28;
  checkPositiveInt(who, 'opts.size', size);
  const factor = opts.factor ?? 4;
  checkPositiveInt(who, 'opts.factor', factor);
  if (size % factor !== 0) throw argumentError(who, 'opts.factor', `a divisor of size = ${size}`, factor);
  const sigma = opts.blurSigma ?? 0;
  checkNonNegative(who, 'opts.blurSigma', sigma);
  const noiseStd = opts.noiseStd ?? 0;
  checkNonNegative(who, 'opts.noiseStd', noiseStd);
  const seed = opts.seed ?? 0;
  checkFinite(who, 'opts.seed', seed);
  if (!(images instanceof Float32Array)) throw argumentError(who, 'images', 'a Float32Array', typeof images);
  const per = size * size;
  if (images.length !== n * per) throw new Error(`${who}: images must hold n*size*size = ${n}*${size}*${size} = ${n * per} values, got ${images.length}`);

  const low = size / factor;
  const out = new Float32Array(n * low * low);
  const taps = sigma > 0 ? gaussianTaps(sigma) : null;
  const r = rng(seed);
  const area = factor * factor;
  for (let i = 0; i < n; i++) {
    let img = Float64Array.from(images.subarray(i * per, (i + 1) * per));
    if (taps) img = blur(img, size, taps);
    for (let y = 0; y < low; y++) {
      for (let x = 0; x < low; x++) {
        let s = 0;
        for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) s += img[(y * factor + dy) * size + x * factor + dx];
        out[i * low * low + y * low + x] = s / area + (noiseStd > 0 ? noiseStd * r.normal() : 0);
      }
    }
  }
  return out;
}
