/**
 * Full-reference image quality, the scores super-resolution papers report (ESRGAN, Wang et
 * al. 2018, tables PSNR and SSIM against the high-resolution originals), and one
 * no-reference sharpness statistic:
 *
 * - PSNR, 10 log10(R^2 / MSE) with R the data range: a rescaled mean squared error, so
 *   maximised by the blurry conditional mean that a pixel loss trains towards.
 * - SSIM (Wang, Bovik, Sheikh and Simoncelli 2004, "Image quality assessment: from error
 *   visibility to structural similarity", IEEE TIP 13(4)): local means, variances and
 *   covariance under an 11x11 Gaussian window of sigma 1.5 compared as
 *     ((2 mu_x mu_y + C1)(2 sigma_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2)),
 *   C1 = (k1 R)^2, C2 = (k2 R)^2, averaged over every window that fits inside the image
 *   ('valid': no padding invents pixels at the border) and over the channels.
 * - gradientSharpness: the mean finite-difference gradient magnitude. A GAN-trained
 *   super-resolver loses PSNR and SSIM to its pixel-loss parent while looking sharper
 *   (Blau and Michaeli 2018, the perception-distortion tradeoff); this number shows the
 *   sharpness half of that trade without a learned perceptual metric.
 *
 * Images travel as flat NHWC arrays, n images of [height, width, channels], the layout of
 * `dataSync()` on a [n, h, w, c] tensor, so a metric over a few hundred digits copies nothing
 * into nested arrays and needs no backend. Papers often score the luminance channel only and
 * crop a border of `scale` pixels first; both are the caller's choice, made before the call.
 * Every sum is in float64.
 */
import { argumentError, checkKnownOptions, checkPositive, checkPositiveInt } from '../core/args';

/** n images of [height, width, channels] (channels default 1). */
export interface ImageBatchShape {
  n: number;
  height: number;
  width: number;
  channels?: number;
}

export interface PsnrOptions extends ImageBatchShape {
  /** Max minus min of the pixel scale, required: 1 for [0, 1] pixels, 2 for [-1, 1], 255 for bytes. */
  dataRange: number;
}

export interface SsimOptions extends PsnrOptions {
  /** Odd side of the Gaussian window, at most min(height, width) (default 11, or the largest odd size that fits). */
  windowSize?: number;
  /** Width of the Gaussian window in pixels (default 1.5). */
  sigma?: number;
  /** C1 = (k1 dataRange)^2 keeps the luminance term finite on dark windows (default 0.01). */
  k1?: number;
  /** C2 = (k2 dataRange)^2 keeps the contrast-structure term finite on flat windows (default 0.03). */
  k2?: number;
}

export interface ImageScores {
  /** One score per image, in input order. */
  perImage: Float64Array;
  /** Mean of `perImage`. */
  mean: number;
}

const SHAPE_OPTIONS = ['n', 'height', 'width', 'channels'] as const;
const PSNR_OPTIONS = [...SHAPE_OPTIONS, 'dataRange'] as const;
const SSIM_OPTIONS = [...PSNR_OPTIONS, 'windowSize', 'sigma', 'k1', 'k2'] as const;

interface Dims {
  n: number;
  h: number;
  w: number;
  c: number;
}

function checkDims(who: string, opts: ImageBatchShape | undefined, known: readonly string[]): Dims {
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'opts', 'an object with n, height, width', opts);
  checkKnownOptions(who, opts, known);
  checkPositiveInt(who, 'opts.n', opts.n);
  checkPositiveInt(who, 'opts.height', opts.height);
  checkPositiveInt(who, 'opts.width', opts.width);
  const c = opts.channels ?? 1;
  checkPositiveInt(who, 'opts.channels', c);
  return { n: opts.n, h: opts.height, w: opts.width, c };
}

