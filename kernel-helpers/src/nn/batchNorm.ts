/**
 * Batch normalisation (Ioffe & Szegedy 2015) over every axis but the last (the channels) of
 * [batch, C], [batch, T, C] or NHWC [batch, H, W, C]:
 *   training: y = gamma (x - mean_B) / sqrt(var_B + epsilon) + beta, statistics of this batch
 *   eval:     the same with the running statistics
 * Written as `tf.moments` + `tf.batchNorm` with explicit scale and offset, a pair that is
 * correct at first and second order (a gradient penalty through it is checked by finite
 * differences in test/unit/nn/batchNorm.test.ts). With batch norm in a discriminator the
 * examples of a batch interact, so R1's grad_x sum D(x) includes cross-example terms.
 *
 * Running statistics are the net's non-trainable `state`: [movingMean, movingVariance, count].
 * WHEN THEY CHANGE: once per `apply` with `training: true`, unless `updateStats: false`, inside
 * a gradient tape or not (the tape neither replays nor differentiates the update; the running
 * values never enter the training-mode output). In the course's training loop (gan/train.ts)
 * each discriminator update applies D in training mode to the real batch (once, also with
 * R1) and the fake batch (plus the interpolates with the gradient penalty), and the
 * generator update to one more fake batch (and a real one for losses that use it there):
 * each is one update of D's statistics, as in PyTorch. A batch-norm generator gets one per
 * discriminator update and one per generator update. The update is
 *   running <- momentum running + (1 - momentum) batch statistic
 * (tfjs's meaning of `momentum`; PyTorch's momentum is 1 minus this), except that the first
 * update takes the batch's statistics as they are, so no arbitrary starting value lingers.
 * `count` makes "no statistics yet" part of the state: a clone or EMA copy knows it too, and
 * eval mode then throws instead of normalising by made-up numbers. The running variance is
 * the biased one the training forward divides by.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInRange, checkKnownOptions, checkPositive, checkPositiveInt, checkShape } from '../core/args';
import { leafNet, Net } from './net';

export interface BatchNormConfig {
  /** Size of the last axis, the one normalised per entry. */
  channels: number;
  /** In [0, 1): weight of the old running value at each update (default 0.9). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  epsilon?: number;
  /** Learnable offset beta, initialised to 0 (default true). */
  center?: boolean;
  /** Learnable scale gamma, initialised to 1 (default true). */
  scale?: boolean;
  /** Per-example input shape if known, ending in `channels` (enables exact shape checks). */
  inputShape?: readonly number[];
  name?: string;
}

const BATCH_NORM_OPTIONS = ['channels', 'momentum', 'epsilon', 'center', 'scale', 'inputShape', 'name'] as const;

function constVariable(t: tf.Tensor, trainable: boolean): tf.Variable {
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

/**
 * Values of `count` known to be positive, keyed by their data (every assignment, including
 * a copy from an untrained net, brings new data). A training-mode update records its new
 * count here as it assigns it, and a copy (`v.assign(other)`) shares the data of what it
 * copies, so eval mode after training or of a copy of a trained net knows without reading.
 * A new net's zero count (and so a copy of an untrained net) is in `noStatistics`.
 * Only a count of unknown origin (state loaded from values) is read, once per change, and
 * only where the backend reads synchronously: on webgpu that check is skipped (Node cannot
 * read GPU memory synchronously), and eval mode normalises by whatever the state holds.
 */
const hasStatistics = new WeakSet<object>();
const noStatistics = new WeakSet<object>();

function syncReadable(): boolean {
  return tf.getBackend() !== 'webgpu';
}

export function batchNorm(config: BatchNormConfig): Net {
  const cfg = config ?? ({} as BatchNormConfig);
  const who = cfg.name ? `batchNorm ${cfg.name}` : 'batchNorm';
  checkKnownOptions(who, cfg, BATCH_NORM_OPTIONS);
  const C = cfg.channels;
  checkPositiveInt(who, 'channels', C);
  const momentum = cfg.momentum ?? 0.9;
  checkInRange(who, 'momentum', momentum, 0, 1);
  const epsilon = cfg.epsilon ?? 1e-5;
  checkPositive(who, 'epsilon', epsilon);
  const center = cfg.center ?? true;
  const useScale = cfg.scale ?? true;
  const inputShape = cfg.inputShape;
  if (inputShape !== undefined) {
    checkShape(who, 'inputShape', inputShape);
    if (inputShape.length > 3 || inputShape[inputShape.length - 1] !== C) {
      throw new Error(`${who}: inputShape must have 1 to 3 entries ending in channels (${C}), got [${inputShape.join(', ')}]`);
    }
  }
  const name = cfg.name ?? 'batchNorm';
  const variables: tf.Variable[] = [];
  if (useScale) variables.push(constVariable(tf.ones([C]), true));
  if (center) variables.push(constVariable(tf.zeros([C]), true));
  const state = [constVariable(tf.zeros([C]), false), constVariable(tf.ones([C]), false), constVariable(tf.scalar(0), false)];
  noStatistics.add(state[2].dataId);

  return leafNet({
    name,
    variables,
    state,
    inputShape,
    outputShape: inputShape,
    forward(v, x, opts, st) {
      if (x.rank < 2 || x.rank > 4 || x.shape[x.rank - 1] !== C) {
        throw new Error(`${who}: input must have shape [batch, ${C}], [batch, T, ${C}] or [batch, H, W, ${C}], got [${x.shape.join(', ')}]`);
      }
      const [movingMean, movingVariance, count] = st;
      const training = opts.training ?? false;
      if (training && x.size / C < 2) {
        throw new Error(`${who}: a training batch needs more than one value per channel to normalise, got input shape [${x.shape.join(', ')}]`);
      }
      if (!training && !hasStatistics.has(count.dataId) && (noStatistics.has(count.dataId) || syncReadable())) {
        if (noStatistics.has(count.dataId) || count.dataSync()[0] <= 0) {
          throw new Error(
            `${who}: eval mode (training: false) normalises by running statistics, and there are none yet; ` +
              `apply the net with { training: true } to at least one batch first`,
          );
        }
        hasStatistics.add(count.dataId);
      }
      return tf.tidy(() => {
        const gamma = useScale ? v[0] : tf.ones([C]);
        const beta = center ? v[useScale ? 1 : 0] : tf.zeros([C]);
        if (!training) return tf.batchNorm(x, movingMean, movingVariance, beta, gamma, epsilon);
        const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
        const { mean, variance } = tf.moments(x, axes);
        if (opts.updateStats !== false) {
          // sign(count) is 0 before the first update: the first batch's statistics are taken whole.
          const keep = tf.mul(tf.scalar(momentum), tf.sign(count));
          const take = tf.sub(tf.scalar(1), keep);
          movingMean.assign(tf.add(tf.mul(keep, movingMean), tf.mul(take, mean)));
          movingVariance.assign(tf.add(tf.mul(keep, movingVariance), tf.mul(take, variance)));
          count.assign(tf.add(count, tf.scalar(1)));
          hasStatistics.add(count.dataId);
        }
        return tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
      });
    },
  });
}
