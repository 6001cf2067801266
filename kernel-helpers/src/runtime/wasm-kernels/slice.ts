/**
 * Slice and SplitV for wasm as block copies inside the wasm heap. The stock Slice first copies
 * the whole input out of the heap (`readSync`) and then copies the slice element by element
 * or as one block: slicing a 64x24x192 sequence tensor one time step at a time (a GRU) or
 * splitting an optimiser's flat vector into its variables cost 0.2-0.3 ms per slice. A slice
 * is a set of equal contiguous runs (one per index of the axes before the last partial one),
 * each moved with one `copyWithin`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { asWasm, Attrs, callStock, TensorInfo } from './wasm-context';

const BYTES: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4, bool: 1 };
/** Many short runs are left to the stock loops. */
const MAX_RUNS = 4096;
const MIN_RUN = 16;

interface Heap {
  HEAPU8: Uint8Array;
}

/** The slice [begin, begin + size) of x as block copies, or null when the stock kernel is the better fit. */
function blockSlice(be: BackendWasm, x: TensorInfo, begin: number[], size: number[]): TensorInfo | null {
  const bytes = BYTES[x.dtype];
  const rank = x.shape.length;
  if (bytes == null || rank === 0) return null;
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return null;
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === x.shape[k]) k--;
  const strides = [...tf.util.computeStrides(x.shape), 1];
  const run = size[k] * strides[k];
  const runs = total / run;
  if (runs > MAX_RUNS || (runs > 1 && run < MIN_RUN)) return null;
  const out = be.makeOutput(size, x.dtype);
  // Offsets after the allocation above (which may grow the heap).
  const heap = (be.wasm as unknown as Heap).HEAPU8;
  const src0 = be.dataIdMap.get(x.dataId)!.memoryOffset;
  let dst = be.dataIdMap.get(out.dataId)!.memoryOffset;
  const index = new Array<number>(k).fill(0);
  const runBytes = run * bytes;
  for (let r = 0; r < runs; r++) {
    let src = begin[k] * strides[k];
    for (let d = 0; d < k; d++) src += (begin[d] + index[d]) * strides[d];
    const from = src0 + src * bytes;
    heap.copyWithin(dst, from, from + runBytes);
    dst += runBytes;
    for (let d = k - 1; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

function slice({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { x } = inputs as { x: TensorInfo };
  const { begin, size } = attrs as { begin: number | number[]; size: number | number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
  return blockSlice(be, x, b, s) ?? callStock(be, tf.Slice, { x }, { begin: b, size: s });
}

function splitV({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo[] {
  const be = asWasm(backend);
  const { x } = inputs as { x: TensorInfo };
  const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number | number[]; axis: number };
  const ax = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((n) => {
    const size = [...x.shape];
    size[ax] = n;
    const part = blockSlice(be, x, begin, size) ?? callStock(be, tf.Slice, { x }, { begin: [...begin], size });
    begin[ax] += n;
    return part;
  });
}

export const sliceKernel: tf.KernelConfig = { kernelName: tf.Slice, backendName: 'wasm', kernelFunc: slice as tf.KernelFunc };
export const splitVKernel: tf.KernelConfig = { kernelName: tf.SplitV, backendName: 'wasm', kernelFunc: splitV as unknown as tf.KernelFunc };
