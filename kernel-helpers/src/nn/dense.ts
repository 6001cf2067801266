/** Fully connected layer: y = act(x W + b), W of shape [inUnits, units]. */
import * as tf from '@tensorflow/tfjs-core';
import { Activation, activationFn } from './activations';
import { Init, initVariable, SeedLike, toRng, zerosVariable } from './init';
import { checkPositiveInt } from '../core/args';
import { leafNet, Net } from './net';
import type { FeedForwardLayerOptions } from './layerOptions';

export interface DenseConfig extends FeedForwardLayerOptions {
  inUnits: number;
  units: number;
}

export function dense(cfg: DenseConfig): Net {
  const name = cfg.name ?? 'dense';
  checkPositiveInt(name, 'inUnits', cfg.inUnits);
  checkPositiveInt(name, 'units', cfg.units);
  const act = activationFn(cfg.activation ?? 'linear');
  const useBias = cfg.useBias ?? true;
  const r = toRng(cfg.seed);
  const w = initVariable([cfg.inUnits, cfg.units], cfg.inUnits, cfg.units, cfg.init ?? 'glorot', r, cfg.initGain ?? 1);
  const vars = useBias ? [w, zerosVariable([cfg.units])] : [w];
  const info = { name, index: cfg.index ?? 0 };
  const transform = cfg.weightTransform;
  return leafNet({
    name,
    variables: vars,
    inputShape: [cfg.inUnits],
    outputShape: [cfg.units],
    forward(v, x) {
      return tf.tidy(() => {
        const kernel = transform ? transform(v[0], info) : v[0];
        let y = tf.matMul(x, kernel);
        if (useBias) y = tf.add(y, v[1]);
        return act(y);
      });
    },
  });
}
