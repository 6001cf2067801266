/**
 * Up-filter-down resampling of NHWC images with a separable FIR filter, in the manner of
 * StyleGAN3's `upfirdn2d` (Karras et al. 2021, "Alias-Free Generative Adversarial Networks"):
 * insert up-1 zeros after every sample, pad, convolve with the filter, keep every down-th
 * sample. Along one axis that whole chain is linear, so it is ONE banded matrix [L, L'];
 * the 2D operation is two matrix products, one per axis.
 *
 * Why products rather than convolutions: `tf.depthwiseConv2d` has no second derivative (R1
 * through it throws), and the products are faster on the course's wasm backend: 12-tap 2x
 * downsampling of [16, 32, 32, 16], forward and input gradient, one thread, took 3.6 ms as
 * products and 75 ms as a depthwise convolution. matMul, reshape and transpose are twice
 * differentiable everywhere. The price is O(L L') work per row instead of O(L' taps), which
 * is small at the course's image sizes (up to 64 or so) and grows with the image.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkFinite, checkInteger, checkKnownOptions } from '../core/args';
import { filterTaps, FirFilter } from './firFilter';
import { lambdaNet, Net } from './net';

/** Zero padding: one number for all four sides, [before, after] for both axes, or [top, bottom, left, right]. */
export type FirPadding = 'same' | number | readonly [number, number] | readonly [number, number, number, number];

export interface Upfirdn2dOptions {
  /** Upsampling factor (default 1). */
  up?: number;
  /** Downsampling factor (default 1). */
  down?: number;
  /**
   * Default 'same': output size floor(size * up / down), with the output's pixel centres on
   * the input's grid (pixel i covers [i, i + 1) at its own rate). Numbers may be negative (crop).
   */
  padding?: FirPadding;
  /** Overall gain (default up^2, which keeps a constant image constant away from the borders). */
  gain?: number;
}

const UPFIRDN_OPTIONS = ['up', 'down', 'padding', 'gain'] as const;

/** A 1D up-filter-down as a row-major [inLength, outLength] matrix M (y = x M). */
export interface UpfirdnMatrix {
  readonly data: Float32Array;
  readonly inLength: number;
  readonly outLength: number;
}

/**
 * The matrix of: zero-stuff by `up` (length inLength*up), pad by (padBefore, padAfter), convolve
 * ("valid") with `taps`, keep samples 0, down, 2 down, ...  Entry [i, o] is
 * gain * taps[K-1 - (i up + padBefore - o down)] where that index exists, else 0: a true
 * convolution (the taps are flipped), which only matters for asymmetric taps.
 */
export function upfirdnMatrix(
  who: string,
  inLength: number,
  taps: ArrayLike<number>,
  up: number,
  down: number,
  padBefore: number,
  padAfter: number,
  gain = 1,
): UpfirdnMatrix {
  const k = taps.length;
  const outLength = Math.floor((inLength * up + padBefore + padAfter - k) / down) + 1;
  if (!(outLength >= 1)) {
    throw new Error(
      `${who}: the output would be empty: length ${inLength} with up ${up}, down ${down}, padding [${padBefore}, ${padAfter}] and ${k} taps; pad more or use fewer taps`,
    );
  }
  const data = new Float32Array(inLength * outLength);
  for (let i = 0; i < inLength; i++) {
    const at = i * up + padBefore;
    // Only outputs whose window [o down, o down + K - 1] covers position `at`.
    const oLo = Math.max(0, Math.ceil((at - k + 1) / down));
    const oHi = Math.min(outLength - 1, Math.floor(at / down));
    for (let o = oLo; o <= oHi; o++) data[i * outLength + o] = gain * taps[k - 1 - (at - o * down)];
  }
  return { data, inLength, outLength };
}

/** [before, after] padding for 'same': total K - down, split so that pixel centres line up (as StyleGAN3's upsample2d / downsample2d). */
export function samePadding(numTaps: number, up: number, down: number): [number, number] {
  const before = Math.ceil((numTaps - 1 + up - down) / 2);
  return [before, numTaps - down - before];
}

