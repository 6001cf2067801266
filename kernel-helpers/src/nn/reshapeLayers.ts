/** Variable-free layers: reshape, flatten, activation, nearest-neighbour 2x upsampling, 2x2 average pooling. */
import * as tf from '@tensorflow/tfjs-core';
import { Activation, activationFn, activationName } from './activations';
import { lambdaNet, Net } from './net';

export function reshapeLayer(inputShape: readonly number[], outputShape: readonly number[], name = 'reshape'): Net {
  const a = inputShape.reduce((p, q) => p * q, 1);
  const b = outputShape.reduce((p, q) => p * q, 1);
  if (a !== b) throw new Error(`${name}: cannot reshape [${inputShape}] (${a} values) to [${outputShape}] (${b} values)`);
  return lambdaNet(name, (x) => tf.reshape(x, [x.shape[0], ...outputShape]), { inputShape, outputShape });
}

export function flattenLayer(inputShape: readonly number[], name = 'flatten'): Net {
  return reshapeLayer(inputShape, [inputShape.reduce((p, q) => p * q, 1)], name);
}

export function activationLayer(a: Activation, name?: string): Net {
  const fn = activationFn(a);
  return lambdaNet(name ?? activationName(a), (x) => fn(x));
}

/**
 * Nearest-neighbour 2x upsampling of NHWC, by broadcasting against ones: only reshape and
 * multiply, whose gradients (and second gradients) every backend has.
 */
export function upsampleNearest2x(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const ones = tf.ones([1, 1, 2, 1, 2, 1]);
    return tf.reshape(tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), ones), [n, 2 * h, 2 * w, c]);
  });
}

/** 2x2 average pooling of NHWC with even height and width, as reshape + mean. */
export function downsampleMean2x(x: tf.Tensor): tf.Tensor {
  const [n, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`downsampleMean2x: height and width must be even, got ${h}x${w}`);
  return tf.tidy(() => tf.mean(tf.reshape(x, [n, h / 2, 2, w / 2, 2, c]), [2, 4]));
}

export function upsampleNearest2xLayer(name = 'upsampleNearest2x'): Net {
  return lambdaNet(name, upsampleNearest2x);
}

export function downsampleMean2xLayer(name = 'downsampleMean2x'): Net {
  return lambdaNet(name, downsampleMean2x);
}
