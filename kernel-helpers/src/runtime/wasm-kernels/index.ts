/**
 * The course's training kernels for the wasm backend, registered over the stock ones.
 * Registration must happen after the wasm backend initialised: the stock kernels' setup
 * (binding their C++ entry points) runs at backend init, and the replacements keep calling
 * the stock kernels they replace.
 */
import * as tf from '@tensorflow/tfjs-core';
import { captureStockKernel } from './wasm-context';
import { batchMatMulKernel, fusedMatMulKernel } from './matmul';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel } from './conv2d-backprop';
import { depthwiseBackpropFilterKernel, depthwiseBackpropInputKernel } from './depthwise-backprop';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum';
import { tileKernel } from './tile';
import { leakyReluKernel } from './leaky-relu';
import { identityKernel } from './identity';
import { castKernel } from './cast';

/** Every kernel this module installs on the wasm backend. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  batchMatMulKernel,
  fusedMatMulKernel,
  conv2dBackpropFilterKernel,
  conv2dBackpropInputKernel,
  depthwiseBackpropFilterKernel,
  depthwiseBackpropInputKernel,
  unsortedSegmentSumKernel,
  tileKernel,
  leakyReluKernel,
  identityKernel,
  castKernel,
];

/** Stock kernels the replacements call. */
const stockDependencies = [tf.BatchMatMul, tf._FusedMatMul, tf.Transpose, tf.Reshape, tf.Slice, tf.Concat, tf.Conv2D, tf.Reverse, tf.Identity, tf.LeakyRelu, tf.Step, tf.Multiply, tf.Cast];

let installed = false;

/**
 * Installs the training kernels on the (already initialised) wasm backend. Idempotent.
 * Returns the names of the kernels installed.
 */
export function installWasmTrainingKernels(): string[] {
  if (!installed) {
    for (const name of stockDependencies) captureStockKernel(name);
    for (const k of wasmTrainingKernels) {
      if (tf.getKernel(k.kernelName, 'wasm')) tf.unregisterKernel(k.kernelName, 'wasm');
      tf.registerKernel(k);
    }
    installed = true;
  }
  return wasmTrainingKernels.map((k) => k.kernelName);
}

export function wasmTrainingKernelsInstalled(): boolean {
  return installed;
}

export { installLeakyReluGradient, LEAKY_RELU_BACKPROP } from './leaky-relu';
