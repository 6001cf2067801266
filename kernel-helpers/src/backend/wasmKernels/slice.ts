/**
 * Slice, SplitV and Concat for wasm as block copies. The stock Slice first copies the whole
 * input out of the heap (`readSync`) and then copies the slice element by element or as one
 * block: slicing a 64x24x192 sequence tensor one time step at a time (a GRU), splitting an
 * optimiser's flat vector, or splitting and re-joining the channel groups of a grouped
 * convolution cost 0.2-6 ms per call.
 *
 * A slice (or one input of a concat) is a set of equal contiguous runs, one per index of the
 * axes before the last partial one. Long runs are moved inside the heap with one
 * `copyWithin` each; many short runs (channel groups: runs of a few floats) are copied in a
 * JavaScript loop over plain copies of the data, or, with the native module, evenly spaced runs
 * in one native call. The copies are bit-exact: values travel as 32-bit words, never through
 * floating point.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { nativeBlas } from '../nativeBlas';
import { asWasm, Attrs, callStock, floatOffset, heapF32, heapI32, scratchI32, TensorInfo } from './wasmContext';

/** Runs shorter than this go through the loop rather than one copyWithin each. */
const MIN_HEAP_RUN = 64;

/** 32-bit element types the copies handle (bool, 1 byte, and strings go to the stock kernels). */
function wordSized(dtype: tf.DataType): boolean {
  return dtype === 'float32' || dtype === 'int32';
}

/** A plain copy of a tensor's 32-bit words. */
function wordsOf(be: BackendWasm, t: TensorInfo, slot: string): Int32Array {
  const n = tf.util.sizeFromShape(t.shape);
  const start = floatOffset(be, t);
  const out = scratchI32(slot, n);
  out.set(heapI32(be).subarray(start, start + n));
  return out;
}

interface Runs {
  /** Axis of the last partial dimension; every axis after it is taken whole. */
  k: number;
  run: number;
  count: number;
  strides: number[];
}

function runsOf(shape: number[], begin: number[], size: number[]): Runs {
  let k = shape.length - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  const strides = [...tf.util.computeStrides(shape), 1];
  const run = size[k] * strides[k];
  return { k, run, count: tf.util.sizeFromShape(size) / run, strides };
}

