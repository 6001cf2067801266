/**
 * Tile for wasm by block copies (the stock kernel is a per-element loop: 108 ms for
 * [1,1,1,32] -> [64,28,28,32]). Along axis d the output is the input's sub-blocks laid out
 * once, then that whole block repeated reps[d]-1 times, so the work is memcpy.
 */
import * as tf from '@tensorflow/tfjs-core';
import { asWasm, Attrs, require_, TensorInfo } from './wasmContext';

function tile({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { x } = inputs as { x: TensorInfo };
  const { reps } = attrs as { reps: number[] };
  const K = tf.Tile;
  require_(x.dtype !== 'string', K, () => 'string tensors are not supported');
  require_(reps.length === x.shape.length, K, () => `reps [${reps}] must have one entry per axis of x [${x.shape}]`);
  require_(reps.every((r) => Number.isInteger(r) && r >= 0), K, () => `reps must be non-negative integers, got [${reps}]`);
  const rank = x.shape.length;
  const outShape = x.shape.map((d, k) => d * reps[k]);
  const out = be.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  const o = be.typedArrayFromHeap(out);
  const src = be.typedArrayFromHeap(x);
  if (rank === 0) {
    o[0] = src[0];
    return out;
  }
  const inStride = new Array<number>(rank);
  const outStride = new Array<number>(rank);
  inStride[rank - 1] = 1;
  outStride[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) {
    inStride[d] = inStride[d + 1] * x.shape[d + 1];
    outStride[d] = outStride[d + 1] * outShape[d + 1];
  }
  const fill = (d: number, inOff: number, outOff: number): void => {
    const n = x.shape[d];
    if (d === rank - 1) {
      o.set(src.subarray(inOff, inOff + n), outOff);
    } else {
      for (let k = 0; k < n; k++) fill(d + 1, inOff + k * inStride[d], outOff + k * outStride[d]);
    }
    const block = n * outStride[d];
    // Double the filled region each copy: log2(reps) copies instead of reps.
    let filled = 1;
    while (filled < reps[d]) {
      const copy = Math.min(filled, reps[d] - filled);
      o.copyWithin(outOff + filled * block, outOff, outOff + copy * block);
      filled += copy;
    }
  };
  fill(0, 0, 0);
  return out;
}

export const tileKernel: tf.KernelConfig = { kernelName: tf.Tile, backendName: 'wasm', kernelFunc: tile as tf.KernelFunc };
