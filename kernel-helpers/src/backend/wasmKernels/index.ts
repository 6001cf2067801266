/**
 * The course's training kernels for the wasm backend, registered over the stock ones.
 * A replacement keeps the replaced stock kernel's `setupFunc` (which binds the C++ entry
 * point when the backend starts), because the replacements call the stock kernels they
 * replace; so they can be installed before or after the wasm backend starts, and
 * `tf.setBackend('wasm')` alone gets them too.
 */
import * as tf from '@tensorflow/tfjs-core';
import { asWasm, captureStockKernel, releaseUncached } from './wasmContext';
import { poolAware } from '../wasmPools';
import { batchMatMulKernel, fusedMatMulKernel } from './matmul';
import { conv2dKernel } from './conv2d';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel } from './conv2dBackprop';
import { depthwiseBackpropFilterKernel, depthwiseBackpropInputKernel } from './depthwiseBackprop';
import { unsortedSegmentSumKernel } from './unsortedSegmentSum';
import { tileKernel } from './tile';
import { leakyReluKernel } from './leakyRelu';
import { identityKernel } from './identity';
import { castKernel } from './cast';
import { tanhKernel } from './tanh';
import { sumKernel } from './sum';
import { concatKernel, sliceKernel, splitVKernel } from './slice';
import { maxPoolGradKernel } from './maxPoolGrad';

function withUncachedReleased(f: tf.KernelFunc): tf.KernelFunc {
  return ((args: Parameters<tf.KernelFunc>[0]) => {
    try {
      return f(args);
    } finally {
      releaseUncached(asWasm(args.backend));
    }
  }) as tf.KernelFunc;
}

/** Every kernel this module installs on the wasm backend. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  batchMatMulKernel,
  fusedMatMulKernel,
  conv2dKernel,
  conv2dBackpropFilterKernel,
  conv2dBackpropInputKernel,
  depthwiseBackpropFilterKernel,
  depthwiseBackpropInputKernel,
  unsortedSegmentSumKernel,
  tileKernel,
  leakyReluKernel,
  identityKernel,
  castKernel,
  tanhKernel,
  sumKernel,
  sliceKernel,
  splitVKernel,
  concatKernel,
  maxPoolGradKernel,
].map((k) => ({ ...k, kernelFunc: withUncachedReleased(k.kernelFunc) }));

/** Stock kernels the replacements call. */
const stockDependencies = [tf.BatchMatMul, tf._FusedMatMul, tf.Transpose, tf.Reshape, tf.Slice, tf.Concat, tf.Conv2D, tf.Reverse, tf.Identity, tf.LeakyRelu, tf.Step, tf.Multiply, tf.Cast, tf.Tanh, tf.Sigmoid, tf.Sum, tf.SplitV];

let installed = false;


/**
 * Installs the training kernels on the (already initialised) wasm backend. Idempotent.
 * Returns the names of the kernels installed.
 */
export function installWasmTrainingKernels(): string[] {
  if (!installed) {
    for (const name of stockDependencies) captureStockKernel(name);
    for (const k of wasmTrainingKernels) {
      const stock = tf.getKernel(k.kernelName, 'wasm');
      if (stock) tf.unregisterKernel(k.kernelName, 'wasm');
      tf.registerKernel(stock?.setupFunc ? { ...k, setupFunc: stock.setupFunc } : k);
    }
    // Every other wasm kernel first selects its thread pool (see wasm-pools.ts); the
    // replacements above select it for each stock kernel they call.
    const replaced = new Set(wasmTrainingKernels.map((k) => k.kernelName));
    for (const k of tf.getKernelsForBackend('wasm')) {
      if (replaced.has(k.kernelName)) continue;
      captureStockKernel(k.kernelName);
      tf.unregisterKernel(k.kernelName, 'wasm');
      tf.registerKernel({ ...k, kernelFunc: poolAware(k.kernelName, k.kernelFunc as never) as tf.KernelFunc });
    }
    installed = true;
  }
  return wasmTrainingKernels.map((k) => k.kernelName);
}

export function wasmTrainingKernelsInstalled(): boolean {
  return installed;
}

export { installLeakyReluGradient, LEAKY_RELU_BACKPROP } from './leakyRelu';
