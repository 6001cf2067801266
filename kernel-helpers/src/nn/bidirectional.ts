/**
 * A bidirectional recurrent layer (Schuster & Paliwal 1997): one LSTM or GRU reads the
 * sequence forwards, a second one (its own weights) reads it backwards, and their outputs
 * are concatenated on the feature axis, forward first. With `returnSequences` the backward
 * outputs are reversed back, so step t holds [h_fwd(x_1..x_t), h_bwd(x_t..x_T)]; without it
 * the result is [h_fwd after x_T, h_bwd after x_1], each direction's summary of the whole
 * sequence.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkOneOf } from '../core/args';
import { gru, GruConfig } from './gru';
import { checkPositiveInt, toRng } from './init';
import { LSTM_OPTIONS, lstm, LstmConfig } from './lstm';
import { composeNet, Net } from './net';

export const RECURRENT_LAYERS = ['lstm', 'gru'] as const;
export type RecurrentLayerName = (typeof RECURRENT_LAYERS)[number];

/**
 * The wrapped layer's own config plus `layer`. Both directions get it; the backward one
 * draws its initial weights further along the same seeded stream (so they differ), and
 * weight transforms see forward kernels at `index`, `index + 1` and backward ones at
 * `index + 2`, `index + 3`.
 */
export type BidirectionalConfig = ({ layer: 'lstm' } & LstmConfig) | ({ layer: 'gru' } & GruConfig);

const GRU_OPTIONS = ['inputSize', 'hidden', 'returnSequences', 'timeSteps', 'fused', 'init', 'weightTransform', 'name', 'index', 'seed'] as const;

const BUILDERS: Record<RecurrentLayerName, { options: readonly string[]; build(cfg: LstmConfig & GruConfig): Net }> = {
  lstm: { options: LSTM_OPTIONS, build: lstm },
  gru: { options: GRU_OPTIONS, build: gru },
};

export function bidirectional(cfg: BidirectionalConfig): Net {
  const name = cfg.name ?? 'bidirectional';
  checkOneOf(name, 'layer', cfg.layer, RECURRENT_LAYERS);
  const { options, build } = BUILDERS[cfg.layer];
  checkKnownOptions(name, cfg, ['layer', ...options]);
  // Checked here too so that the error names this layer, not one of its directions.
  checkPositiveInt(name, 'inputSize', cfg.inputSize);
  checkPositiveInt(name, 'hidden', cfg.hidden);
  if (cfg.timeSteps !== undefined) checkPositiveInt(name, 'timeSteps', cfg.timeSteps);
  const { layer: _layer, ...inner } = cfg;
  const r = toRng(cfg.seed);
  const i0 = cfg.index ?? 0;
  const fwd = build({ ...inner, name: `${name}/forward`, seed: r, index: i0 });
  const bwd = build({ ...inner, name: `${name}/backward`, seed: r, index: i0 + 2 });
  const returnSequences = cfg.returnSequences ?? true;
  const T = cfg.timeSteps ?? -1;
  const H2 = 2 * cfg.hidden;
  return composeNet({
    name,
    parts: [fwd, bwd] as const,
    inputShape: [T, cfg.inputSize],
    outputShape: returnSequences ? [T, H2] : [H2],
    forward([f, b], x, opts) {
      return tf.tidy(() => {
        const yf = f.apply(x, opts);
        const yb = b.apply(tf.reverse(x, 1), opts);
        return returnSequences ? tf.concat([yf, tf.reverse(yb, 1)], 2) : tf.concat([yf, yb], 1);
      });
    },
  });
}
