/**
 * Long short-term memory (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al.
 * 2000) over [batch, time, features]; gates in the Keras / PyTorch order i, f, g, o:
 *   i_t = sigmoid(x_t Wi + h_{t-1} Ui + bi)          input gate
 *   f_t = sigmoid(x_t Wf + h_{t-1} Uf + bf)          forget gate
 *   g_t = tanh(x_t Wg + h_{t-1} Ug + bg)             candidate cell
 *   o_t = sigmoid(x_t Wo + h_{t-1} Uo + bo)          output gate
 *   c_t = f_t * c_{t-1} + i_t * g_t,   h_t = o_t * tanh(c_t),   h_0 = c_0 = 0
 * Written with the library's sigmoid and tanh rather than `tf.basicLSTMCell`: the stock
 * cell's second derivatives are silently wrong, and an LSTM critic must carry R1/R2/GP.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions } from '../core/args';
import { sigmoid, tanh } from './activations';
import { initVariable, toRng, checkPositiveInt } from './init';
import { leafNet, Net } from './net';
import { lstmRecurrence } from './lstmRecurrence';
import { MAIN_MEMORY_BACKENDS } from '../backend/backendNames';
import type { WeightLayerOptions } from './layerOptions';

/** `weightTransform` applies to the input kernel [inputSize, 4 hidden] (layer `index`) and the recurrent kernel [hidden, 4 hidden] (`index + 1`). */
export interface LstmConfig extends WeightLayerOptions {
  inputSize: number;
  hidden: number;
  /** Output every step's state h_t [batch, time, hidden] (default) or only the last [batch, hidden]. */
  returnSequences?: boolean;
  /** Sequence length if fixed (shape checks). */
  timeSteps?: number;
  /**
   * Start the forget-gate bias at 1 instead of 0 (default true, as in Keras): the cell then
   * remembers by default early in training (Jozefowicz et al. 2015).
   */
  unitForgetBias?: boolean;
  /**
   * Run the recurrence as one operation (nn/lstmRecurrence.ts: the same function, many times
   * faster at small sizes on the CPU backends) instead of an op graph per step. First order
   * only: it throws when a penalty (R1, GP) differentiates through it. On a GPU backend the
   * op graph runs instead. Default false.
   */
  fused?: boolean;
}

/** The option names `lstm` accepts (anything else is a typo and throws). */
export const LSTM_OPTIONS = ['inputSize', 'hidden', 'returnSequences', 'timeSteps', 'unitForgetBias', 'fused', 'init', 'weightTransform', 'name', 'index', 'seed'] as const;

export function lstm(cfg: LstmConfig): Net {
  const name = cfg.name ?? 'lstm';
  checkKnownOptions(name, cfg, LSTM_OPTIONS);
  checkPositiveInt(name, 'inputSize', cfg.inputSize);
  checkPositiveInt(name, 'hidden', cfg.hidden);
  if (cfg.timeSteps !== undefined) checkPositiveInt(name, 'timeSteps', cfg.timeSteps);
  const H = cfg.hidden;
  const r = toRng(cfg.seed);
  const init = cfg.init ?? 'glorot';
  const W = initVariable([cfg.inputSize, 4 * H], cfg.inputSize, 4 * H, init, r);
  const U = initVariable([H, 4 * H], H, 4 * H, init, r);
  const bias = new Float32Array(4 * H);
  if (cfg.unitForgetBias ?? true) bias.fill(1, H, 2 * H);
  const b = tf.tidy(() => tf.variable(tf.tensor1d(bias), true));
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
        // Every step's input projection in one matmul; only h_{t-1} U stays in the loop.
        const proj = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [B * steps, F]), w), v[2]), [B, steps, 4 * H]);
        if (fused && MAIN_MEMORY_BACKENDS.has(tf.getBackend())) {
          const all = lstmRecurrence(proj, u);
          return returnSequences ? all : tf.reshape(tf.slice(all, [0, steps - 1, 0], [B, 1, H]), [B, H]);
        }
        const perStep = tf.unstack(proj, 1);
        let h: tf.Tensor = tf.zeros([B, H]);
        let c: tf.Tensor = tf.zeros([B, H]);
        const states: tf.Tensor[] = [];
        for (let t = 0; t < steps; t++) {
          const z = tf.add(perStep[t], tf.matMul(h, u));
          const inForget = sigmoid(tf.slice(z, [0, 0], [B, 2 * H]));
          const i = tf.slice(inForget, [0, 0], [B, H]);
          const f = tf.slice(inForget, [0, H], [B, H]);
          const g = tanh(tf.slice(z, [0, 2 * H], [B, H]));
          const o = sigmoid(tf.slice(z, [0, 3 * H], [B, H]));
          c = tf.add(tf.mul(f, c), tf.mul(i, g));
          h = tf.mul(o, tanh(c));
          if (returnSequences) states.push(h);
        }
        return returnSequences ? tf.stack(states, 1) : h;
      });
    },
  });
}
