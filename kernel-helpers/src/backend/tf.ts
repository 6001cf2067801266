/**
 * The one TensorFlow.js instance of the course. Importing this module registers every
 * gradient of tfjs-core, the method-style ops (`t.sum()`, `t.square()`, as in the tfjs
 * documentation) and the two backends that always install (pure-JS `cpu` and `wasm`);
 * the native backends are loaded on demand by `initBackend()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradientsAndChainedOps } from './tfjsCoreExtras';
import { installLeakyReluGradient } from './wasmKernels/leakyRelu';
import { installWasmTrainingKernels } from './wasmKernels';
import { installCpuKernelFixes } from './cpuKernels';

registerGradientsAndChainedOps();
// After tfjs-core's gradients, which it replaces for LeakyRelu (one pass, twice differentiable).
installLeakyReluGradient();
installWasmTrainingKernels();
installCpuKernelFixes();

export { tf };
// Type-only (erased from the JavaScript, kept in the .d.ts): brings tfjs-core's declarations
// of the method-style ops into every program that imports this library, e.g. notebooks.
export type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
