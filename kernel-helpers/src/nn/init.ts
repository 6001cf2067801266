/**
 * Weight initialisation from the course's seeded RNG, so a model built with the same seed
 * starts from the same weights on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkPositiveInt } from '../core/args';

export { checkPositiveInt };
import { rng, Rng } from '../core/random';

/** 'glorot' uniform (Keras' default), 'he' normal (for ReLU-like nets), 'zeros', or N(0, std). */
export type Init = 'glorot' | 'he' | 'zeros' | { normalStd: number };

/** A seed or an RNG stream. Without one, a random seed is drawn. */
export type SeedLike = number | Rng | undefined;

export function toRng(seed: SeedLike): Rng {
  if (seed === undefined) return rng(Math.floor(Math.random() * 4294967296));
  if (typeof seed === 'number') return rng(seed);
  return seed;
}

/** A trainable variable of `shape` initialised per `init`; `gain` scales the result. */
export function initVariable(shape: number[], fanIn: number, fanOut: number, init: Init, r: Rng, gain = 1): tf.Variable {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (init === 'zeros') {
    // already zero
  } else if (init === 'glorot') {
    const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < n; i++) data[i] = (2 * r.uniform() - 1) * limit;
  } else if (init === 'he') {
    const std = gain * Math.sqrt(2 / fanIn);
    for (let i = 0; i < n; i++) data[i] = r.normal() * std;
  } else if (typeof init === 'object' && Number.isFinite(init.normalStd) && init.normalStd >= 0) {
    for (let i = 0; i < n; i++) data[i] = r.normal() * init.normalStd * gain;
  } else {
    throw argumentError('initVariable', 'init', "'glorot', 'he', 'zeros' or { normalStd } with normalStd >= 0", init);
  }
  const t = tf.tensor(data, shape, 'float32');
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

export function zerosVariable(shape: number[]): tf.Variable {
  const t = tf.zeros(shape);
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

