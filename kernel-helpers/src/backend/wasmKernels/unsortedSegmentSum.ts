/**
 * UnsortedSegmentSum for wasm (missing in stock wasm; it is the gradient of gather, i.e.
 * of embeddings): out[s, ...] = sum of x[k, ...] over the k with segmentIds[k] = s.
 * segmentIds covers the leading axes of x; ids outside [0, numSegments) are dropped, as
 * in the cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { asWasm, Attrs, require_, TensorInfo } from './wasmContext';

function unsortedSegmentSum({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as { numSegments: number };
  const K = tf.UnsortedSegmentSum;
  require_(Number.isInteger(numSegments) && numSegments > 0, K, () => `numSegments must be a positive integer, got ${numSegments}`);
  require_(x.dtype === 'float32' || x.dtype === 'int32', K, () => `x must be float32 or int32, got ${x.dtype}`);
  const r = segmentIds.shape.length;
  require_(r <= x.shape.length && segmentIds.shape.every((d, k) => d === x.shape[k]), K, () =>
    `segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`);
  const n = tf.util.sizeFromShape(segmentIds.shape);
  const inner = tf.util.sizeFromShape(x.shape.slice(r));
  const out = be.makeOutput([numSegments, ...x.shape.slice(r)], x.dtype);
  const o = be.typedArrayFromHeap(out);
  const xs = be.typedArrayFromHeap(x);
  const ids = be.typedArrayFromHeap(segmentIds);
  o.fill(0);
  for (let k = 0; k < n; k++) {
    const s = ids[k];
    if (s < 0 || s >= numSegments) continue;
    const src = k * inner;
    const dst = s * inner;
    for (let c = 0; c < inner; c++) o[dst + c] += xs[src + c];
  }
  return out;
}

export const unsortedSegmentSumKernel: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: unsortedSegmentSum as tf.KernelFunc,
};