/** Right length and finite: a NaN would otherwise come out as a NaN score with no hint of where. */
function checkImages(who: string, name: string, x: ArrayLike<number>, d: Dims): void {
  if (x == null || typeof x.length !== 'number') throw argumentError(who, name, 'a flat array of NHWC pixels', x);
  const expected = d.n * d.h * d.w * d.c;
  if (x.length !== expected) {
    throw new Error(`${who}: ${name} has ${x.length} values, expected ${expected} (n ${d.n} x ${d.h} x ${d.w} x ${d.c})`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw argumentError(who, `${name}[${i}]`, 'a finite number', x[i]);
  }
}

function scores(perImage: Float64Array): ImageScores {
  let s = 0;
  for (const v of perImage) s += v;
  return { perImage, mean: s / perImage.length };
}

/**
 * Peak signal-to-noise ratio in dB per image. An image equal to its reference has MSE 0 and
 * PSNR Infinity (the limit, not a large stand-in number), and then `mean` is Infinity too;
 * average the finite entries of `perImage` if a batch may contain exact copies.
 */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>, opts: PsnrOptions): ImageScores {
  const who = 'psnr';
  const d = checkDims(who, opts, PSNR_OPTIONS);
  checkPositive(who, 'opts.dataRange', opts.dataRange);
  checkImages(who, 'a', a, d);
  checkImages(who, 'b', b, d);
  const size = d.h * d.w * d.c;
  const peak2 = opts.dataRange * opts.dataRange;
  const perImage = new Float64Array(d.n);
  for (let i = 0; i < d.n; i++) {
    let ss = 0;
    for (let j = i * size; j < (i + 1) * size; j++) {
      const e = a[j] - b[j];
      ss += e * e;
    }
    perImage[i] = ss === 0 ? Infinity : 10 * Math.log10(peak2 / (ss / size));
  }
  return scores(perImage);
}

/** Normalised 1-D Gaussian taps; the 2-D window is their outer product, so filtering is separable. */
function gaussianTaps(size: number, sigma: number): Float64Array {
  const g = new Float64Array(size);
  const r = (size - 1) / 2;
  let s = 0;
  for (let k = 0; k < size; k++) {
    g[k] = Math.exp(-((k - r) ** 2) / (2 * sigma * sigma));
    s += g[k];
  }
  for (let k = 0; k < size; k++) g[k] /= s;
  return g;
}

/**
 * Gaussian-weighted window sums at every 'valid' position of an h x w plane into `out`
 * ((h - k + 1) x (w - k + 1)): rows, then columns, 2k instead of k^2 products per position.
 */
function filterValid(src: Float64Array, h: number, w: number, g: Float64Array, tmp: Float64Array, out: Float64Array): void {
  const k = g.length;
  const ow = w - k + 1;
  const oh = h - k + 1;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < ow; c++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += g[t] * src[r * w + c + t];
      tmp[r * ow + c] = s;
    }
  }
  for (let r = 0; r < oh; r++) {
    for (let c = 0; c < ow; c++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += g[t] * tmp[(r + t) * ow + c];
      out[r * ow + c] = s;
    }
  }
}

function largestOddAtMost(m: number): number {
  return m % 2 === 1 ? m : m - 1;
}

