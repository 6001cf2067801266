/**
 * The alias-free nonlinearity of StyleGAN3 (Karras et al. 2021, "Alias-Free Generative
 * Adversarial Networks", sect. 3.2 and fig. 3): a pointwise nonlinearity creates frequencies
 * above the Nyquist limit of the grid it is evaluated on, and on a discrete grid those fold
 * back (alias) into the signal. So: upsample (here 2x) with a low-pass filter, apply leaky ReLU
 * at the higher rate, where most new harmonics still fit, low-pass again to remove what the
 * output grid cannot hold, and downsample. Without the second filter the decimation would fold
 * the harmonics back; without the higher rate they would already have folded.
 *
 * Each resampling is a banded matrix per axis (see `upfirdn.ts`), so the whole layer is four
 * matrix products, four transposes and a twice-differentiable leaky ReLU (relu(h) - a relu(-h)):
 * R1 and R2 penalties can differentiate through it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkFinite, checkInRange, checkInteger, checkKnownOptions } from '../core/args';
import { DEFAULT_LEAKY_SLOPE, leakyRelu } from './activations';
import { designLowpassFilter, filterTaps, FirFilter } from './firFilter';
import { lambdaNet, Net } from './net';
import { lastAxisProduct, matrixTensor, samePadding, upfirdnMatrix, UpfirdnMatrix } from './upfirdn';

export interface FilteredLeakyReluOptions {
  /** Rate of the grid the activation runs on, relative to the input (default 2). */
  up?: number;
  /** Downsampling after the activation (default 2: output the size of the input). */
  down?: number;
  /** Negative slope of the leaky ReLU (default 0.2). */
  slope?: number;
  /** Multiplies the activation's output (default 1; StyleGAN3 uses sqrt(2) to keep the signal's scale). */
  gain?: number;
  /** Upsampling filter, designed for sampling rate `up` (default: Kaiser, 6 taps per input sample). */
  upFilter?: FirFilter | ArrayLike<number>;
  /** Downsampling filter, designed for sampling rate `up` (default: Kaiser, 6 taps per output sample). */
  downFilter?: FirFilter | ArrayLike<number>;
  /**
   * Cutoff of the default filters, in cycles per input pixel (must be below up/2). Default
   * 0.4 min(1, up/down): 80% of the lower of the input's and the output's Nyquist limit.
   */
  cutoff?: number;
  /**
   * Transition width of the default filters, in cycles per input pixel; default 0.4 min(1, up/down),
   * which with 6 taps per sample gives Kaiser's formula about 40 dB of stopband attenuation.
   */
  transitionWidth?: number;
}

const FLRELU_OPTIONS = ['up', 'down', 'slope', 'gain', 'upFilter', 'downFilter', 'cutoff', 'transitionWidth'] as const;

/** StyleGAN3's filter length: 6 taps per sample of the lower rate. */
const TAPS_PER_SAMPLE = 6;
/**
 * Measured on a sinusoid at 0.2 cycles per pixel (test/unit/nn/filteredLeakyRelu.test.ts):
 * this choice passes the fundamental within a few per cent and cuts the aliased energy ~25x;
 * cutoff 0.5 keeps more of the second harmonic and cuts aliasing ~18x. Lower cutoffs buy little
 * more: most of what is left folded at the 2x rate already, before the second filter.
 */
const DEFAULT_CUTOFF = 0.4;
const DEFAULT_TRANSITION = 0.4;

interface Resolved {
  up: number;
  down: number;
  slope: number;
  gain: number;
  upTaps: Float32Array;
  downTaps: Float32Array;
}

