/**
 * The one TensorFlow.js instance of the course. Importing this module registers every
 * gradient of tfjs-core and the two backends that always install (pure-JS `cpu` and `wasm`);
 * the native backends are loaded on demand by `initBackend()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// Method-style ops (`t.sum()`, `t.square()`) as in the tfjs documentation.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export { tf };
