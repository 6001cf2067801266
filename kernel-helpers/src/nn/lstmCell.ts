/**
 * An LSTM that can be advanced ONE time step at a time: the cell of `lstm` (same equations,
 * same gate order i, f, g, o, same variables [W, U, b] drawn in the same order from the seed,
 * so `lstmCell(cfg)` and `lstm(cfg)` with one seed hold identical weights) with a `step`
 * method. `lstm` projects all inputs of a sequence in one matmul, which needs every x_t in
 * advance; a generator with output feedback (C-RNN-GAN, Mogren 2016, sect. 3: the input at
 * step t contains the output of step t - 1) only knows x_t after step t - 1, so it has to
 * drive the cell itself. Written with the library's sigmoid and tanh (not
 * `tf.basicLSTMCell`, whose second derivatives are silently wrong).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions } from '../core/args';
import { sigmoid, tanh } from './activations';
import { Init, initVariable, SeedLike, toRng, checkPositiveInt } from './init';
import { leafNet, Net } from './net';

/** The recurrent state (h_t, c_t), each [batch, hidden]. */
export interface LstmState {
  h: tf.Tensor;
  c: tf.Tensor;
}

export interface LstmCellConfig {
  inputSize: number;
  hidden: number;
  /** Start the forget-gate bias at 1 (default true, as `lstm`). */
  unitForgetBias?: boolean;
  init?: Init;
  name?: string;
  seed?: SeedLike;
}

/** A `Net` over whole sequences ([batch, time, inputSize] -> [batch, time, hidden], stepping) that can also take single steps. */
export interface LstmCell extends Net {
  readonly hidden: number;
  readonly inputSize: number;
  /** h_0 = c_0 = 0 for a batch (new tensors; the caller disposes them). */
  zeroState(batch: number): LstmState;
  /** One step: x_t [batch, inputSize] and (h_{t-1}, c_{t-1}) -> (h_t, c_t). Disposes neither input. */
  step(x: tf.Tensor, state: LstmState): LstmState;
  clone(name?: string): LstmCell;
  dispose(): void;
}

const LSTM_CELL_OPTIONS = ['inputSize', 'hidden', 'unitForgetBias', 'init', 'name', 'seed'] as const;

function cellStep(v: readonly tf.Variable[], H: number, x: tf.Tensor, s: LstmState): LstmState {
  return tf.tidy(() => {
    const B = x.shape[0];
    const z = tf.add(tf.add(tf.matMul(x, v[0]), tf.matMul(s.h, v[1])), v[2]);
    const inForget = sigmoid(tf.slice(z, [0, 0], [B, 2 * H]));
    const i = tf.slice(inForget, [0, 0], [B, H]);
    const f = tf.slice(inForget, [0, H], [B, H]);
    const g = tanh(tf.slice(z, [0, 2 * H], [B, H]));
    const o = sigmoid(tf.slice(z, [0, 3 * H], [B, H]));
    const c = tf.add(tf.mul(f, s.c), tf.mul(i, g));
    return { h: tf.mul(o, tanh(c)), c };
  });
}

function build(name: string, inputSize: number, H: number, vars: tf.Variable[]): LstmCell {
  const check = (who: string, x: tf.Tensor, s: LstmState) => {
    if (x.rank !== 2 || x.shape[1] !== inputSize) throw new Error(`${who}: x must have shape [batch, ${inputSize}], got [${x.shape.join(', ')}]`);
    for (const k of ['h', 'c'] as const) {
      const t = s?.[k];
      if (!t || t.rank !== 2 || t.shape[0] !== x.shape[0] || t.shape[1] !== H) {
        throw new Error(`${who}: state.${k} must have shape [${x.shape[0]}, ${H}], got ${t ? `[${t.shape.join(', ')}]` : String(t)}`);
      }
    }
  };
  const net = leafNet({
    name,
    variables: vars,
    inputShape: [-1, inputSize],
    outputShape: [-1, H],
    forward(v, x) {
      return tf.tidy(() => {
        const [B] = x.shape;
        let s: LstmState = { h: tf.zeros([B, H]), c: tf.zeros([B, H]) };
        const hs: tf.Tensor[] = [];
        for (const xt of tf.unstack(x, 1)) {
          s = cellStep(v, H, xt, s);
          hs.push(s.h);
        }
        return tf.stack(hs, 1);
      });
    },
  });
  return {
    ...net,
    hidden: H,
    inputSize,
    zeroState: (batch: number) => {
      checkPositiveInt(`${name}.zeroState`, 'batch', batch);
      return { h: tf.zeros([batch, H]), c: tf.zeros([batch, H]) };
    },
    step(x, state) {
      check(`${name}.step`, x, state);
      return cellStep(vars, H, x, state);
    },
    dispose: () => net.dispose!(),
    clone(newName?: string) {
      return build(newName ?? name, inputSize, H, vars.map((v) => tf.variable(v)));
    },
  };
}

export function lstmCell(cfg: LstmCellConfig): LstmCell {
  const name = cfg?.name ?? 'lstmCell';
  checkKnownOptions(name, cfg, LSTM_CELL_OPTIONS);
  checkPositiveInt(name, 'inputSize', cfg.inputSize);
  checkPositiveInt(name, 'hidden', cfg.hidden);
  const H = cfg.hidden;
  const r = toRng(cfg.seed);
  const init = cfg.init ?? 'glorot';
  // Drawn in lstm's order (W, then U, then the bias) so the same seed gives the same weights.
  const W = initVariable([cfg.inputSize, 4 * H], cfg.inputSize, 4 * H, init, r);
  const U = initVariable([H, 4 * H], H, 4 * H, init, r);
  const bias = new Float32Array(4 * H);
  if (cfg.unitForgetBias ?? true) bias.fill(1, H, 2 * H);
  const b = tf.tidy(() => tf.variable(tf.tensor1d(bias), true));
  return build(name, cfg.inputSize, H, [W, U, b]);
}
