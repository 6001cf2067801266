/**
 * Starting the wasm backend with the course's training kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { installWasmTrainingKernels } from './wasmKernels';
import { wasmPoolsStatus } from './wasmPools';
import { nativeBlasStatus, setNativeBlasThreads } from './nativeBlas';
import { requestedWasmThreads, threadedWasmFailure, useThreadedWasm, WASM_THREADS_ENV } from './wasmThreads';

export interface WasmStart {
  ok: boolean;
  simd: boolean;
  threads: number;
  reason: string;
  /** Why fewer threads than the machine could use (shown next to the thread count). */
  threadNote?: string;
  /** Products and convolutions run natively (OpenBLAS) on the wasm heap. */
  nativeBlas?: boolean;
}

export async function startWasm(): Promise<WasmStart> {
  const choice = requestedWasmThreads();
  const wanted = choice.threads;
  let simd = false;
  try {
    simd = !!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  } catch {
    simd = false;
  }
  // The threaded build needs SIMD too (it is the threaded SIMD binary).
  if (simd && wanted > 1) useThreadedWasm(wanted);
  try {
    const ok = await tf.setBackend('wasm');
    if (!ok) return { ok: false, simd, threads: 0, reason: 'wasm backend failed to initialise' };
  } catch (e) {
    return { ok: false, simd, threads: 0, reason: `wasm backend failed to initialise (${e instanceof Error ? e.message : String(e)})` };
  }
  installWasmTrainingKernels();
  const be = tf.findBackend('wasm') as unknown as BackendWasm;
  let threads = 1;
  try {
    threads = (be.wasm as unknown as { tfjs: { getThreadsCount(): number } }).tfjs.getThreadsCount() || 1;
  } catch {
    threads = 1;
  }
  let threadNote = choice.note;
  if (threads < wanted) {
    const why = threadedWasmFailure() || (simd ? 'the wasm backend was started before initBackend()' : 'no SIMD support');
    threadNote = `${wanted} requested: ${why}; ${WASM_THREADS_ENV}=1 silences this`;
  }
  setNativeBlasThreads(threads);
  const native = nativeBlasStatus();
  const pools = wasmPoolsStatus();
  if (threads > 1 && pools.note) threadNote = threadNote ? `${threadNote}; ${pools.note}` : pools.note;
  return { ok: true, simd, threads, reason: '', threadNote, nativeBlas: native.active };
}

/** Current size of the wasm heap in bytes (it only ever grows), or null before init. */
export function wasmHeapBytes(): number | null {
  const be = tf.engine().registry['wasm'] as unknown as BackendWasm | undefined;
  if (!be || !be.wasm) return null;
  return (be.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer.byteLength;
}
