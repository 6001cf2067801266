/**
 * Instance normalisation (Ulyanov et al. 2016) of NHWC [batch, H, W, C]: each example's
 * channel is normalised over its own H x W positions,
 *   y = gamma (x - mean_hw) rsqrt(var_hw + epsilon) + beta,
 * the same in training and eval (no running statistics, no state). Written with
 * `tf.moments(x, [1, 2], true)` and `rsqrt`: that form is differentiable twice, so R1 and
 * the gradient penalty work through it, while `tf.batchNorm` fed per-instance statistics
 * throws, even at first order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkPositive, checkPositiveInt } from '../core/args';
import { leafNet, Net } from './net';

export interface InstanceNormConfig {
  /** Size of the last axis. */
  channels: number;
  /** Added to the variance (default 1e-5). */
  epsilon?: number;
  /** Learnable per-channel offset beta, initialised to 0 (default true). */
  center?: boolean;
  /** Learnable per-channel scale gamma, initialised to 1 (default true). */
  scale?: boolean;
  /** Input height and width if known (enables exact shape checks and `outputShape`). */
  inputSize?: [number, number];
  name?: string;
}

const INSTANCE_NORM_OPTIONS = ['channels', 'epsilon', 'center', 'scale', 'inputSize', 'name'] as const;

function trainable(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

export function instanceNorm(config: InstanceNormConfig): Net {
  const cfg = config ?? ({} as InstanceNormConfig);
  const who = cfg.name ? `instanceNorm ${cfg.name}` : 'instanceNorm';
  checkKnownOptions(who, cfg, INSTANCE_NORM_OPTIONS);
  const C = cfg.channels;
  checkPositiveInt(who, 'channels', C);
  const epsilon = cfg.epsilon ?? 1e-5;
  checkPositive(who, 'epsilon', epsilon);
  const center = cfg.center ?? true;
  const useScale = cfg.scale ?? true;
  const size = cfg.inputSize;
  if (size !== undefined) {
    if (!Array.isArray(size) || size.length !== 2) throw new Error(`${who}: inputSize must be [height, width], got ${JSON.stringify(size)}`);
    checkPositiveInt(who, 'inputSize[0]', size[0]);
    checkPositiveInt(who, 'inputSize[1]', size[1]);
    if (size[0] * size[1] < 2) throw new Error(`${who}: inputSize must have more than one position to normalise over, got ${size.join('x')}`);
  }
  const variables: tf.Variable[] = [];
  if (useScale) variables.push(trainable(tf.ones([C])));
  if (center) variables.push(trainable(tf.zeros([C])));
  const shape = size ? [size[0], size[1], C] : undefined;
  return leafNet({
    name: cfg.name ?? 'instanceNorm',
    variables,
    inputShape: shape ?? [-1, -1, C],
    outputShape: shape,
    forward(v, x) {
      if ((x.shape[1] as number) * (x.shape[2] as number) < 2) {
        throw new Error(`${who}: input must have more than one spatial position per channel, got [${x.shape.join(', ')}]`);
      }
      return tf.tidy(() => {
        const { mean, variance } = tf.moments(x, [1, 2], true);
        let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, tf.scalar(epsilon))));
        if (useScale) y = tf.mul(y, v[0]);
        if (center) y = tf.add(y, v[useScale ? 1 : 0]);
        return y;
      });
    },
  });
}
