/**
 * Exponential moving average of a network's weights (generator EMA; Karras et al. 2018,
 * Yazici et al. 2019): after each generator step, w_ema <- beta w_ema + (1 - beta) w.
 * Sampling from the averaged generator smooths out the oscillation of the training game.
 *
 * Warm-up (on by default): the n-th update uses min(decay, (1 + n) / (10 + n)), the rule of
 * TensorFlow's ExponentialMovingAverage with num_updates, so a short run's average is not
 * dominated by the random initial weights (with decay 0.999 they would keep ~e^-1 of their
 * weight after 1000 updates).
 *
 * Non-trainable state (batch norm's running statistics, `Net.state`) is not averaged: every
 * update copies the training net's current values into the copy, as StyleGAN's training loop
 * does with its buffers. Averaged statistics would describe no net's activations; copied
 * ones are those of the most recent training net, which the averaged weights stay close to.
 */
import * as tf from '@tensorflow/tfjs-core';
import { copyState, Net } from './net';

export interface Ema {
  /** The averaged copy: a Net with the same architecture, usable for sampling. */
  readonly net: Net;
  readonly decay: number;
  /** The decay the next update will use (smaller during warm-up). */
  readonly currentDecay: number;
  /** Number of updates so far. */
  readonly updates: number;
  /**
   * w_ema <- beta w_ema + (1 - beta) w for every variable of the source net, beta =
   * currentDecay; the source's state is copied as is.
   */
  update(): void;
  /** Frees the averaged copy. */
  dispose(): void;
}

export function checkEmaDecay(decay: number): void {
  if (typeof decay !== 'number' || !Number.isFinite(decay) || decay < 0 || decay >= 1) {
    throw new Error(`ema: decay must be in [0, 1), got ${decay}`);
  }
}

/** An averaged copy of `source` (which must have `clone`), starting equal to it. */
export interface EmaOptions {
  /** Use min(decay, (1 + n) / (10 + n)) at update n (default true). */
  warmup?: boolean;
}

export function createEma(source: Net, decay: number, opts: EmaOptions = {}): Ema {
  checkEmaDecay(decay);
  const warmup = opts.warmup ?? true;
  if (!source.clone) throw new Error(`ema: net ${source.name} has no clone method, so it cannot be averaged`);
  const net = source.clone(`${source.name}_ema`);
  if (net.variables.length !== source.variables.length) throw new Error(`ema: clone of ${source.name} has a different number of variables`);
  copyState('ema', source, net);
  let updates = 0;
  const decayAt = (n: number) => (warmup ? Math.min(decay, (1 + n) / (10 + n)) : decay);
  return {
    net,
    decay,
    get updates() {
      return updates;
    },
    get currentDecay() {
      return decayAt(updates);
    },
    update() {
      tf.tidy(() => {
        const beta = decayAt(updates);
        const d = tf.scalar(beta);
        const e = tf.scalar(1 - beta);
        source.variables.forEach((w, i) => net.variables[i].assign(tf.add(tf.mul(d, net.variables[i]), tf.mul(e, w))));
        copyState('ema', source, net);
      });
      updates += 1;
    },
    dispose() {
      if (net.dispose) net.dispose();
      else for (const v of net.variables) v.dispose();
    },
  };
}

/** A trainer's `ema` option: a decay (warm-up on), or the decay and the warm-up. */
export type EmaOption = number | { decay: number; warmup?: boolean };

/** The averaged copy a trainer's `ema` option asks for (null when it is undefined). */
export function emaFromOption(source: Net, option: EmaOption | undefined): Ema | null {
  if (option === undefined) return null;
  if (typeof option === 'number') return createEma(source, option);
  if (typeof option !== 'object' || option === null) throw new Error(`ema: expected a decay in [0, 1) or { decay, warmup }, got ${String(option)}`);
  return createEma(source, option.decay, { warmup: option.warmup });
}
