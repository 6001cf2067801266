/**
 * BatchMatMul and _FusedMatMul for wasm. The stock kernels reach XNNPACK only for
 * untransposed operands with one batch; every transposed form (which backprop always
 * uses) falls to a scalar loop about 15x slower. Transposing explicitly first (a cheap,
 * memory-bound copy) and then calling the stock untransposed kernel keeps every matmul on
 * the fast path. Batched products are split into per-batch 2D products for the same reason.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { asWasm, Attrs, callStock, derivedFrom, dispose, reshape, require_, TensorInfo, transpose } from './wasmContext';
import { nativeMatMul, ProductDims } from './nativeProducts';

/** Moves the last two axes of a rank-3 tensor. */
function swapInner(backend: BackendWasm, x: TensorInfo): TensorInfo {
  return transpose(backend, x, [0, 2, 1]);
}

interface Prepared {
  a: TensorInfo; // [batchA, M, K]
  b: TensorInfo; // [batchB, K, N]
  outShape: number[];
  temps: TensorInfo[];
}

/** Operand sizes of op(a) op(b), checked. */
function dims(kernel: string, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): ProductDims {
  require_(a.dtype === 'float32' && b.dtype === 'float32', kernel, () => `needs float32 operands, got ${a.dtype} and ${b.dtype}`);
  require_(a.shape.length >= 2 && b.shape.length >= 2, kernel, () => `operands must have rank >= 2, got shapes [${a.shape}] and [${b.shape}]`);
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const Ka = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const Kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  require_(Ka === Kb, kernel, () =>
    `inner dimensions differ: a [${a.shape}] (transposeA=${transposeA}) gives ${Ka}, b [${b.shape}] (transposeB=${transposeB}) gives ${Kb}`);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  require_(batchA === batchB || batchA === 1 || batchB === 1, kernel, () =>
    `batch dimensions [${a.shape.slice(0, -2)}] and [${b.shape.slice(0, -2)}] broadcast only when equal or one of them is 1`);
  return { M, K: Ka, N, batchA, batchB, outShape: [...outer, M, N] };
}

/** The operands on the untransposed XNNPACK path (`d` from `dims`). */
function prepare(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, d: ProductDims): Prepared {
  const { M, K, N, batchA, batchB, outShape } = d;
  const temps: TensorInfo[] = [];
  let a3 = reshape(backend, a, transposeA ? [batchA, K, M] : [batchA, M, K]);
  temps.push(a3);
  if (transposeA) { a3 = swapInner(backend, a3); temps.push(a3); }
  let b3: TensorInfo;
  if (transposeB) {
    // A transposed right operand is usually a weight (the input gradient dY W^T), reused
    // within a step: its transpose is cached.
    b3 = derivedFrom(backend, b, `transposed as [${batchB}, ${K}, ${N}]`, () => {
      const r = reshape(backend, b, [batchB, N, K]);
      const t = swapInner(backend, r);
      dispose(backend, r);
      return t;
    });
  } else {
    b3 = reshape(backend, b, [batchB, K, N]);
    temps.push(b3);
  }
  return { a: a3, b: b3, outShape, temps };
}

function sliceBatch(backend: BackendWasm, x: TensorInfo, i: number): TensorInfo {
  const [, r, c] = x.shape;
  const s = callStock(backend, tf.Slice, { x }, { begin: [i, 0, 0], size: [1, r, c] });
  return s;
}

/** Untransposed batched product on the XNNPACK path, one 2D product per batch. */
function batchedProduct(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  fused: ((a2: TensorInfo, b2: TensorInfo) => TensorInfo) | null,
): TensorInfo {
  const batchA = a.shape[0];
  const batchB = b.shape[0];
  const M = a.shape[1];
  const K = a.shape[2];
  const N = b.shape[2];
  const run = (x: TensorInfo, y: TensorInfo) =>
    fused ? fused(x, y) : callStock(backend, tf.BatchMatMul, { a: x, b: y }, { transposeA: false, transposeB: false });
  if (batchA === 1 && batchB === 1) return run(a, b);
  if (batchB === 1) {
    // One shared right operand: stack the left batches into one tall matrix.
    const tall = reshape(backend, a, [1, batchA * M, K]);
    const out = run(tall, b);
    dispose(backend, tall);
    const shaped = reshape(backend, out, [batchA, M, N]);
    dispose(backend, out);
    return shaped;
  }
  const batch = Math.max(batchA, batchB);
  const parts: TensorInfo[] = [];
  for (let i = 0; i < batch; i++) {
    const ai = sliceBatch(backend, a, batchA === 1 ? 0 : i);
    const bi = sliceBatch(backend, b, i);
    parts.push(run(ai, bi));
    dispose(backend, ai, bi);
  }
  // The stock Concat kernel takes its inputs as an array.
  const out = callStock(backend, tf.Concat, parts as unknown as Record<string, TensorInfo>, { axis: 0 });
  dispose(backend, ...parts);
  return out;
}

function batchMatMul({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA = false, transposeB = false } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const d = dims(tf.BatchMatMul, a, b, transposeA, transposeB);
  const native = nativeMatMul(be, a, b, transposeA, transposeB, d);
  if (native) return native;
  const p = prepare(be, a, b, transposeA, transposeB, d);
  const out = batchedProduct(be, p.a, p.b, null);
  dispose(be, ...p.temps);
  const res = reshape(be, out, p.outShape);
  dispose(be, out);
  return res;
}

function fusedMatMul({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { a, b, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
  const at = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean; activation?: string; leakyreluAlpha?: number };
  const p = prepare(be, a!, b!, !!at.transposeA, !!at.transposeB, dims(tf._FusedMatMul, a!, b!, !!at.transposeA, !!at.transposeB));
  const rest: Record<string, TensorInfo> = {};
  if (bias) rest.bias = bias;
  if (preluActivationWeights) rest.preluActivationWeights = preluActivationWeights;
  const fusedAttrs = { transposeA: false, transposeB: false, activation: at.activation, leakyreluAlpha: at.leakyreluAlpha };
  // Bias and activation keep their stock semantics: only the operands were pre-transposed.
  // (Batched fused products, which the course does not use, stay on the stock batched loop.)
  const out = callStock(be, tf._FusedMatMul, { a: p.a, b: p.b, ...rest }, fusedAttrs);
  dispose(be, ...p.temps);
  const res = reshape(be, out, p.outShape);
  dispose(be, out);
  return res;
}

export const batchMatMulKernel: tf.KernelConfig = { kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc: batchMatMul as tf.KernelFunc };
export const fusedMatMulKernel: tf.KernelConfig = { kernelName: tf._FusedMatMul, backendName: 'wasm', kernelFunc: fusedMatMul as tf.KernelFunc };
