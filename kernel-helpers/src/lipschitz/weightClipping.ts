/**
 * Weight clipping, the original WGAN's way to keep the critic Lipschitz (Arjovsky et al.
 * 2017): after every critic update, w <- clip(w, -c, c) for every parameter. It bounds the
 * Lipschitz constant only crudely, and pushes most weights to +-c ("saturated"), which
 * leaves the critic close to a sum of few simple functions (Gulrajani et al. 2017, sec. 3).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInRange, checkPositive } from '../core/args';

/** Clips every variable in place to [-bound, bound]. */
export function clipWeights(variables: readonly tf.Variable[], bound: number): void {
  checkPositive('clipWeights', 'bound', bound);
  for (const v of variables) {
    const clipped = tf.tidy(() => tf.clipByValue(v, -bound, bound));
    v.assign(clipped);
    clipped.dispose();
  }
}

/**
 * A hook for the training loop's `afterDiscriminatorStep`: clips the discriminator's
 * variables after each of its updates.
 */
export function weightClipper(bound: number): (d: { variables: readonly tf.Variable[] }) => void {
  checkPositive('weightClipper', 'bound', bound);
  return (d) => clipWeights(d.variables, bound);
}

/**
 * Share of the weights (rank >= 2 kernels only, biases excluded) whose magnitude is
 * within `tolerance` of the bound: how many weights the clipping has pinned to +-c.
 * Counted with tensor ops and read once, asynchronously (webgpu cannot read synchronously).
 */
export async function saturatedShare(variables: readonly tf.Tensor[], bound: number, tolerance = 0.01): Promise<number> {
  checkPositive('saturatedShare', 'bound', bound);
  checkInRange('saturatedShare', 'tolerance', tolerance, 0, 1, { closed: true });
  const kernels = variables.filter((v) => v.rank >= 2);
  const total = kernels.reduce((p, v) => p + v.size, 0);
  if (total === 0) return 0;
  const pinned = tf.tidy(() =>
    tf.addN(kernels.map((v) => tf.sum(tf.cast(tf.greaterEqual(tf.abs(v), tf.scalar(bound * (1 - tolerance))), 'float32')))),
  );
  const count = (await pinned.data())[0];
  pinned.dispose();
  return count / total;
}
