/**
 * Gated recurrent unit (Cho et al. 2014) over [batch, time, features]:
 *   z_t = sigmoid(x_t Wz + h_{t-1} Uz + bz)          update gate
 *   r_t = sigmoid(x_t Wr + h_{t-1} Ur + br)          reset gate
 *   n_t = tanh(x_t Wn + (r_t * h_{t-1}) Un + bn)     candidate
 *   h_t = (1 - z_t) * h_{t-1} + z_t * n_t,  h_0 = 0
 * The three input projections of all time steps are one matmul; sigmoid and tanh are the
 * library's double-backprop-safe versions, so a GRU discriminator can carry R1/R2/GP.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sigmoid, tanh } from './activations';
import { Init, initVariable, SeedLike, toRng, zerosVariable } from './init';
import { checkPositiveInt } from '../core/args';
import { leafNet, Net } from './net';
import { gruRecurrence } from './gruRecurrence';
import { MAIN_MEMORY_BACKENDS } from '../backend/backendNames';
import type { WeightLayerOptions } from './layerOptions';

/** `weightTransform` applies to the input kernel [inputSize, 3 hidden] (layer `index`) and the recurrent kernel [hidden, 3 hidden] (`index + 1`). */
export interface GruConfig extends WeightLayerOptions {
  inputSize: number;
  hidden: number;
  /** Output every step's state [batch, time, hidden] (default) or only the last [batch, hidden]. */
  returnSequences?: boolean;
  /** Sequence length if fixed (shape checks). */
  timeSteps?: number;
  /**
   * Run the recurrence as one operation (nn/gruRecurrence.ts: the same function, many times
   * faster at small sizes on the CPU backends) instead of an op graph per step. First order
   * only: it throws when a penalty (R1, GP) differentiates through it. On a GPU backend the
   * op graph runs instead (the fused loop would read the data back every step). Default false.
   */
  fused?: boolean;
}

export function gru(cfg: GruConfig): Net {
  const name = cfg.name ?? 'gru';
  checkPositiveInt(name, 'inputSize', cfg.inputSize);
  checkPositiveInt(name, 'hidden', cfg.hidden);
  if (cfg.timeSteps !== undefined) checkPositiveInt(name, 'timeSteps', cfg.timeSteps);
  const H = cfg.hidden;
  const r = toRng(cfg.seed);
  const init = cfg.init ?? 'glorot';
  const W = initVariable([cfg.inputSize, 3 * H], cfg.inputSize, 3 * H, init, r);
  const U = initVariable([H, 3 * H], H, 3 * H, init, r);
  const b = zerosVariable([3 * H]);
  const returnSequences = cfg.returnSequences ?? true;
  const T = cfg.timeSteps ?? -1;
  const i0 = cfg.index ?? 0;
  const transform = cfg.weightTransform;
  const fused = cfg.fused ?? false;
  if (typeof fused !== 'boolean') throw new Error(`${name}: fused must be true or false, got ${String(fused)}`);
  return leafNet({
    name,
    variables: [W, U, b],
    inputShape: [T, cfg.inputSize],
    outputShape: returnSequences ? [T, H] : [H],
    forward(v, x) {
      return tf.tidy(() => {
        const [B, steps, F] = x.shape;
        const w = transform ? transform(v[0], { name: `${name}/input`, index: i0 }) : v[0];
        const u = transform ? transform(v[1], { name: `${name}/recurrent`, index: i0 + 1 }) : v[1];
        const proj = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [B * steps, F]), w), v[2]), [B, steps, 3 * H]);
        if (fused && MAIN_MEMORY_BACKENDS.has(tf.getBackend())) {
          const all = gruRecurrence(proj, u);
          return returnSequences ? all : tf.reshape(tf.slice(all, [0, steps - 1, 0], [B, 1, H]), [B, H]);
        }
        const uZr = tf.slice(u, [0, 0], [H, 2 * H]);
        const uN = tf.slice(u, [0, 2 * H], [H, H]);
        const perStep = tf.unstack(proj, 1);
        let h: tf.Tensor = tf.zeros([B, H]);
        const states: tf.Tensor[] = [];
        for (let t = 0; t < steps; t++) {
          const p = perStep[t];
          const zr = sigmoid(tf.add(tf.slice(p, [0, 0], [B, 2 * H]), tf.matMul(h, uZr)));
          const z = tf.slice(zr, [0, 0], [B, H]);
          const rg = tf.slice(zr, [0, H], [B, H]);
          const n = tanh(tf.add(tf.slice(p, [0, 2 * H], [B, H]), tf.matMul(tf.mul(rg, h), uN)));
          h = tf.add(h, tf.mul(z, tf.sub(n, h)));
          if (returnSequences) states.push(h);
        }
        return returnSequences ? tf.stack(states, 1) : h;
      });
    },
  });
}