function resolve(who: string, opts: FilteredLeakyReluOptions): Resolved {
  checkKnownOptions(who, opts, FLRELU_OPTIONS);
  const up = opts.up ?? 2;
  const down = opts.down ?? 2;
  checkInteger(who, 'up', up, 1, 16);
  checkInteger(who, 'down', down, 1, 16);
  const slope = opts.slope ?? DEFAULT_LEAKY_SLOPE;
  checkInRange(who, 'slope', slope, 0, 1, { closed: true });
  const gain = opts.gain ?? 1;
  checkFinite(who, 'gain', gain);
  const rate = Math.min(1, up / down);
  const cutoff = opts.cutoff ?? DEFAULT_CUTOFF * rate;
  const width = opts.transitionWidth ?? DEFAULT_TRANSITION * rate;
  const design = (factor: number, filter: FirFilter | ArrayLike<number> | undefined, name: string): Float32Array => {
    if (filter !== undefined) return filterTaps(who, name, filter);
    if (factor === 1) return Float32Array.of(1);
    try {
      return designLowpassFilter({ numTaps: TAPS_PER_SAMPLE * factor, cutoff, transitionWidth: width, fs: up }).taps;
    } catch (e) {
      throw new Error(`${who}: the default ${name} (cutoff ${cutoff}, transitionWidth ${width}, fs ${up}) cannot be designed: ${(e as Error).message}`);
    }
  };
  return { up, down, slope, gain, upTaps: design(up, opts.upFilter, 'upFilter'), downTaps: design(down, opts.downFilter, 'downFilter') };
}

/** The per-axis matrices for an input of `size`, and the output size. */
function axisMatrices(who: string, axis: string, size: number, r: Resolved) {
  const [u0, u1] = samePadding(r.upTaps.length, r.up, 1);
  const [d0, d1] = samePadding(r.downTaps.length, 1, r.down);
  const upM = upfirdnMatrix(`${who} (${axis}, upsampling)`, size, r.upTaps, r.up, 1, u0, u1, r.up);
  const downM = upfirdnMatrix(`${who} (${axis}, downsampling)`, upM.outLength, r.downTaps, 1, r.down, d0, d1);
  return { upM, downM, skipUp: r.up === 1 && r.upTaps.length === 1, skipDown: r.down === 1 && r.downTaps.length === 1 };
}

function apply(who: string, x: tf.Tensor, r: Resolved): tf.Tensor4D {
  if (x.rank !== 4) throw argumentError(who, 'x', 'an NHWC tensor (rank 4)', x.shape);
  const [, h, w] = x.shape;
  const mh = axisMatrices(who, 'height', h, r);
  const mw = axisMatrices(who, 'width', w, r);
  // A factor of 1 with a one-tap filter is the identity (its gain is 1 too): no product.
  const product = (t: tf.Tensor, m: UpfirdnMatrix, skip: boolean) => (skip ? t : lastAxisProduct(t, matrixTensor(m)));
  return tf.tidy(() => {
    // Channels-first; the product along an axis needs that axis last, so the height and
    // width products alternate around two inner transposes (four in all, not six).
    let t = tf.transpose(x, [0, 3, 1, 2]); // [n, c, h, w]
    t = product(t, mw.upM, mw.skipUp); // [n, c, h, W]
    t = tf.transpose(t, [0, 1, 3, 2]); // [n, c, W, h]
    t = product(t, mh.upM, mh.skipUp); // [n, c, W, H]
    t = leakyRelu(t, r.slope);
    if (r.gain !== 1) t = tf.mul(t, tf.scalar(r.gain));
    t = product(t, mh.downM, mh.skipDown); // [n, c, W, h']
    t = tf.transpose(t, [0, 1, 3, 2]); // [n, c, h', W]
    t = product(t, mw.downM, mw.skipDown); // [n, c, h', w']
    return tf.transpose(t, [0, 2, 3, 1]) as tf.Tensor4D;
  });
}

/**
 * Filtered leaky ReLU of an NHWC batch: upsample by `up` (low-pass), leaky ReLU, low-pass and
 * downsample by `down`. Output size floor(size * up / down) ('same' padding at both steps).
 */
export function filteredLeakyRelu(x: tf.Tensor, opts: FilteredLeakyReluOptions = {}): tf.Tensor4D {
  return apply('filteredLeakyRelu', x, resolve('filteredLeakyRelu', opts));
}

/** `filteredLeakyRelu` as a variable-free `Net`; its filters are designed once, when it is built. */
export function filteredLeakyReluLayer(opts: FilteredLeakyReluOptions & { name?: string } = {}): Net {
  const name = opts.name ?? 'filteredLeakyRelu';
  const { name: _name, ...rest } = opts;
  const r = resolve(name, rest);
  return lambdaNet(name, (x) => apply(name, x, r));
}
