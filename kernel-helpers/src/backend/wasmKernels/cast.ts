/**
 * Cast for wasm without a copy when the dtype does not change. tfjs-core's ReLU gradient
 * (and others) cast float32 masks to float32; the stock kernel copies the buffer every time.
 */
import * as tf from '@tensorflow/tfjs-core';
import { asWasm, Attrs, callStock, TensorInfo } from './wasmContext';

function cast({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { dtype } = attrs as { dtype: tf.DataType };
  const be = asWasm(backend);
  if (x.dtype === dtype) {
    be.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  }
  return callStock(be, tf.Cast, { x }, { dtype });
}

export const castKernel: tf.KernelConfig = { kernelName: tf.Cast, backendName: 'wasm', kernelFunc: cast as tf.KernelFunc };
