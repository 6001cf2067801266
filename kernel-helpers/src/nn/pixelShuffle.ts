/**
 * Pixel shuffle (sub-pixel convolution, Shi et al. 2016): [N, H, W, r^2 C] -> [N, rH, rW, C],
 * the channel block (i r + j) of a pixel becoming the sub-pixel (i, j) of its r x r cell, the
 * order of `tf.depthToSpace` (NHWC). A conv to r^2 C channels then a shuffle upsamples
 * without the checkerboard artefacts of strided transposed convs. `tf.depthToSpace` has no
 * gradient, so the shuffle is written as reshape / transpose / reshape, whose gradients
 * (and theirs) every backend has.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkKnownOptions, checkPositiveInt } from '../core/args';
import { lambdaNet, Net } from './net';

function shuffle(who: string, x: tf.Tensor, r: number): tf.Tensor {
  if (x.rank !== 4) throw argumentError(who, 'x', 'a rank-4 NHWC tensor', x.shape);
  const [n, h, w, c] = x.shape;
  if (c % (r * r) !== 0) throw argumentError(who, 'input channels', `divisible by factor^2 = ${r * r}`, c);
  const out = c / (r * r);
  return tf.tidy(() => {
    const cells = tf.reshape(x, [n, h, w, r, r, out]);
    return tf.reshape(tf.transpose(cells, [0, 1, 3, 2, 4, 5]), [n, h * r, w * r, out]);
  });
}

/** Depth-to-space by `factor` of an NHWC tensor whose channels factor^2 divides. */
export function pixelShuffle(x: tf.Tensor, factor: number): tf.Tensor {
  checkPositiveInt('pixelShuffle', 'factor', factor);
  return shuffle('pixelShuffle', x, factor);
}

export interface PixelShuffleConfig {
  factor: number;
  /** Input channels if known (checked now, and enables shape checks). */
  inChannels?: number;
  /** Input height and width if known (with `inChannels`, gives `outputShape`). */
  inputSize?: [number, number];
  name?: string;
}

const OPTIONS = ['factor', 'inChannels', 'inputSize', 'name'] as const;

export function pixelShuffleLayer(cfg: PixelShuffleConfig): Net {
  const name = cfg.name ?? 'pixelShuffle';
  checkKnownOptions(name, cfg, OPTIONS);
  const r = cfg.factor;
  checkPositiveInt(name, 'factor', r);
  const size = cfg.inputSize;
  if (size !== undefined) {
    if (!Array.isArray(size) || size.length !== 2) throw argumentError(name, 'inputSize', '[height, width]', size);
    checkPositiveInt(name, 'inputSize[0]', size[0]);
    checkPositiveInt(name, 'inputSize[1]', size[1]);
  }
  const c = cfg.inChannels;
  if (c !== undefined) {
    checkPositiveInt(name, 'inChannels', c);
    if (c % (r * r) !== 0) throw argumentError(name, 'inChannels', `divisible by factor^2 = ${r * r}`, c);
  }
  return lambdaNet(name, (x) => shuffle(name, x, r), {
    inputShape: [size?.[0] ?? -1, size?.[1] ?? -1, c ?? -1],
    outputShape: c !== undefined && size ? [size[0] * r, size[1] * r, c / (r * r)] : undefined,
  });
}
