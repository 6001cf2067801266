/**
 * Gradient penalties on the discriminator (critic). Each differentiates D's INPUT gradient,
 * so training D with them needs second derivatives (double backprop); see activations.ts for
 * why only some tfjs ops get those right. Tested against finite differences in
 * test/unit/gan/penalties.test.ts.
 *
 *   R1 (Mescheder et al. 2018):   (gamma / 2) E_x ||grad_x D(x)||^2          on real data
 *   R2:                           (gamma / 2) E_z ||grad_x D(x)||^2 at x = G(z) on fake data
 *   gradient penalty (WGAN-GP, Gulrajani et al. 2017):
 *                                 lambda E (||grad D(x_hat)||_2 - 1)^2,  x_hat = eps x + (1 - eps) G(z),
 *                                 eps ~ U[0, 1] per example
 */
import * as tf from '@tensorflow/tfjs-core';
import { Net } from '../nn/net';
import { ensureCourseGradients } from '../backend/courseGradients';
import { checkKnownOptions, checkNonNegative } from '../core/args';

/** A discriminator as a Net or a plain function from a batch to logits. */
export type Critic = Net | ((x: tf.Tensor) => tf.Tensor);

function criticFn(d: Critic): (x: tf.Tensor) => tf.Tensor {
  return typeof d === 'function' ? d : (x) => d.apply(x, { training: true });
}

/**
 * grad_x sum_i D(x)_i, i.e. each example's gradient of its own logit (examples do not
 * interact in the library's discriminators). Same shape as x. Recorded on any enclosing
 * gradient tape, so it can be differentiated again.
 */
export function inputGradient(d: Critic, x: tf.Tensor): tf.Tensor {
  ensureCourseGradients();
  const f = criticFn(d);
  return tf.grad((xi: tf.Tensor) => tf.sum(f(xi)))(x);
}

/**
 * D's logits on x AND grad_x sum D(x) from one forward pass (the logits tensor is captured
 * inside the input-gradient computation; both stay on the enclosing tape). The caller disposes `logits` (it is kept
 * out of any tidy scope) and `grad`.
 */
export function logitsAndInputGradient(d: Critic, x: tf.Tensor): { logits: tf.Tensor; grad: tf.Tensor } {
  ensureCourseGradients();
  const f = criticFn(d);
  let logits: tf.Tensor | null = null;
  const grad = tf.grad((xi: tf.Tensor) => {
    const l = f(xi);
    logits = tf.keep(l);
    return tf.sum(l);
  })(x);
  return { logits: logits as unknown as tf.Tensor, grad };
}

/** ||g_i||^2 per example: sum over every axis but the first. Shape [batch]. */
export function squaredNormPerExample(g: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.reshape(tf.square(g), [g.shape[0], -1]), 1) as tf.Tensor1D);
}

function zeroCentred(where: string, d: Critic, x: tf.Tensor, gamma: number): tf.Scalar {
  checkNonNegative(where, 'gamma', gamma);
  return tf.tidy(() => tf.mul(tf.scalar(gamma / 2), tf.mean(squaredNormPerExample(inputGradient(d, x)))) as tf.Scalar);
}

/** R1 = (gamma / 2) E ||grad_x D(x)||^2 on a REAL batch. */
export function r1Penalty(d: Critic, real: tf.Tensor, gamma: number): tf.Scalar {
  return zeroCentred('r1Penalty', d, real, gamma);
}

/** R2 = (gamma / 2) E ||grad_x D(x)||^2 on a FAKE batch (pass G(z), no gradient to G needed). */
export function r2Penalty(d: Critic, fake: tf.Tensor, gamma: number): tf.Scalar {
  return zeroCentred('r2Penalty', d, fake, gamma);
}

export interface GradientPenaltyOptions {
  /** Weight lambda (default 10, the WGAN-GP paper's value). */
  lambda?: number;
  /** Interpolation weights, shape [batch] with values in [0, 1]; default U[0, 1]. */
  epsilon?: tf.Tensor;
}

/** x_hat = eps x + (1 - eps) x_fake, with one eps per example broadcast over the other axes. */
export function interpolate(real: tf.Tensor, fake: tf.Tensor, epsilon: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const e = tf.reshape(epsilon, [real.shape[0], ...real.shape.slice(1).map(() => 1)]);
    return tf.add(tf.mul(e, real), tf.mul(tf.sub(tf.scalar(1), e), fake));
  });
}

/** WGAN-GP: lambda E (||grad D(x_hat)||_2 - 1)^2. */
export function gradientPenalty(d: Critic, real: tf.Tensor, fake: tf.Tensor, opts: GradientPenaltyOptions = {}): tf.Scalar {
  checkKnownOptions('gradientPenalty', opts, ['lambda', 'epsilon']);
  const lambda = opts.lambda ?? 10;
  checkNonNegative('gradientPenalty', 'lambda', lambda);
  if (real.shape.join(',') !== fake.shape.join(',')) {
    throw new Error(`gradientPenalty: fake must have the same shape as real [${real.shape}], got [${fake.shape}]`);
  }
  const n = real.shape[0];
  if (opts.epsilon && opts.epsilon.size !== n) {
    throw new Error(`gradientPenalty: opts.epsilon must hold one value per example (${n}), got ${opts.epsilon.size}`);
  }
  return tf.tidy(() => {
    const eps = opts.epsilon ?? tf.randomUniform([n], 0, 1);
    const xHat = interpolate(real, fake, eps);
    // The small constant keeps the norm's gradient finite where the input gradient vanishes.
    const norm = tf.sqrt(tf.add(squaredNormPerExample(inputGradient(d, xHat)), tf.scalar(1e-12)));
    return tf.mul(tf.scalar(lambda), tf.mean(tf.square(tf.sub(norm, tf.scalar(1))))) as tf.Scalar;
  });
}

/**
 * Turns tfjs's "gradient function not found for <Op>" (raised when a penalty is
 * differentiated through an op without second-order support, e.g. tf.leakyRelu ->
 * Greater, tf.maximum -> Less, tf.elu -> EluGrad) into an error that says what to do.
 * Other errors are returned unchanged.
 */
export function explainSecondOrderError(e: unknown): unknown {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /gradient function not found for (\w+)/.exec(msg);
  if (!m) return e;
  return new Error(
    `a gradient penalty needs the second derivative of the discriminator, and tfjs has none through op '${m[1]}' ` +
      `(used by tf.leakyRelu, tf.maximum, tf.elu and similar). Build the discriminator from the library's ` +
      `activations instead (leakyRelu(x) = relu(x) - a relu(-x), relu, softplus, and the custom tanh/sigmoid/exp). ` +
      `Original error: ${msg}`,
  );
}
