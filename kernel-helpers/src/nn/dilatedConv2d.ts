/**
 * Dilated ("atrous") 2D convolution on NHWC, stride 1: a k x k kernel whose taps are
 * `dilationRate` pixels apart, so it sees a (d(k-1)+1)-wide field with k^2 weights.
 * tfjs's own conv2d with dilations has no gradient (it asserts), so this runs TensorFlow's
 * space-to-batch construction: `spaceToBatchND` splits the image into d x d interleaved
 * sub-images (pixels d apart become neighbours), an ordinary conv runs on each, and
 * `batchToSpaceND` interleaves the results back. Both ops' gradients are each other, so
 * every order of derivative stays on the tape (R1/R2/GP through a dilated critic).
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkKnownOptions, checkOneOf } from '../core/args';
import { activationFn } from './activations';
import { initVariable, toRng, zerosVariable, checkPositiveInt } from './init';
import { leafNet, Net } from './net';
import type { FeedForwardLayerOptions } from './layerOptions';

export const DILATED_PADDINGS = ['same', 'valid'] as const;

export interface DilatedConv2dConfig extends FeedForwardLayerOptions {
  inChannels: number;
  filters: number;
  kernelSize: number;
  /** Spacing between kernel taps (tfjs-layers' name); 1 is an ordinary conv. */
  dilationRate: number;
  /** 'same' (default: output size = input size) or 'valid' (size - d(k-1)). */
  padding?: (typeof DILATED_PADDINGS)[number];
  /** Input height and width if known (enables shape checks and `outputShape`). */
  inputSize?: [number, number];
}

const OPTIONS = ['inChannels', 'filters', 'kernelSize', 'dilationRate', 'padding', 'inputSize', 'activation', 'useBias', 'initGain', 'init', 'weightTransform', 'name', 'index', 'seed'] as const;

/** Zero padding [before, after] of one spatial axis, and the extra after-padding that makes the padded size a multiple of d (cropped off again afterwards). */
function axisPlan(size: number, span: number, d: number, padding: 'same' | 'valid'): { pad: [number, number]; extra: number } {
  const total = padding === 'same' ? span - 1 : 0;
  const before = Math.floor(total / 2);
  const padded = size + total;
  return { pad: [before, total - before], extra: (d - (padded % d)) % d };
}

/** [n, h, w, c] -> the d x d interleaved sub-images [d n d, h / d, w / d, c] (d divides h and w). */
function toSubImages(x: tf.Tensor4D, d: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const hd = h / d;
  const wd = w / d;
  // Axis order after each step, a and b being the row and column offsets within a d x d block.
  let t = tf.transpose(tf.reshape(x, [n * hd, d, wd, d * c]), [1, 0, 2, 3]); // a, n, hd, wd, b, c
  t = tf.transpose(tf.reshape(t, [d * n * hd, wd, d, c]), [0, 2, 1, 3]); // a, n, hd, b, wd, c
  t = tf.transpose(tf.reshape(t, [d * n, hd, d, wd * c]), [0, 2, 1, 3]); // a, n, b, hd, wd, c
  return tf.reshape(t, [d * n * d, hd, wd, c]) as tf.Tensor4D;
}

/** The inverse of `toSubImages` for a batch of n. */
function fromSubImages(y: tf.Tensor4D, n: number, d: number): tf.Tensor4D {
  const [, hd, wd, c] = y.shape;
  let t = tf.transpose(tf.reshape(y, [d * n, d, hd, wd * c]), [0, 2, 1, 3]); // a, n, hd, b, wd, c
  t = tf.transpose(tf.reshape(t, [d * n * hd, d, wd, c]), [0, 2, 1, 3]); // a, n, hd, wd, b, c
  t = tf.transpose(tf.reshape(t, [d, n * hd, wd, d * c]), [1, 0, 2, 3]); // n, hd, a, wd, b, c
  return tf.reshape(t, [n, hd * d, wd * d, c]) as tf.Tensor4D;
}

