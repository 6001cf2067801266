/**
 * Shared plumbing for the wasm training kernels: calling the stock wasm kernels from a
 * replacement, and releasing intermediates. A replacement kernel works on `TensorInfo`s (no
 * engine tensors), so every intermediate it creates must be released with
 * `backend.disposeData`, or the wasm heap grows.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectPoolFor } from '../wasm-pools';

export type TensorInfo = tf.TensorInfo;
export type Attrs = Record<string, unknown>;
type KernelFn = (args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: Attrs }) => TensorInfo;

/** Stock wasm kernel functions, captured before any replacement is registered. */
const stock = new Map<string, KernelFn>();

export function captureStockKernel(name: string): void {
  if (stock.has(name)) return;
  const k = tf.getKernel(name, 'wasm');
  if (k) stock.set(name, k.kernelFunc as unknown as KernelFn);
}

/** Runs the stock (not replaced) wasm kernel `name`. */
export function callStock(
  backend: BackendWasm,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: Attrs = {},
): TensorInfo {
  let fn = stock.get(name);
  if (!fn) {
    captureStockKernel(name);
    fn = stock.get(name);
  }
  if (!fn) throw new Error(`wasm backend has no '${name}' kernel to build on`);
  selectPoolFor(name, inputs, attrs);
  return fn({ inputs, backend, attrs });
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return callStock(backend, tf.Transpose, { x }, { perm });
}

/** Reshape shares the data (refcount +1); the result must be disposed like any other. */
export function reshape(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
  return callStock(backend, tf.Reshape, { x }, { shape });
}

export function dispose(backend: BackendWasm, ...ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}

/** A Float32Array view of a tensor on the wasm heap. Take views only after the last
 * allocation of the kernel: a heap growth detaches earlier views. */
export function f32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

export function asWasm(backend: unknown): BackendWasm {
  return backend as BackendWasm;
}

/** Throws a clear error when a kernel receives something it cannot handle. */
export function require_(cond: boolean, kernel: string, msg: () => string): void {
  if (!cond) throw new Error(`${kernel} (wasm training kernel): ${msg()}`);
}
