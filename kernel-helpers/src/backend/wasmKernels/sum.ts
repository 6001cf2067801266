/**
 * Sum for wasm when the reduced axes lead (a bias gradient: sum over batch and space of an
 * NHWC tensor). The stock kernel first transposes the reduced axes to the end and then sums
 * rows, about 1 ms for a 64x14x14x32 tensor; as the product ones[1, N] x X[N, C] on XNNPACK it
 * takes about a tenth of that. Every other reduction goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nativeBlas } from '../nativeBlas';
import { asWasm, Attrs, callStock, dispose, f32, floatOffset, heapF32, reshape, TensorInfo } from './wasmContext';

/** Below this many elements the stock kernel is as fast. */
const MIN_ELEMENTS = 4096;

function sum({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { x } = inputs as { x: TensorInfo };
  const { axis, keepDims } = (attrs ?? {}) as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
  const size = tf.util.sizeFromShape(x.shape);
  if (x.dtype !== 'float32' || !leading || size < MIN_ELEMENTS) return callStock(be, tf.Sum, { x }, attrs);
  const N = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const C = size / N;
  const kept = x.shape.slice(axes.length);
  const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
  const ones = be.makeOutput([1, 1, N], 'float32');
  f32(be, ones).fill(1);
  const lib = nativeBlas();
  if (lib) {
    const out = be.makeOutput(outShape, 'float32');
    lib.sgemm(heapF32(be), floatOffset(be, ones), floatOffset(be, x), floatOffset(be, out), 1, C, N, 0, 0, 0);
    dispose(be, ones);
    return out;
  }
  const x3 = reshape(be, x, [1, N, C]);
  const prod = callStock(be, tf.BatchMatMul, { a: ones, b: x3 }, { transposeA: false, transposeB: false });
  dispose(be, ones, x3);
  const out = reshape(be, prod, outShape);
  dispose(be, prod);
  return out;
}

export const sumKernel: tf.KernelConfig = { kernelName: tf.Sum, backendName: 'wasm', kernelFunc: sum as tf.KernelFunc };
