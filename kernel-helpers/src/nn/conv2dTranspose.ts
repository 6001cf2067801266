/**
 * Transposed ("fractionally strided") 2D convolution on NHWC tensors with 'same' padding:
 * output size = input size x stride. Kernel layout [k, k, filters, inChannels] (tfjs's).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Activation, activationFn } from './activations';
import { Init, initVariable, SeedLike, toRng, zerosVariable } from './init';
import { argumentError, checkPositiveInt } from '../core/args';
import { leafNet, Net } from './net';
import type { FeedForwardLayerOptions } from './layerOptions';

export interface Conv2dTransposeConfig extends FeedForwardLayerOptions {
  inChannels: number;
  filters: number;
  kernelSize: number;
  strides?: number;
  /** Input height and width (needed to compute the output shape). */
  inputSize: [number, number];
}

export function conv2dTranspose(cfg: Conv2dTransposeConfig): Net {
  const name = cfg.name ?? 'conv2dTranspose';
  checkPositiveInt(name, 'inChannels', cfg.inChannels);
  checkPositiveInt(name, 'filters', cfg.filters);
  checkPositiveInt(name, 'kernelSize', cfg.kernelSize);
  const strides = cfg.strides ?? 1;
  checkPositiveInt(name, 'strides', strides);
  if (!Array.isArray(cfg.inputSize) || cfg.inputSize.length !== 2) throw argumentError(name, 'inputSize', '[height, width] (it is required)', cfg.inputSize);
  const [h, w0] = cfg.inputSize;
  checkPositiveInt(name, 'inputSize[0]', h);
  checkPositiveInt(name, 'inputSize[1]', w0);
  const k = cfg.kernelSize;
  const act = activationFn(cfg.activation ?? 'linear');
  const useBias = cfg.useBias ?? true;
  const r = toRng(cfg.seed);
  // Each output pixel receives about k*k*in/stride^2 contributions; fan values as for the forward conv.
  const w = initVariable([k, k, cfg.filters, cfg.inChannels], k * k * cfg.inChannels, k * k * cfg.filters, cfg.init ?? 'glorot', r, cfg.initGain ?? 1);
  const vars = useBias ? [w, zerosVariable([cfg.filters])] : [w];
  const info = { name, index: cfg.index ?? 0 };
  const transform = cfg.weightTransform;
  const outH = h * strides;
  const outW = w0 * strides;
  return leafNet({
    name,
    variables: vars,
    inputShape: [h, w0, cfg.inChannels],
    outputShape: [outH, outW, cfg.filters],
    forward(v, x) {
      return tf.tidy(() => {
        const kernel = (transform ? transform(v[0], info) : v[0]) as tf.Tensor4D;
        const y = tf.conv2dTranspose(x as tf.Tensor4D, kernel, [x.shape[0], outH, outW, cfg.filters], strides, 'same');
        return act(useBias ? tf.add(y, v[1]) : y);
      });
    },
  });
}
