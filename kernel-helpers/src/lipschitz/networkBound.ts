/**
 * Lipschitz constants of a network. For f = W_L o a o ... o a o W_1 with 1-Lipschitz
 * activations a (ReLU, leaky ReLU, tanh), Lip(f) <= prod_l ||W_l||_2: an upper bound that
 * is usually loose, compared here with the largest input-gradient norm actually observed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { powerIterationFlat, randomUnitVector } from './matrix';
import { kernelMatrixShape } from './spectralNorm';
import { rng } from '../core/random';

/** Spectral norm of a kernel tensor seen as a matrix, by power iteration run to convergence. */
export function kernelSpectralNorm(w: tf.Tensor, opts: { iterations?: number; seed?: number } = {}): number {
  if (w.rank < 2) throw new Error(`kernelSpectralNorm: w must have rank >= 2 (a kernel), got shape [${w.shape.join(', ')}]`);
  const [rows, cols] = kernelMatrixShape(w.shape);
  const u = randomUnitVector(rows, rng(opts.seed ?? 1));
  return powerIterationFlat(w.dataSync(), rows, cols, u, opts.iterations ?? 200).sigma;
}

export interface LipschitzBound {
  /** prod_l ||W_l|| * activationLipschitz^(L-1). */
  bound: number;
  /** Each layer's effective spectral norm (after its normalisation, if any). */
  layerNorms: number[];
}

/**
 * Upper bound on the Lipschitz constant of an MLP/conv net from its kernels (every variable
 * of rank >= 2, in order). With spectral normalisation pass `divisor` = the normaliser's
 * `sigmaOf`, so each kernel counts as W / sigma_estimate, which is what the forward pass uses.
 */
export function networkLipschitzBound(
  net: { variables: readonly tf.Tensor[] },
  opts: { activationLipschitz?: number; divisor?: (w: tf.Tensor) => number | undefined } = {},
): LipschitzBound {
  const a = opts.activationLipschitz ?? 1;
  if (!(a >= 0)) throw new Error(`networkLipschitzBound: activationLipschitz must be >= 0, got ${a}`);
  const kernels = net.variables.filter((v) => v.rank >= 2);
  if (kernels.length === 0) throw new Error('networkLipschitzBound: net has no kernels (variables of rank >= 2)');
  const layerNorms = kernels.map((w) => kernelSpectralNorm(w) / (opts.divisor?.(w) ?? 1));
  const bound = layerNorms.reduce((p, q) => p * q, 1) * Math.pow(a, kernels.length - 1);
  return { bound, layerNorms };
}

/**
 * ||grad_x f(x)|| at each point: the local slope of a critic. Its maximum over the data is
 * a lower bound on Lip(f); WGAN-GP pushes these norms toward 1 on interpolates.
 */
export function inputGradientNorms(f: (x: tf.Tensor2D) => tf.Tensor, points: readonly (readonly number[])[]): number[] {
  if (points.length === 0) throw new Error('inputGradientNorms: points must not be empty');
  const dim = points[0].length;
  const norms = tf.tidy(() => {
    const x = tf.tensor2d(points.map((p) => [...p]), [points.length, dim]);
    const g = tf.grad((xi: tf.Tensor) => tf.sum(f(xi as tf.Tensor2D)))(x);
    return tf.sqrt(tf.sum(tf.square(g), 1));
  });
  const out = Array.from(norms.dataSync());
  norms.dispose();
  return out;
}
