/**
 * Two ops tfjs 4.22 lacks for code that runs on a gradient tape:
 * - `floatMask(a, op, b)`: a comparison as a 0/1 float tensor. tfjs's comparison ops
 *   (`greater`, `equal`, ..., and `logicalAnd` on their results) have no gradient, so once
 *   their output feeds the differentiated value (through a `cast` and a product, say),
 *   `tf.grad`/`tf.grads` throws. `tf.step` gives the same mask with a zero gradient, and
 *   that zero is itself differentiable, so masks built here are fine at any order (R1, R2,
 *   WGAN-GP).
 * - `stopGradient(x)`: the identity, with zero gradient (PyTorch's `detach`, TensorFlow's
 *   `stop_gradient`): the value is used, but no derivative flows back through it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkOneOf } from '../core/args';

export type CompareOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

const COMPARE_OPS: readonly CompareOp[] = ['>', '>=', '<', '<=', '==', '!='];

function asFloat(who: string, name: string, v: tf.Tensor | number): tf.Tensor {
  if (typeof v === 'number') return tf.scalar(v);
  if (!(v instanceof tf.Tensor)) throw argumentError(who, name, 'a tensor or a number', v);
  return v.dtype === 'float32' ? v : tf.cast(v, 'float32');
}

/**
 * 1 where `a op b` holds and 0 elsewhere, as float32, with `a` and `b` broadcast against
 * each other like the tfjs comparison ops. Its gradient with respect to `a` and `b` is zero
 * (the mask is piecewise constant), so `x * floatMask(x, '>', 0)` differentiates as the
 * selected branch. A comparison involving NaN gives NaN (not 0), and `a - b` must be
 * defined: two infinities of the same sign compare as NaN.
 *
 * @example floatMask(x, '>', 0)       // like tf.cast(tf.greater(x, 0), 'float32'), but differentiable
 * @example floatMask(logits, '<=', t) // thresholds may be tensors too
 */
export function floatMask(a: tf.Tensor | number, op: CompareOp, b: tf.Tensor | number): tf.Tensor {
  const who = 'floatMask';
  checkOneOf(who, 'op', op, COMPARE_OPS);
  return tf.tidy(() => {
    const d = tf.sub(asFloat(who, 'a', a), asFloat(who, 'b', b));
    const above = () => tf.step(d); // a > b
    const below = () => tf.step(tf.neg(d)); // a < b
    const one = tf.scalar(1);
    switch (op) {
      case '>': return above();
      case '<': return below();
      case '>=': return tf.sub(one, below());
      case '<=': return tf.sub(one, above());
      case '==': return tf.sub(one, tf.add(above(), below()));
      case '!=': return tf.add(above(), below());
    }
  });
}

/** `floatMask(a, '>', b)`. */
export function greaterMask(a: tf.Tensor | number, b: tf.Tensor | number): tf.Tensor {
  return floatMask(a, '>', b);
}

const stop = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/**
 * `x` itself as a value, a constant to differentiation: the gradient through it is zero at
 * every order. Use it where a quantity computed from the parameters must be treated as
 * fixed (a running estimate, a target, a normaliser's statistics).
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  if (!(x instanceof tf.Tensor)) throw argumentError('stopGradient', 'x', 'a tensor', x);
  return stop(x) as T;
}