/** [top, bottom, left, right] from a padding option. */
export function resolvePadding(who: string, padding: FirPadding, numTaps: number, up: number, down: number): [number, number, number, number] {
  if (padding === 'same') {
    const [a, b] = samePadding(numTaps, up, down);
    return [a, b, a, b];
  }
  const list = typeof padding === 'number' ? [padding] : padding;
  const ok = Array.isArray(list) && [1, 2, 4].includes(list.length) && list.every((p) => Number.isInteger(p));
  if (!ok) throw argumentError(who, 'padding', "'same', an integer, [before, after] or [top, bottom, left, right] integers", padding);
  if (list.length === 1) return [list[0], list[0], list[0], list[0]];
  if (list.length === 2) return [list[0], list[1], list[0], list[1]];
  return [list[0], list[1], list[2], list[3]];
}

/** t [..., L] times m [L, L'] -> [..., L'], as one 2D product (the fast, transpose-free matMul form). */
export function lastAxisProduct(t: tf.Tensor, m: tf.Tensor2D): tf.Tensor {
  const shape = t.shape;
  const l = shape[shape.length - 1];
  const y = tf.matMul(tf.reshape(t, [-1, l]) as tf.Tensor2D, m);
  return tf.reshape(y, [...shape.slice(0, -1), m.shape[1]]);
}

export function matrixTensor(m: UpfirdnMatrix): tf.Tensor2D {
  return tf.tensor2d(m.data, [m.inLength, m.outLength]);
}

export interface ResolvedUpfirdn {
  taps: Float32Array;
  up: number;
  down: number;
  pad: [number, number, number, number];
  gain: number;
}

export function resolveUpfirdnOptions(who: string, filter: FirFilter | ArrayLike<number>, opts: Upfirdn2dOptions): ResolvedUpfirdn {
  checkKnownOptions(who, opts, UPFIRDN_OPTIONS);
  const taps = filterTaps(who, 'filter', filter);
  const up = opts.up ?? 1;
  const down = opts.down ?? 1;
  checkInteger(who, 'up', up, 1, 64);
  checkInteger(who, 'down', down, 1, 64);
  const gain = opts.gain ?? up * up;
  checkFinite(who, 'gain', gain);
  return { taps, up, down, pad: resolvePadding(who, opts.padding ?? 'same', taps.length, up, down), gain };
}

/**
 * Up-filter-down of an NHWC batch with the same filter along height and width. The filter is a
 * designed `FirFilter` or a list of taps (the 1D filter; the 2D filter is its outer product).
 * Twice differentiable in `x`.
 */
export function upfirdn2d(x: tf.Tensor, filter: FirFilter | ArrayLike<number>, opts: Upfirdn2dOptions = {}): tf.Tensor4D {
  return applyUpfirdn2d('upfirdn2d', x, resolveUpfirdnOptions('upfirdn2d', filter, opts));
}

function applyUpfirdn2d(who: string, x: tf.Tensor, r: ResolvedUpfirdn): tf.Tensor4D {
  if (x.rank !== 4) throw argumentError(who, 'x', 'an NHWC tensor (rank 4)', x.shape);
  const [, h, w] = x.shape;
  const mh = upfirdnMatrix(`${who} (height)`, h, r.taps, r.up, r.down, r.pad[0], r.pad[1], r.gain);
  const mw = upfirdnMatrix(`${who} (width)`, w, r.taps, r.up, r.down, r.pad[2], r.pad[3]);
  return tf.tidy(() => {
    // Channels-first so that each product contracts the LAST axis: no transposed matMul,
    // which is the slow form on wasm. Three transposes in all.
    let t = tf.transpose(x, [0, 3, 1, 2]); // [n, c, h, w]
    t = lastAxisProduct(t, matrixTensor(mw)); // [n, c, h, w']
    t = tf.transpose(t, [0, 1, 3, 2]); // [n, c, w', h]
    t = lastAxisProduct(t, matrixTensor(mh)); // [n, c, w', h']
    return tf.transpose(t, [0, 3, 2, 1]) as tf.Tensor4D;
  });
}

export interface Upfirdn2dLayerConfig extends Upfirdn2dOptions {
  filter: FirFilter | ArrayLike<number>;
  name?: string;
}

/** `upfirdn2d` as a variable-free `Net` (its options are checked once, when it is built). */
export function upfirdn2dLayer(cfg: Upfirdn2dLayerConfig): Net {
  const name = cfg.name ?? 'upfirdn2d';
  checkKnownOptions(name, cfg, ['filter', 'name', ...UPFIRDN_OPTIONS]);
  const { filter, name: _name, ...opts } = cfg;
  const resolved = resolveUpfirdnOptions(name, filter, opts);
  return lambdaNet(name, (x) => applyUpfirdn2d(name, x, resolved));
}
