/**
 * Spectral normalisation (Miyato et al. 2018): each kernel W is used as W / sigma(W), so
 * every linear map has spectral norm ~1 and, with 1-Lipschitz activations, the whole
 * network is ~1-Lipschitz. sigma(W) is estimated by power iteration whose vector u is kept
 * per layer between forward passes, so one step per pass is enough once it has warmed up.
 *
 * Gradient: sigma is computed as u^T W v with u and v held constant (the power iteration
 * runs inside a `tf.customGrad` whose gradient is zero), so d sigma / dW = u v^T, which is
 * exactly the derivative of the true top singular value when u, v are the converged
 * singular vectors.
 *
 * Everything is tensor ops, with no read of W's values: the forward pass stays on the
 * backend's device (on webgpu a synchronous read cannot work in Node). The kept vector u
 * and the last sigma are tensors owned by the normaliser; `sigmas()` / `sigmaOf()` read
 * them asynchronously.
 *
 * A conv kernel [kh, kw, in, out] is normalised as the matrix [kh*kw*in, out] (the usual
 * practice; it bounds the reshaped matrix, not the convolution operator exactly).
 */
import * as tf from '@tensorflow/tfjs-core';
import { rng, Rng } from '../core/random';
import { randomUnitVector } from './matrix';
import { checkInteger } from '../core/args';

/** Same shape as the gan area's `LayerInfo`. */
export interface KernelLayer {
  name: string;
  index: number;
}

interface LayerState {
  /** The kept left singular vector estimate, [rows, 1] (a tensor the normaliser owns). */
  u: tf.Tensor2D;
  rows: number;
  /** The last estimate of sigma(W) this layer was divided by (a scalar the normaliser owns). */
  sigma: tf.Scalar | null;
}

export interface SpectralNormalization {
  /** The weight transform to pass as `weightTransform` to a dense/conv layer or an MLP. */
  (w: tf.Tensor, layer: KernelLayer): tf.Tensor;
  readonly iterations: number;
  /** Last sigma estimate per layer name (read asynchronously: the estimates are tensors). */
  sigmas(): Promise<Map<string, number>>;
  /** Last sigma estimate for the kernel variable `w` (by tensor id), if it was seen. */
  sigmaOf(w: tf.Tensor): Promise<number | undefined>;
  /** Frees the kept vectors and estimates (the normaliser starts afresh if used again). */
  dispose(): void;
}

/** Rows and columns of a kernel seen as a matrix: all leading axes against the last one. */
export function kernelMatrixShape(shape: readonly number[]): [number, number] {
  const cols = shape[shape.length - 1];
  return [shape.reduce((p, q) => p * q, 1) / cols, cols];
}

function normalized(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.maximum(tf.norm(x), tf.scalar(1e-12)));
}

/**
 * `iterations` power-iteration steps v <- W^T u / |.|, u <- W v / |.| from the kept `u`,
 * as [u; v] ([rows + cols, 1]) with a zero gradient: u and v are constants of the forward pass.
 */
function powerIterationStep(w2: tf.Tensor2D, u0: tf.Tensor2D, iterations: number): tf.Tensor2D {
  const step = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const w = args[0] as tf.Tensor;
    let u: tf.Tensor = u0;
    let v: tf.Tensor = u0;
    for (let it = 0; it < iterations; it++) {
      v = normalized(tf.matMul(w as tf.Tensor2D, u as tf.Tensor2D, true, false));
      u = normalized(tf.matMul(w as tf.Tensor2D, v as tf.Tensor2D));
    }
    return { value: tf.concat([u, v], 0), gradFunc: () => tf.zerosLike(w) };
  });
  return step(w2) as tf.Tensor2D;
}

export function spectralNormalization(opts: { iterations?: number; seed?: number } = {}): SpectralNormalization {
  const iterations = opts.iterations ?? 1;
  checkInteger('spectralNormalization', 'opts.iterations', iterations, 1);
  const r: Rng = rng(opts.seed ?? 0);
  const states = new Map<string, LayerState>();
  const byTensor = new Map<number, string>();
  const transform = ((w: tf.Tensor, layer: KernelLayer): tf.Tensor => {
    if (w.rank < 2) return w; // biases are not normalised
    const [rows, cols] = kernelMatrixShape(w.shape);
    const key = layer?.name ?? `tensor${w.id}`;
    let st = states.get(key);
    if (!st || st.rows !== rows) {
      if (st) tf.dispose([st.u, ...(st.sigma ? [st.sigma] : [])]);
      const u0 = Float32Array.from(randomUnitVector(rows, r.fork()));
      st = { u: tf.keep(tf.tensor2d(u0, [rows, 1])), rows, sigma: null };
      states.set(key, st);
    }
    const state = st;
    byTensor.set(w.id, key);
    const previous: tf.Tensor[] = [state.u, ...(state.sigma ? [state.sigma] : [])];
    const out = tf.tidy(() => {
      const w2 = tf.reshape(w, [rows, cols]) as tf.Tensor2D;
      const uv = powerIterationStep(w2, state.u, iterations);
      const u = tf.slice(uv, [0, 0], [rows, 1]) as tf.Tensor2D;
      const v = tf.slice(uv, [rows, 0], [cols, 1]) as tf.Tensor2D;
      const sigma = tf.reshape(tf.matMul(tf.matMul(u, w2, true, false), v), []) as tf.Scalar;
      state.u = tf.keep(u);
      state.sigma = tf.keep(sigma);
      return tf.div(w, sigma);
    });
    // The old u only fed the power iteration (no gradient flows through it); the tape keeps
    // its own copies of whatever the backward pass needs.
    tf.dispose(previous);
    return out;
  }) as SpectralNormalization;
  Object.defineProperty(transform, 'iterations', { value: iterations });
  transform.sigmas = async () => {
    const out = new Map<string, number>();
    for (const [k, s] of states) out.set(k, s.sigma ? (await s.sigma.data())[0] : NaN);
    return out;
  };
  transform.sigmaOf = async (w: tf.Tensor) => {
    const key = byTensor.get(w.id);
    const s = key === undefined ? undefined : states.get(key)?.sigma;
    return s ? (await s.data())[0] : undefined;
  };
  transform.dispose = () => {
    for (const s of states.values()) tf.dispose([s.u, ...(s.sigma ? [s.sigma] : [])]);
    states.clear();
    byTensor.clear();
  };
  return transform;
}
