/**
 * 2D convolution on NHWC tensors, optionally grouped: with `groups = g`, input and output
 * channels are split into g blocks and block i of the output only sees block i of the input
 * (ResNeXt / R3GAN). The kernel is stored as ONE variable [k, k, inChannels/g, filters], the
 * usual layout of grouped convolutions, so weight transforms see the whole kernel.
 *
 * tfjs has no grouped convolution, so two equivalent implementations are offered:
 * - 'split' (default): split the channels into g tensors, convolve each, concatenate. The
 *   multiply-adds of a true grouped conv, plus strided channel copies.
 * - 'blockDiagonal': expand the kernel to a full [k, k, inChannels, filters] kernel that is
 *   zero outside the g diagonal blocks and run ONE ordinary convolution: g times the
 *   multiply-adds, no copies. On wasm (1 thread, 4 groups, batch 32, R1-style double
 *   backprop) it was about as fast as 'split' at 28x28x32 and 2-3x slower at 7x7x128.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Activation, activationFn } from './activations';
import { Init, initVariable, SeedLike, toRng, zerosVariable } from './init';
import { checkOneOf, checkPositiveInt } from '../core/args';
import { leafNet, Net } from './net';
import type { FeedForwardLayerOptions } from './layerOptions';

export interface Conv2dConfig extends FeedForwardLayerOptions {
  inChannels: number;
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: 'same' | 'valid';
  groups?: number;
  /** How grouped convs run (same result): 'split' (default) or 'blockDiagonal'. */
  groupMode?: 'blockDiagonal' | 'split';
  /** Input height and width if known (enables shape checks and `outputShape`). */
  inputSize?: [number, number];
}

/** Output spatial size of a conv with the given padding and stride. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

/**
 * The full kernel [k, k, g*inPerGroup, filters] of a grouped conv's kernel [k, k, inPerGroup,
 * filters]: input block i connects only to output block i. Built as g copies of the kernel
 * stacked along the input axis, times a 0/1 block mask (differentiable, cheap: kernels are small).
 */
export function blockDiagonalKernel(kernel: tf.Tensor4D, groups: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, inPer, out] = kernel.shape;
    const outPer = out / groups;
    const mask = new Float32Array(groups * inPer * out);
    for (let c = 0; c < groups * inPer; c++) {
      const g = Math.floor(c / inPer);
      for (let o = g * outPer; o < (g + 1) * outPer; o++) mask[c * out + o] = 1;
    }
    const stacked = tf.concat(Array.from({ length: groups }, () => kernel), 2);
    return tf.mul(stacked, tf.tensor4d(mask, [1, 1, groups * inPer, out])) as tf.Tensor4D;
  });
}

const GROUP_MODES = ['split', 'blockDiagonal'] as const;
const PADDINGS = ['same', 'valid'] as const;

export function conv2d(cfg: Conv2dConfig): Net {
  const name = cfg.name ?? 'conv2d';
  checkPositiveInt(name, 'inChannels', cfg.inChannels);
  checkPositiveInt(name, 'filters', cfg.filters);
  checkPositiveInt(name, 'kernelSize', cfg.kernelSize);
  const strides = cfg.strides ?? 1;
  checkPositiveInt(name, 'strides', strides);
  const groups = cfg.groups ?? 1;
  checkPositiveInt(name, 'groups', groups);
  if (cfg.inChannels % groups !== 0 || cfg.filters % groups !== 0) {
    throw new Error(
      `${name}: groups (${groups}) must divide both inChannels (${cfg.inChannels}) and filters (${cfg.filters})`,
    );
  }
  const groupMode = cfg.groupMode ?? 'split';
  checkOneOf(name, 'groupMode', groupMode, GROUP_MODES);
  const padding = cfg.padding ?? 'same';
  checkOneOf(name, 'padding', padding, PADDINGS);
  const k = cfg.kernelSize;
  const inPerGroup = cfg.inChannels / groups;
  const outPerGroup = cfg.filters / groups;
  const act = activationFn(cfg.activation ?? 'linear');
  const useBias = cfg.useBias ?? true;
  const r = toRng(cfg.seed);
  const fanIn = k * k * inPerGroup;
  const fanOut = k * k * outPerGroup;
  const w = initVariable([k, k, inPerGroup, cfg.filters], fanIn, fanOut, cfg.init ?? 'glorot', r, cfg.initGain ?? 1);
  const vars = useBias ? [w, zerosVariable([cfg.filters])] : [w];
  const info = { name, index: cfg.index ?? 0 };
  const transform = cfg.weightTransform;
  const size = cfg.inputSize;
  if (size && (size[0] < (padding === 'valid' ? k : 1) || size[1] < (padding === 'valid' ? k : 1))) {
    throw new Error(`${name}: inputSize must be at least the ${k}x${k} kernel, got ${size.join('x')}`);
  }
  return leafNet({
    name,
    variables: vars,
    inputShape: size ? [size[0], size[1], cfg.inChannels] : [-1, -1, cfg.inChannels],
    outputShape: size
      ? [convOutputSize(size[0], k, strides, padding), convOutputSize(size[1], k, strides, padding), cfg.filters]
      : undefined,
    forward(v, x) {
      return tf.tidy(() => {
        const kernel = (transform ? transform(v[0], info) : v[0]) as tf.Tensor4D;
        const x4 = x as tf.Tensor4D;
        let y: tf.Tensor4D;
        if (groups === 1) {
          y = tf.conv2d(x4, kernel, strides, padding);
        } else if (groupMode === 'blockDiagonal') {
          y = tf.conv2d(x4, blockDiagonalKernel(kernel, groups), strides, padding);
        } else {
          const xs = tf.split(x4, groups, 3);
          const ks = tf.split(kernel, groups, 3);
          y = tf.concat(xs.map((xi, i) => tf.conv2d(xi as tf.Tensor4D, ks[i] as tf.Tensor4D, strides, padding)), 3) as tf.Tensor4D;
        }
        return act(useBias ? tf.add(y, v[1]) : y);
      });
    },
  });
}
