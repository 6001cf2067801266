/**
 * Identity for wasm without a copy. The stock kernel copies the whole buffer; the engine
 * calls Identity a lot (gradient bookkeeping, optimizers, `tf.clone`), about 90 times per
 * DCGAN step. Kernels never write into their inputs, so the output can share the input's
 * buffer with one more reference, as the cpu backend and the wasm Reshape already do.
 */
import * as tf from '@tensorflow/tfjs-core';
import { asWasm, Attrs, TensorInfo } from './wasmContext';

function identity({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  asWasm(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityKernel: tf.KernelConfig = { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identity as tf.KernelFunc };