/**
 * x (*) kernel with taps d apart, 'valid' after the given zero padding, through
 * space-to-batch. Output per axis: size + pad - d(k-1).
 *
 * The common case, 'same' padding with an odd kernel on an image whose sides d divides, takes
 * a faster road to the same numbers: the d x d interleaved sub-images are made with reshapes
 * and 4-D transposes, and an ordinary 'same' conv on each is exactly the dilated conv (a
 * sub-image's zero border is where the dilated taps leave the image). On wasm, forward and
 * backward at batch 16, 16 channels, dilation 4, it took 14 ms on 16x16 images against 54 ms
 * for space-to-batch on 18x18 ones (about 3x per pixel); reshape and transpose have exact
 * gradients of every order too.
 */
function dilatedConvCore(x: tf.Tensor4D, kernel: tf.Tensor4D, d: number, padding: 'same' | 'valid'): tf.Tensor4D {
  if (d === 1) return tf.conv2d(x, kernel, 1, padding);
  const [n, h, w] = x.shape;
  const [kh, kw] = kernel.shape;
  if (padding === 'same' && kh % 2 === 1 && kw % 2 === 1 && h % d === 0 && w % d === 0) {
    return fromSubImages(tf.conv2d(toSubImages(x, d), kernel, 1, 'same'), n, d);
  }
  const ph = axisPlan(h, d * (kh - 1) + 1, d, padding);
  const pw = axisPlan(w, d * (kw - 1) + 1, d, padding);
  const blocks = tf.spaceToBatchND(x, [d, d], [
    [ph.pad[0], ph.pad[1] + ph.extra],
    [pw.pad[0], pw.pad[1] + pw.extra],
  ]);
  const y = tf.conv2d(blocks, kernel, 1, 'valid');
  // The extra rows only ever meet padding, never the image: their outputs are dropped.
  return tf.batchToSpaceND(y, [d, d], [
    [0, ph.extra],
    [0, pw.extra],
  ]);
}

export function dilatedConv2d(cfg: DilatedConv2dConfig): Net {
  const name = cfg.name ?? 'dilatedConv2d';
  checkKnownOptions(name, cfg, OPTIONS);
  checkPositiveInt(name, 'inChannels', cfg.inChannels);
  checkPositiveInt(name, 'filters', cfg.filters);
  checkPositiveInt(name, 'kernelSize', cfg.kernelSize);
  checkPositiveInt(name, 'dilationRate', cfg.dilationRate);
  const padding = cfg.padding ?? 'same';
  checkOneOf(name, 'padding', padding, DILATED_PADDINGS);
  const k = cfg.kernelSize;
  const d = cfg.dilationRate;
  const span = d * (k - 1) + 1;
  const checkSize = (axis: string, n: number) => {
    if (padding === 'valid' && n < span) throw argumentError(name, `input ${axis}`, `>= the dilated kernel's span d(k-1)+1 = ${span} with 'valid' padding`, n);
  };
  const size = cfg.inputSize;
  if (size) {
    if (!Array.isArray(size) || size.length !== 2) throw argumentError(name, 'inputSize', '[height, width]', size);
    checkPositiveInt(name, 'inputSize[0]', size[0]);
    checkPositiveInt(name, 'inputSize[1]', size[1]);
    checkSize('height', size[0]);
    checkSize('width', size[1]);
  }
  const out = (n: number) => (padding === 'same' ? n : n - span + 1);
  const act = activationFn(cfg.activation ?? 'linear');
  const useBias = cfg.useBias ?? true;
  const r = toRng(cfg.seed);
  const w = initVariable([k, k, cfg.inChannels, cfg.filters], k * k * cfg.inChannels, k * k * cfg.filters, cfg.init ?? 'glorot', r, cfg.initGain ?? 1);
  const vars = useBias ? [w, zerosVariable([cfg.filters])] : [w];
  const info = { name, index: cfg.index ?? 0 };
  const transform = cfg.weightTransform;
  return leafNet({
    name,
    variables: vars,
    inputShape: size ? [size[0], size[1], cfg.inChannels] : [-1, -1, cfg.inChannels],
    outputShape: size ? [out(size[0]), out(size[1]), cfg.filters] : undefined,
    forward(v, x) {
      return tf.tidy(() => {
        const [, inH, inW] = x.shape;
        checkSize('height', inH);
        checkSize('width', inW);
        const kernel = (transform ? transform(v[0], info) : v[0]) as tf.Tensor4D;
        const y = dilatedConvCore(x as tf.Tensor4D, kernel, d, padding);
        return act(useBias ? tf.add(y, v[1]) : y);
      });
    },
  });
}
