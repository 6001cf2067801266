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
 */
export function saturatedShare(variables: readonly tf.Tensor[], bound: number, tolerance = 0.01): number {
  checkPositive('saturatedShare', 'bound', bound);
  checkInRange('saturatedShare', 'tolerance', tolerance, 0, 1, { closed: true });
  let total = 0;
  let pinned = 0;
  for (const v of variables) {
    if (v.rank < 2) continue;
    const data = v.dataSync();
    for (let i = 0; i < data.length; i++) if (Math.abs(data[i]) >= bound * (1 - tolerance)) pinned++;
    total += data.length;
  }
  return total === 0 ? 0 : pinned / total;
}
