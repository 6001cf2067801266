/**
 * Per-kernel thread count for the threaded wasm build.
 *
 * XNNPACK hands every operation to its whole thread pool and waits for the slowest thread.
 * For a large convolution or product two threads halve the time; for the many small ops of
 * a training step (bias adds, 256x2 products, optimiser updates) waking the second thread
 * costs more than the op itself: measured here, a 256x256 by 256x1 product took 81 us on one
 * thread and 212 us on two, and the 2D MLP GAN step was slower with two threads than with one.
 *
 * tfjs passes one global `pthreadpool_t` to every kernel, with no API to change it per call.
 * So a second, single-thread pool is created (`init_with_threads_count(1)` replaces the
 * global), the word holding the global is located by what changed, and it is verified by
 * writing each pool back and reading `get_threads_count()`. Each kernel call then stores the
 * pool it should run on: the multi-thread pool for products and convolutions of at least
 * `MULTI_THREAD_FLOPS`, and for other ops on tensors of at least `MULTI_THREAD_ELEMENTS`
 * (unless the native products are on: their OpenBLAS threads then hold the other cores);
 * the single-thread pool otherwise. If the global cannot be located unambiguously, nothing is
 * switched and every kernel keeps the multi-thread pool (the stock behaviour).
 */
import * as tf from '@tensorflow/tfjs-core';
import { nativeBlas } from './nativeBlas';

/** Products and convolutions below this many floating-point operations run on one thread. */
export const MULTI_THREAD_FLOPS = 1e6;
/** Other kernels run on one thread when their largest input has fewer elements. */
export const MULTI_THREAD_ELEMENTS = 1 << 17;

interface PoolModule {
  HEAP32: Int32Array;
  tfjs: { initWithThreadsCount(n: number): void; getThreadsCount(): number };
}

interface Pools {
  mod: PoolModule;
  /** Index into HEAP32 of the global pool pointer. */
  index: number;
  single: number;
  multi: number;
  current: number;
}

let pools: Pools | null = null;
let setupNote = '';

/** Bytes of the wasm heap searched for the pool global (static data sits at the bottom). */
const SEARCH_BYTES = 4 << 20;

/**
 * Creates the single-thread pool next to the module's `threads`-thread pool and locates the
 * global that selects between them. Returns '' on success, else why switching is off.
 */
export function setupWasmPools(mod: PoolModule, threads: number): string {
  pools = null;
  setupNote = '';
  const fail = (why: string) => (setupNote = `per-kernel thread count off: ${why}`);
  if (threads <= 1) return '';
  try {
    if (mod.tfjs.getThreadsCount() !== threads) return fail(`pool reports ${mod.tfjs.getThreadsCount()} threads, expected ${threads}`);
    const words = Math.min(SEARCH_BYTES, mod.HEAP32.byteLength) >> 2;
    const before = mod.HEAP32.slice(0, words);
    mod.tfjs.initWithThreadsCount(1);
    const heap = mod.HEAP32; // the module may have grown its memory: take the view afresh
    if (mod.tfjs.getThreadsCount() !== 1) return fail('a single-thread pool could not be created');
    const found: number[] = [];
    for (let i = 0; i < words; i++) {
      const old = before[i];
      const now = heap[i];
      if (old === now || old === 0 || now === 0) continue;
      heap[i] = old;
      const n = mod.tfjs.getThreadsCount();
      heap[i] = now;
      if (n === threads) found.push(i);
    }
    if (found.length !== 1) {
      // Leave the multi-thread pool in place whatever was found.
      if (found.length > 1) heap[found[0]] = before[found[0]];
      else mod.tfjs.initWithThreadsCount(threads);
      return fail(found.length === 0 ? 'pool global not found' : `${found.length} candidates for the pool global`);
    }
    const index = found[0];
    const single = heap[index];
    const multi = before[index];
    heap[index] = multi;
    if (mod.tfjs.getThreadsCount() !== threads) return fail('verification failed');
    pools = { mod, index, single, multi, current: multi };
    return '';
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** Whether kernels are switched between a single- and a multi-thread pool, and why not. */
export function wasmPoolsStatus(): { active: boolean; note: string } {
  return { active: pools != null, note: setupNote };
}

type Shaped = { shape: number[] };

function pair(v: unknown): [number, number] {
  if (Array.isArray(v)) return [Number(v[0]) || 1, Number(v[1] ?? v[0]) || 1];
  const n = Number(v) || 1;
  return [n, n];
}

/** Whether a kernel call is large enough to be worth the whole pool. */
export function wantsMultiThread(name: string, inputs: Record<string, unknown>, attrs: Record<string, unknown> | undefined): boolean {
  switch (name) {
    case tf.BatchMatMul:
    case tf._FusedMatMul: {
      const a = (inputs.a as Shaped).shape;
      const b = (inputs.b as Shaped).shape;
      // 2 * batch * M * K * N = 2 * tf.util.sizeFromShape(a) * (the dimension of b that is not K).
      const tB = !!attrs?.transposeB;
      const n = tB ? b[b.length - 2] : b[b.length - 1];
      return 2 * tf.util.sizeFromShape(a) * n >= MULTI_THREAD_FLOPS;
    }
    case tf.Conv2D:
    case tf.FusedConv2D:
    case tf.DepthwiseConv2dNative:
    case tf.FusedDepthwiseConv2D: {
      const x = (inputs.x as Shaped).shape;
      const f = (inputs.filter as Shaped).shape;
      const [sh, sw] = pair(attrs?.strides);
      // Output positions x filter size: [fh, fw, in, out] for a conv, [fh, fw, in, multiplier]
      // for a depthwise conv; either way the multiply-adds per output position.
      const positions = (x[0] * x[1] * x[2]) / (sh * sw);
      return 2 * positions * tf.util.sizeFromShape(f) >= MULTI_THREAD_FLOPS;
    }
    default: {
      // With the native products, OpenBLAS's own threads hold the second core right after
      // each product: an XNNPACK op waiting for its second thread would wait for them.
      if (nativeBlas()) return false;
      let largest = 0;
      for (const k in inputs) {
        const t = inputs[k] as Shaped | Shaped[] | undefined;
        if (Array.isArray(t)) for (const u of t) largest = Math.max(largest, tf.util.sizeFromShape(u.shape));
        else if (t && t.shape) largest = Math.max(largest, tf.util.sizeFromShape(t.shape));
      }
      return largest >= MULTI_THREAD_ELEMENTS;
    }
  }
}

/** Points the module's pool global at the pool this kernel call should use. */
export function selectPoolFor(name: string, inputs: Record<string, unknown>, attrs: Record<string, unknown> | undefined): void {
  const p = pools;
  if (!p) return;
  const want = wantsMultiThread(name, inputs, attrs) ? p.multi : p.single;
  if (want !== p.current) {
    p.mod.HEAP32[p.index] = want;
    p.current = want;
  }
}

/** Wraps a wasm kernel function so that each call first selects its pool. */
export function poolAware<F extends (args: { inputs: Record<string, unknown>; attrs?: Record<string, unknown> }) => unknown>(name: string, fn: F): F {
  return ((args: { inputs: Record<string, unknown>; attrs?: Record<string, unknown> }) => {
    selectPoolFor(name, args.inputs, args.attrs);
    return fn(args);
  }) as F;
}
