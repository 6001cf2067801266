/**
 * Memory accounting for leak checks: tfjs's tensor bookkeeping plus the wasm heap, which
 * only grows (a leak in a wasm kernel shows up there even when the tensor count is flat).
 */
import * as tf from '@tensorflow/tfjs-core';
import { wasmHeapBytes } from './wasmBackend';

export interface MemoryReport {
  backend: string;
  /** Live tensors (tf.memory().numTensors). */
  numTensors: number;
  /** Bytes held by live tensors (tf.memory().numBytes). */
  numBytes: number;
  /** Distinct data buffers (tf.memory().numDataBuffers). */
  numDataBuffers: number;
  /** Size of the wasm heap, or null when the wasm backend was never started. */
  wasmHeapBytes: number | null;
}

export function memoryReport(): MemoryReport {
  const m = tf.memory();
  return {
    backend: tf.getBackend(),
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    numDataBuffers: m.numDataBuffers,
    wasmHeapBytes: wasmHeapBytes(),
  };
}