/** Calls `visit(sourceElementOffset)` for each run of the slice, in output order. */
function forEachRun(r: Runs, begin: number[], size: number[], visit: (src: number) => void): void {
  const index = new Array<number>(r.k).fill(0);
  for (let n = 0; n < r.count; n++) {
    let src = begin[r.k] * r.strides[r.k];
    for (let d = 0; d < r.k; d++) src += (begin[d] + index[d]) * r.strides[d];
    visit(src);
    for (let d = r.k - 1; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
}

/** `count` runs of `run` words from src[s0 + i*ss] to dst[d0 + i*ds]. */
function copyRunsJs(src: Int32Array, s0: number, ss: number, dst: Int32Array, d0: number, ds: number, count: number, run: number): void {
  for (let i = 0; i < count; i++) {
    const s = s0 + i * ss;
    const d = d0 + i * ds;
    for (let e = 0; e < run; e++) dst[d + e] = src[s + e];
  }
}

/** The slice [begin, begin + size) of x, or null when the stock kernel should do it. `words` caches x's copy across the parts of a split. */
function sliceOf(be: BackendWasm, x: TensorInfo, begin: number[], size: number[], words?: () => Int32Array): TensorInfo | null {
  if (!wordSized(x.dtype) || x.shape.length === 0) return null;
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return null;
  const r = runsOf(x.shape, begin, size);
  const out = be.makeOutput(size, x.dtype);
  const lib = nativeBlas();
  // Axes before k all whole: the runs are evenly spaced, one call moves them all.
  const even = r.count > 1 && begin.slice(0, r.k).every((b, d) => b === 0 && size[d] === x.shape[d]);
  if (lib && even) {
    const first = floatOffset(be, x) + begin[r.k] * r.strides[r.k];
    lib.copyRuns(heapF32(be), first, r.strides[r.k - 1], floatOffset(be, out), r.run, r.count, r.run);
    return out;
  }
  if (r.count === 1 || r.run >= MIN_HEAP_RUN) {
    const heap = heapI32(be); // after the allocation above, which may grow the heap
    const src0 = floatOffset(be, x);
    let dst = floatOffset(be, out);
    forEachRun(r, begin, size, (src) => {
      heap.copyWithin(dst, src0 + src, src0 + src + r.run);
      dst += r.run;
    });
    return out;
  }
  const src = words ? words() : wordsOf(be, x, 'slice input');
  const dst = scratchI32('slice output', total);
  if (even) {
    copyRunsJs(src, begin[r.k] * r.strides[r.k], r.strides[r.k - 1], dst, 0, r.run, r.count, r.run);
    heapI32(be).set(dst, floatOffset(be, out));
    return out;
  }
  let d = 0;
  const run = r.run;
  forEachRun(r, begin, size, (s) => {
    for (let e = 0; e < run; e++) dst[d + e] = src[s + e];
    d += run;
  });
  heapI32(be).set(dst, floatOffset(be, out));
  return out;
}

function slice({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { x } = inputs as { x: TensorInfo };
  const { begin, size } = attrs as { begin: number | number[]; size: number | number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
  return sliceOf(be, x, b, s) ?? callStock(be, tf.Slice, { x }, { begin: b, size: s });
}

function splitV({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo[] {
  const be = asWasm(backend);
  const { x } = inputs as { x: TensorInfo };
  const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number | number[]; axis: number };
  const ax = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
  const begin = new Array<number>(x.shape.length).fill(0);
  let copy: Int32Array | null = null;
  // One plain copy of x serves every part that needs the loop.
  const words = () => (copy ??= wordsOf(be, x, 'split input'));
  return sizes.map((n) => {
    const size = [...x.shape];
    size[ax] = n;
    const part = sliceOf(be, x, begin, size, words) ?? callStock(be, tf.Slice, { x }, { begin: [...begin], size });
    begin[ax] += n;
    return part;
  });
}

function concat({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const all = inputs as unknown as TensorInfo[];
  const axis = tf.util.parseAxisParam((attrs as { axis: number }).axis, all[0].shape)[0];
  const shapes = all.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const outShape = tf.backend_util.computeOutShape(shapes, axis);
  const parts = all.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  if (parts.length < 2 || !parts.every((t) => t.dtype === parts[0].dtype && wordSized(t.dtype))) {
    return callStock(be, tf.Concat, inputs as unknown as Record<string, TensorInfo>, attrs);
  }
  const outer = tf.util.sizeFromShape(outShape.slice(0, axis));
  const blocks = parts.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
  const width = blocks.reduce((a, b) => a + b, 0);
  const out = be.makeOutput(outShape, parts[0].dtype);
  const lib = nativeBlas();
  if (lib) {
    let col = 0;
    parts.forEach((t, i) => {
      lib.copyRuns(heapF32(be), floatOffset(be, t), blocks[i], floatOffset(be, out) + col, width, outer, blocks[i]);
      col += blocks[i];
    });
    return out;
  }
  if (outer === 1 || Math.min(...blocks) >= MIN_HEAP_RUN) {
    const heap = heapI32(be);
    const o0 = floatOffset(be, out);
    let col = 0;
    parts.forEach((t, i) => {
      const s0 = floatOffset(be, t);
      const b = blocks[i];
      for (let r = 0; r < outer; r++) heap.copyWithin(o0 + r * width + col, s0 + r * b, s0 + (r + 1) * b);
      col += b;
    });
    return out;
  }
  const dst = scratchI32('concat output', outer * width);
  let col = 0;
  parts.forEach((t, i) => {
    copyRunsJs(wordsOf(be, t, 'concat input'), 0, blocks[i], dst, col, width, outer, blocks[i]);
    col += blocks[i];
  });
  heapI32(be).set(dst, floatOffset(be, out));
  return out;
}

export const sliceKernel: tf.KernelConfig = { kernelName: tf.Slice, backendName: 'wasm', kernelFunc: slice as tf.KernelFunc };
export const splitVKernel: tf.KernelConfig = { kernelName: tf.SplitV, backendName: 'wasm', kernelFunc: splitV as unknown as tf.KernelFunc };
export const concatKernel: tf.KernelConfig = { kernelName: tf.Concat, backendName: 'wasm', kernelFunc: concat as tf.KernelFunc };
