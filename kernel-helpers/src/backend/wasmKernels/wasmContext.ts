/**
 * Shared plumbing for the wasm training kernels: calling the stock wasm kernels from a
 * replacement, and releasing intermediates. A replacement kernel works on `TensorInfo`s (no
 * engine tensors), so every intermediate it creates must be released with
 * `backend.disposeData`, or the wasm heap grows.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectPoolFor } from '../wasmPools';

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

/**
 * Tensors derived from another one (a transposed or flipped filter, the sub-filters of a
 * strided transposed conv), kept while their source lives. A weight is used several times per
 * training step (real and fake batches, the generator's pass through the discriminator), and
 * XNNPACK caches its packed form of an operand by tensor id, so reusing the same derived
 * tensor also skips the repacking. Entries whose source has been freed are released at the
 * next lookup; the cache holds at most `DERIVED_LIMIT` sources.
 * Under tfjs's IS_TEST flag, which checks after every kernel that the backend holds no new
 * data ids (and cannot tell a cache from a leak), nothing is cached: derived tensors are
 * freed when the kernel returns (`releaseUncached`, called by the kernel wrapper).
 */
const derived = new Map<object, Map<string, TensorInfo>>();
const DERIVED_LIMIT = 64;

function releaseDerived(backend: BackendWasm, id: object): void {
  const entries = derived.get(id);
  if (entries) for (const t of entries.values()) backend.disposeData(t.dataId);
  derived.delete(id);
}

/** The tensor `make()` derives from `source` under `key`; owned by the cache (do not dispose). */
export function derivedFrom(backend: BackendWasm, source: TensorInfo, key: string, make: () => TensorInfo): TensorInfo {
  if (tf.env().getBool('IS_TEST')) {
    const t = make();
    uncached.push(t);
    return t;
  }
  const id = source.dataId as object;
  for (const other of [...derived.keys()]) if (other !== id && !backend.dataIdMap.has(other)) releaseDerived(backend, other);
  let entries = derived.get(id);
  const hit = entries?.get(key);
  if (hit) return hit;
  if (!entries) {
    if (derived.size >= DERIVED_LIMIT) releaseDerived(backend, derived.keys().next().value as object);
    entries = new Map();
    derived.set(id, entries);
  }
  const t = make();
  entries.set(key, t);
  return t;
}

const uncached: TensorInfo[] = [];

/** Frees the derived tensors made without caching during the kernel that just ran. */
export function releaseUncached(backend: BackendWasm): void {
  while (uncached.length > 0) backend.disposeData(uncached.pop()!.dataId);
}

const floatScratch = new Map<string, Float32Array>();
const wordScratch = new Map<string, Int32Array>();

function reuse<T extends Float32Array | Int32Array>(store: Map<string, T>, make: (n: number) => T, slot: string, n: number): T {
  let buf = store.get(slot);
  if (!buf || buf.length < n) {
    buf = make(Math.max(n, 2 * (buf?.length ?? 0)));
    store.set(slot, buf);
  }
  return buf.subarray(0, n) as T;
}

/**
 * A reusable plain array of `n` floats (contents left over from earlier use) for a kernel's
 * JavaScript loops. Allocating (and zero-filling) a fresh megabyte-sized typed array costs
 * more than the loop over it; loops over plain arrays run several times faster than over
 * wasm-heap views. One slot must not be used twice at once.
 */
export function scratchF32(slot: string, n: number): Float32Array {
  return reuse(floatScratch, (m) => new Float32Array(m), slot, n);
}

/** The same for 32-bit words (bit-exact copies of float32 or int32 data). */
export function scratchI32(slot: string, n: number): Int32Array {
  return reuse(wordScratch, (m) => new Int32Array(m), slot, n);
}

/** A copy of a tensor's values in a scratch slot. */
export function scratchCopy(backend: BackendWasm, t: TensorInfo, slot: string): Float32Array {
  const view = f32(backend, t);
  const out = scratchF32(slot, view.length);
  out.set(view);
  return out;
}

/** The wasm heap as floats, taken afresh (an allocation may have grown it). */
export function heapF32(backend: BackendWasm): Float32Array {
  return (backend.wasm as unknown as { HEAPF32: Float32Array }).HEAPF32;
}

/** The wasm heap as 32-bit words (for bit-exact copies), taken afresh. */
export function heapI32(backend: BackendWasm): Int32Array {
  return (backend.wasm as unknown as { HEAP32: Int32Array }).HEAP32;
}

/** Offset of a tensor's data in the heap, in floats (= 32-bit words). */
export function floatOffset(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset / 4;
}
