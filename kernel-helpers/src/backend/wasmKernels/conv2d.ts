/**
 * Forward Conv2D for wasm: on the native products (im2col + OpenBLAS) when they are built,
 * else the stock XNNPACK kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nativeConv2d } from './nativeProducts';
import { asWasm, Attrs, callStock, TensorInfo } from './wasmContext';

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function conv2d({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = (attrs ?? {}) as unknown as ConvAttrs;
  if ((dataFormat == null || dataFormat === 'NHWC') && x.shape.length === 4 && filter.shape.length === 4 && x.shape[3] === filter.shape[2]) {
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations ?? 1, pad, dimRoundingMode);
    const native = nativeConv2d(be, x, filter, info);
    if (native) return native;
  }
  return callStock(be, tf.Conv2D, { x, filter }, attrs);
}

export const conv2dKernel: tf.KernelConfig = { kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: conv2d as tf.KernelFunc };

