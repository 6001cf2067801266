/**
 * CycleGAN's two reconstruction terms (Zhu et al. 2017, eqs. 2 and 6), as mean absolute
 * errors over every pixel of the batch:
 *   cycle:    |F(G(x)) - x|_1 + |G(F(y)) - y|_1   (translate there and back: the content must survive)
 *   identity: |G(y) - y|_1 + |F(x) - x|_1         (an image already in the target domain stays as it is)
 * Each function takes one direction's pair; the trainer adds both directions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../core/args';

function l1(who: string, a: tf.Tensor, b: tf.Tensor, names: [string, string]): tf.Scalar {
  if (!(a instanceof tf.Tensor)) throw argumentError(who, names[0], 'a tensor', a);
  if (!(b instanceof tf.Tensor)) throw argumentError(who, names[1], 'a tensor', b);
  if (a.shape.join(',') !== b.shape.join(',')) throw new Error(`${who}: ${names[0]} [${a.shape}] and ${names[1]} [${b.shape}] must have the same shape`);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar);
}

/** mean |reconstructed - original|: one direction of the cycle-consistency loss. */
export function cycleLoss(original: tf.Tensor, reconstructed: tf.Tensor): tf.Scalar {
  return l1('cycleLoss', original, reconstructed, ['original', 'reconstructed']);
}

/** mean |translated - input| for an input already in the generator's target domain. */
export function identityLoss(input: tf.Tensor, translated: tf.Tensor): tf.Scalar {
  return l1('identityLoss', input, translated, ['input', 'translated']);
}
