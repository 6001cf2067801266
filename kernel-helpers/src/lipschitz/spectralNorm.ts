/**
 * Spectral normalisation (Miyato et al. 2018): each kernel W is used as W / sigma(W), so
 * every linear map has spectral norm ~1 and, with 1-Lipschitz activations, the whole
 * network is ~1-Lipschitz. sigma(W) is estimated by power iteration whose vector u is kept
 * per layer between forward passes, so one step per pass is enough once it has warmed up.
 *
 * Gradient: sigma is computed as u^T W v with u and v held constant (they are built from a
 * copy of W's values), so d sigma / dW = u v^T, which is exactly the derivative of the true
 * top singular value when u, v are the converged singular vectors.
 *
 * A conv kernel [kh, kw, in, out] is normalised as the matrix [kh*kw*in, out] (the usual
 * practice; it bounds the reshaped matrix, not the convolution operator exactly).
 */
import * as tf from '@tensorflow/tfjs-core';
import { rng, Rng } from '../core/random';
import { powerIterationFlat, randomUnitVector } from './matrix';
import { checkInteger } from '../core/args';

/** Same shape as the gan area's `LayerInfo`. */
export interface KernelLayer {
  name: string;
  index: number;
}

interface LayerState {
  u: Float64Array;
  /** The last estimate of sigma(W) this layer was divided by. */
  sigma: number;
}

export interface SpectralNormalization {
  /** The weight transform to pass as `weightTransform` to a dense/conv layer or an MLP. */
  (w: tf.Tensor, layer: KernelLayer): tf.Tensor;
  readonly iterations: number;
  /** Last sigma estimate per layer name. */
  sigmas(): Map<string, number>;
  /** Last sigma estimate for the kernel variable `w` (by tensor id), if it was seen. */
  sigmaOf(w: tf.Tensor): number | undefined;
}

/** Rows and columns of a kernel seen as a matrix: all leading axes against the last one. */
export function kernelMatrixShape(shape: readonly number[]): [number, number] {
  const cols = shape[shape.length - 1];
  return [shape.reduce((p, q) => p * q, 1) / cols, cols];
}

export function spectralNormalization(opts: { iterations?: number; seed?: number } = {}): SpectralNormalization {
  const iterations = opts.iterations ?? 1;
  checkInteger('spectralNormalization', 'opts.iterations', iterations, 1);
  const r: Rng = rng(opts.seed ?? 0);
  const states = new Map<string, LayerState>();
  const byTensor = new Map<number, number>();
  const transform = ((w: tf.Tensor, layer: KernelLayer): tf.Tensor => {
    if (w.rank < 2) return w; // biases are not normalised
    const [rows, cols] = kernelMatrixShape(w.shape);
    const key = layer?.name ?? `tensor${w.id}`;
    let st = states.get(key);
    if (!st || st.u.length !== rows) {
      st = { u: randomUnitVector(rows, r.fork()), sigma: NaN };
      states.set(key, st);
    }
    const { sigma, v } = powerIterationFlat(w.dataSync(), rows, cols, st.u, iterations);
    st.sigma = sigma;
    byTensor.set(w.id, sigma);
    return tf.tidy(() => {
      const w2 = tf.reshape(w, [rows, cols]);
      const uT = tf.tensor2d(Float32Array.from(st!.u), [1, rows]);
      const vT = tf.tensor2d(Float32Array.from(v), [1, cols]);
      const sigmaT = tf.sum(tf.mul(tf.matMul(uT, w2), vT));
      return tf.div(w, sigmaT);
    });
  }) as SpectralNormalization;
  Object.defineProperty(transform, 'iterations', { value: iterations });
  transform.sigmas = () => new Map([...states].map(([k, s]) => [k, s.sigma]));
  transform.sigmaOf = (w: tf.Tensor) => byTensor.get(w.id);
  return transform;
}
