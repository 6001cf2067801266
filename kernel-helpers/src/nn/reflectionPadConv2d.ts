/**
 * 2D convolution with REFLECTION padding ('same' output size, ceil(size / strides)): the
 * border is filled by mirroring the image without repeating the edge pixel (ReflectionPad2d
 * in PyTorch), so a generator sees no artificial dark frame at the image edge (CycleGAN,
 * pix2pix). The image is padded, then convolved with 'valid' padding by the library's `conv2d`.
 * The padding is NOT `tf.mirrorPad`: in tfjs 4.22 its gradient only slices the centre out of
 * the incoming gradient, dropping what reaches the mirrored border copies (d/dx of
 * sum(mirrorPad([1, 2, 3], 1)) comes out [1, 1, 1] instead of [1, 3, 1]), on every backend. The
 * forward is right, so it hides well: an R1 check passes when the padding is the critic's
 * first op, since only the (wrong) input gradient, not the weights' gradient, crosses it.
 * Here the borders are reversed slices concatenated to the image; slice, reverse and concat
 * have exact gradients of every order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkPositiveInt } from '../core/args';
import { conv2d, Conv2dConfig } from './conv2d';
import { composeNet, Net } from './net';

/** conv2d's options without `padding` (always reflection to the 'same' size). */
export type ReflectionPadConv2dConfig = Omit<Conv2dConfig, 'padding'>;

const OPTIONS = ['inChannels', 'filters', 'kernelSize', 'strides', 'groups', 'groupMode', 'inputSize', 'activation', 'useBias', 'initGain', 'init', 'weightTransform', 'name', 'index', 'seed'] as const;

/** [before, after] padding that makes a stride-s, size-k conv give ceil(size / s) outputs (TensorFlow's 'same': the extra one after). */
function samePadding(size: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Reflection of NHWC `x` along `axis` by `before` / `after` rows (each < that axis's size). */
function reflectAxis(x: tf.Tensor, axis: 1 | 2, before: number, after: number): tf.Tensor {
  if (before === 0 && after === 0) return x;
  const n = x.shape[axis] as number;
  const rows = (start: number, count: number) => {
    const begin = [0, 0, 0, 0];
    const size = [...x.shape];
    begin[axis] = start;
    size[axis] = count;
    return tf.slice(x, begin, size);
  };
  const pieces: tf.Tensor[] = [];
  // Padded row -i is row i, padded row n-1+i is row n-1-i: the edge row is not repeated.
  if (before > 0) pieces.push(tf.reverse(rows(1, before), axis));
  pieces.push(x);
  if (after > 0) pieces.push(tf.reverse(rows(n - 1 - after, after), axis));
  return tf.concat(pieces, axis);
}

/**
 * Reflection padding of an NHWC tensor (PyTorch's ReflectionPad2d, tf.mirrorPad 'reflect'),
 * with a correct gradient; every padding must be smaller than its axis.
 */
export function reflectionPad2d(x: tf.Tensor, height: [number, number], width: [number, number]): tf.Tensor {
  const who = 'reflectionPad2d';
  if (x.rank !== 4) throw argumentError(who, 'x', 'a rank-4 NHWC tensor', x.shape);
  [height[0], height[1], width[0], width[1]].forEach((p, i) => checkInteger(who, ['height[0]', 'height[1]', 'width[0]', 'width[1]'][i], p, 0));
  const [, h, w] = x.shape;
  checkReflectable(who, 'height', h, height);
  checkReflectable(who, 'width', w, width);
  return tf.tidy(() => reflectAxis(reflectAxis(x, 1, height[0], height[1]), 2, width[0], width[1]));
}

const KERNEL_ASKS = ' (the padding its kernel size and stride need)';

function checkReflectable(who: string, axis: 'height' | 'width', size: number, pad: [number, number], why = ''): void {
  const p = Math.max(pad[0], pad[1]);
  // Reflection mirrors interior pixels only, so each side needs more than p of them.
  if (size <= p) throw argumentError(who, `input ${axis}`, `> ${p} to reflect-pad by ${p}${why}`, size);
}

export function reflectionPadConv2d(cfg: ReflectionPadConv2dConfig): Net {
  const name = cfg.name ?? 'reflectionPadConv2d';
  checkKnownOptions(name, cfg, OPTIONS);
  checkPositiveInt(name, 'inChannels', cfg.inChannels);
  checkPositiveInt(name, 'kernelSize', cfg.kernelSize);
  const k = cfg.kernelSize;
  const s = cfg.strides ?? 1;
  checkPositiveInt(name, 'strides', s);
  const size = cfg.inputSize;
  let convSize: [number, number] | undefined;
  if (size) {
    if (!Array.isArray(size) || size.length !== 2) throw argumentError(name, 'inputSize', '[height, width]', size);
    checkPositiveInt(name, 'inputSize[0]', size[0]);
    checkPositiveInt(name, 'inputSize[1]', size[1]);
    const ph = samePadding(size[0], k, s);
    const pw = samePadding(size[1], k, s);
    checkReflectable(name, 'height', size[0], ph, KERNEL_ASKS);
    checkReflectable(name, 'width', size[1], pw, KERNEL_ASKS);
    convSize = [size[0] + ph[0] + ph[1], size[1] + pw[0] + pw[1]];
  }
  // Same name as the wrapper: weight transforms (spectral norm) key on the name the user chose.
  const conv = conv2d({ ...cfg, name, padding: 'valid', inputSize: convSize });
  return composeNet({
    name,
    parts: [conv] as const,
    inputShape: size ? [size[0], size[1], cfg.inChannels] : [-1, -1, cfg.inChannels],
    outputShape: conv.outputShape,
    forward([c], x, opts) {
      return tf.tidy(() => {
        const [, h, w] = x.shape;
        const ph = samePadding(h, k, s);
        const pw = samePadding(w, k, s);
        checkReflectable(name, 'height', h, ph, KERNEL_ASKS);
        checkReflectable(name, 'width', w, pw, KERNEL_ASKS);
        return c.apply(reflectAxis(reflectAxis(x, 1, ph[0], ph[1]), 2, pw[0], pw[1]), opts);
      });
    },
  });
}
