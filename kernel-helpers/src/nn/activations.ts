/**
 * Activations with CORRECT higher-order gradients. Penalties (R1, R2, gradient penalty)
 * differentiate the discriminator's input gradient again with respect to its weights. In
 * tfjs 4.22 the gradients of `tf.tanh`, `tf.sigmoid` and `tf.exp` reuse a saved copy of
 * the forward output that is disconnected from the tape, so second derivatives through them
 * are silently wrong (or throw), and `tf.leakyRelu`, `tf.maximum`, `tf.elu` throw.
 * Here: leaky ReLU is written as relu(h) - a relu(-h); tanh, sigmoid and exp get custom
 * gradients expressed through themselves applied to the saved INPUT, so every order of
 * derivative stays on the tape.
 * (Checked against closed forms and finite differences in test/unit/gan.)
 */
import * as tf from '@tensorflow/tfjs-core';

export type ActivationName = 'linear' | 'relu' | 'leakyRelu' | 'softplus' | 'tanh' | 'sigmoid' | 'exp';
/** A name, or leaky ReLU with an explicit negative slope. `'leakyRelu'` alone means slope 0.2. */
export type Activation = ActivationName | { name: 'leakyRelu'; slope: number };

export const DEFAULT_LEAKY_SLOPE = 0.2;

/** max(h, a h) for 0 <= a <= 1, as relu(h) - a relu(-h): its double backprop is exact. */
export function leakyRelu(x: tf.Tensor, slope: number = DEFAULT_LEAKY_SLOPE): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.relu(x), tf.mul(tf.scalar(slope), tf.relu(tf.neg(x)))));
}

/** tanh with gradient dy (1 - tanh(x)^2) computed by this same function (differentiable again). */
export function tanh(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi]);
    return {
      value: tf.tanh(xi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sub(tf.scalar(1), tf.square(tanh(saved[0])))),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor;
}

/** sigmoid with gradient dy s (1 - s), s recomputed by this same function. */
export function sigmoid(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi]);
    return {
      value: tf.sigmoid(xi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const s = sigmoid(saved[0]);
        return tf.mul(dy, tf.mul(s, tf.sub(tf.scalar(1), s)));
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor;
}

/** exp with gradient dy exp(x), recomputed by this same function. */
export function exp(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi]);
    return { value: tf.exp(xi), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, exp(saved[0])) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor;
}

export function activationName(a: Activation): string {
  return typeof a === 'string' ? a : `leakyRelu(${a.slope})`;
}

/** The function for an activation spec; unknown names throw. */
export function activationFn(a: Activation): (x: tf.Tensor) => tf.Tensor {
  if (typeof a === 'object' && a !== null && a.name === 'leakyRelu') {
    const slope = a.slope;
    if (!Number.isFinite(slope) || slope < 0 || slope > 1) {
      throw new Error(`activation: leakyRelu slope must be in [0, 1], got ${slope}`);
    }
    return (x) => leakyRelu(x, slope);
  }
  switch (a) {
    case 'linear':
      return (x) => x;
    case 'relu':
      return (x) => tf.relu(x);
    case 'leakyRelu':
      return (x) => leakyRelu(x, DEFAULT_LEAKY_SLOPE);
    case 'softplus':
      return (x) => tf.softplus(x);
    case 'tanh':
      return tanh;
    case 'sigmoid':
      return sigmoid;
    case 'exp':
      return exp;
    default:
      throw new Error(
        `activation: unknown activation ${JSON.stringify(a)}; use one of linear, relu, leakyRelu, softplus, tanh, sigmoid, exp or {name: 'leakyRelu', slope}`,
      );
  }
}
