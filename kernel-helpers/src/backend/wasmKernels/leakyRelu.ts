/**
 * Leaky ReLU in one pass, forward and backward.
 *
 * tfjs-core's gradient of LeakyRelu is `where(x > 0, dy, alpha * dy)`: three kernels and a
 * bool tensor per layer (about 10% of a DCGAN step on wasm), and no second derivative (it
 * throws). Here the backward pass is one kernel, `LeakyReluBackprop(dy, x) = dy * s(x)`
 * with s = 1 for x > 0 and alpha otherwise, registered for the wasm and cpu backends, and it
 * has its own gradient: linear in dy with the same factor, and zero in x (almost
 * everywhere), so double backprop through leaky ReLU (R1, R2, WGAN-GP) is right. On other
 * backends (webgpu, tfjs-node) the backprop is dy * step(x, alpha), the same factor from
 * stock kernels, and just as differentiable.
 */
import * as tf from '@tensorflow/tfjs-core';
import { asWasm, Attrs, callStock, dispose, require_, TensorInfo } from './wasmContext';
import { registerCourseGradient } from '../courseGradients';

export const LEAKY_RELU_BACKPROP = 'LeakyReluBackprop';

type Arrays = { read(t: TensorInfo): Float32Array; out(shape: number[]): [TensorInfo, Float32Array] };

interface CpuLike {
  data: { get(id: unknown): { values: tf.TypedArray } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.TypedArray): TensorInfo;
}

function cpuArrays(backend: unknown): Arrays {
  const be = backend as CpuLike;
  let pending: Float32Array | null = null;
  return {
    read: (t) => be.data.get(t.dataId).values as Float32Array,
    out: (shape) => {
      pending = new Float32Array(tf.util.sizeFromShape(shape));
      return [be.makeTensorInfo(shape, 'float32', pending), pending];
    },
  };
}

function backward(arrays: (b: unknown) => Arrays) {
  return ({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo => {
    const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
    const alpha = (attrs as { alpha: number }).alpha;
    require_(dy.dtype === 'float32' && x.dtype === 'float32', LEAKY_RELU_BACKPROP, () => `needs float32 tensors, got ${dy.dtype} and ${x.dtype}`);
    require_(tf.util.arraysEqual(dy.shape, x.shape), LEAKY_RELU_BACKPROP, () => `dy [${dy.shape}] and x [${x.shape}] must have the same shape`);
    const a = arrays(backend);
    const [out, o] = a.out(x.shape);
    const g = a.read(dy);
    const v = a.read(x);
    for (let i = 0; i < v.length; i++) o[i] = v[i] > 0 ? g[i] : alpha * g[i];
    return out;
  };
}

/**
 * On wasm both directions are two vectorised stock kernels: with s(x) = step(x, alpha)
 * (1 for x > 0, alpha otherwise), leaky(x) = x * s(x) and the backprop is dy * s(x).
 * (A JavaScript loop over wasm-heap views is about 4x slower than over plain arrays, and
 * the stock LeakyRelu kernel is a scalar loop.)
 */
function wasmScaled(be: unknown, v: TensorInfo, x: TensorInfo, alpha: number): TensorInfo {
  const w = asWasm(be);
  const s = callStock(w, tf.Step, { x }, { alpha });
  const out = callStock(w, tf.Multiply, { a: v, b: s });
  dispose(w, s);
  return out;
}

function wasmForward({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  require_(x.dtype === 'float32', tf.LeakyRelu, () => `needs a float32 tensor, got ${x.dtype}`);
  return wasmScaled(backend, x, x, (attrs as { alpha: number }).alpha);
}

function wasmBackward({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  require_(tf.util.arraysEqual(dy.shape, x.shape), LEAKY_RELU_BACKPROP, () => `dy [${dy.shape}] and x [${x.shape}] must have the same shape`);
  return wasmScaled(backend, dy, x, (attrs as { alpha: number }).alpha);
}

export const leakyReluKernel: tf.KernelConfig = { kernelName: tf.LeakyRelu, backendName: 'wasm', kernelFunc: wasmForward as tf.KernelFunc };

const backpropKernels: tf.KernelConfig[] = [
  { kernelName: LEAKY_RELU_BACKPROP, backendName: 'wasm', kernelFunc: wasmBackward as tf.KernelFunc },
  { kernelName: LEAKY_RELU_BACKPROP, backendName: 'cpu', kernelFunc: backward(cpuArrays) as tf.KernelFunc },
];

function backprop(dy: tf.Tensor, x: tf.Tensor, alpha: number): tf.Tensor {
  if (tf.getKernel(LEAKY_RELU_BACKPROP, tf.getBackend())) {
    return tf.engine().runKernel(LEAKY_RELU_BACKPROP, { dy, x }, { alpha }) as tf.Tensor;
  }
  // Elsewhere (webgpu, tfjs-node): dy * step(x, alpha), twice differentiable (step's gradient is zero).
  return tf.mul(dy, tf.step(x, alpha));
}

let installed = false;

/**
 * Registers the one-pass backprop kernels and the gradients of LeakyRelu and of its backprop.
 * Idempotent. The gradients are course gradients: `ensureCourseGradients()` restores them.
 */
export function installLeakyReluGradient(): void {
  if (installed) return;
  installed = true;
  for (const k of backpropKernels) {
    if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
  }
  registerCourseGradient({
    kernelName: tf.LeakyRelu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const alpha = (attrs as unknown as { alpha: number }).alpha;
      return { x: () => backprop(dy as tf.Tensor, x, alpha) };
    },
  });
  registerCourseGradient({
    kernelName: LEAKY_RELU_BACKPROP,
    inputsToSave: ['x'],
    gradFunc: (ddx, saved, attrs) => {
      const [x] = saved;
      const alpha = (attrs as unknown as { alpha: number }).alpha;
      return { dy: () => backprop(ddx as tf.Tensor, x, alpha), x: () => tf.zerosLike(x) };
    },
  });
}