/**
 * Mean structural similarity per image, in [-1, 1], 1 exactly when the two images are equal.
 * The score is symmetric in a and b. The window must fit inside the image: 28x28 digits take
 * the standard 11 or a more local 7; a 5x5 image defaults to 5, a single window.
 */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, opts: SsimOptions): ImageScores {
  const who = 'ssim';
  const d = checkDims(who, opts, SSIM_OPTIONS);
  checkPositive(who, 'opts.dataRange', opts.dataRange);
  const fit = largestOddAtMost(Math.min(d.h, d.w));
  const k = opts.windowSize ?? Math.min(11, fit);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k % 2 === 0 || k > fit) {
    throw argumentError(who, 'opts.windowSize', `an odd integer in [1, ${fit}] (the window must fit in ${d.h} x ${d.w})`, k);
  }
  const sigma = opts.sigma ?? 1.5;
  const k1 = opts.k1 ?? 0.01;
  const k2 = opts.k2 ?? 0.03;
  checkPositive(who, 'opts.sigma', sigma);
  checkPositive(who, 'opts.k1', k1);
  checkPositive(who, 'opts.k2', k2);
  checkImages(who, 'a', a, d);
  checkImages(who, 'b', b, d);

  const { n, h, w, c } = d;
  const g = gaussianTaps(k, sigma);
  const c1 = (k1 * opts.dataRange) ** 2;
  const c2 = (k2 * opts.dataRange) ** 2;
  const plane = h * w;
  const m = (h - k + 1) * (w - k + 1);
  const x = new Float64Array(plane);
  const y = new Float64Array(plane);
  const prod = new Float64Array(plane);
  const tmp = new Float64Array(h * (w - k + 1));
  const [mx, my, sxx, syy, sxy] = Array.from({ length: 5 }, () => new Float64Array(m));
  const moment = (p: (i: number) => number, out: Float64Array) => {
    for (let i = 0; i < plane; i++) prod[i] = p(i);
    filterValid(prod, h, w, g, tmp, out);
  };
  const perImage = new Float64Array(n);
  for (let img = 0; img < n; img++) {
    let total = 0;
    for (let ch = 0; ch < c; ch++) {
      const base = img * plane * c + ch;
      for (let i = 0; i < plane; i++) {
        x[i] = a[base + i * c];
        y[i] = b[base + i * c];
      }
      filterValid(x, h, w, g, tmp, mx);
      filterValid(y, h, w, g, tmp, my);
      moment((i) => x[i] * x[i], sxx);
      moment((i) => y[i] * y[i], syy);
      moment((i) => x[i] * y[i], sxy);
      for (let p = 0; p < m; p++) {
        const ux = mx[p];
        const uy = my[p];
        // E[xy] - E[x]E[y] cancels to an error near 1e-16 mu^2, about 1e-13 C2 for pixels within dataRange
        const vx = sxx[p] - ux * ux;
        const vy = syy[p] - uy * uy;
        const cov = sxy[p] - ux * uy;
        total += ((2 * ux * uy + c1) * (2 * cov + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
      }
    }
    perImage[img] = total / (c * m);
  }
  return scores(perImage);
}

/**
 * Mean gradient magnitude per image, sqrt(dx^2 + dy^2) with forward differences
 * dx = x[r][c+1] - x[r][c] and dy = x[r+1][c] - x[r][c] at every pixel that has both
 * neighbours, averaged over those (h-1)(w-1) pixels and the channels. Forward rather than
 * central differences, so a one-pixel checkerboard, the finest detail there is, scores
 * highest instead of 0. In pixel units per pixel: it scales with the pixel range, so compare
 * images on the same scale. 0 for a constant image.
 */
export function gradientSharpness(images: ArrayLike<number>, opts: ImageBatchShape): ImageScores {
  const who = 'gradientSharpness';
  const d = checkDims(who, opts, SHAPE_OPTIONS);
  if (d.h < 2 || d.w < 2) throw argumentError(who, 'opts.height and opts.width', 'at least 2 (a difference needs two pixels)', [d.h, d.w]);
  checkImages(who, 'images', images, d);
  const { n, h, w, c } = d;
  const row = w * c;
  const perImage = new Float64Array(n);
  for (let img = 0; img < n; img++) {
    const base = img * h * row;
    let s = 0;
    for (let r = 0; r < h - 1; r++) {
      for (let col = 0; col < w - 1; col++) {
        for (let ch = 0; ch < c; ch++) {
          const i = base + r * row + col * c + ch;
          const v = images[i];
          const dx = images[i + c] - v;
          const dy = images[i + row] - v;
          s += Math.sqrt(dx * dx + dy * dy);
        }
      }
    }
    perImage[img] = s / ((h - 1) * (w - 1) * c);
  }
  return scores(perImage);
}
