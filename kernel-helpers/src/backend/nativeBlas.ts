/**
 * The optional native products of the wasm backend (`native/gan_blas.c`, built by
 * `npm run build` where a C compiler and an OpenBLAS runtime exist). They read and write the
 * wasm heap in place, so tensors never leave it: matrix products through OpenBLAS and the
 * im2col / col2im copies that turn convolutions and their gradients into products.
 * `GAN_COURSE_NATIVE_BLAS=0` turns them off; without them the XNNPACK kernels run.
 */
import { libraryRoot } from '../core/paths';
import * as path from 'path';

export interface NativeBlasModule {
  /** C[M,N] (+)= op(A) op(B); offsets in floats into `heap`. */
  sgemm(heap: Float32Array, a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number): void;
  im2col(heap: Float32Array, x: number, cols: number, ...geometry: number[]): void;
  col2im(heap: Float32Array, cols: number, dx: number, ...geometry: number[]): void;
  /** `count` runs of `run` 32-bit words from src + i*srcStride to dst + i*dstStride. */
  copyRuns(heap: Float32Array, src: number, srcStride: number, dst: number, dstStride: number, count: number, run: number): void;
  /** out = tanh(x) over n floats. */
  tanh(heap: Float32Array, x: number, out: number, n: number): void;
  setThreads(n: number): void;
}

export const NATIVE_BLAS_ENV = 'GAN_COURSE_NATIVE_BLAS';

let loaded: NativeBlasModule | null | undefined;
let reason = '';
let enabled = true;
let threads = 1;

/** Path of the built module. */
export function nativeBlasFile(): string {
  return path.join(libraryRoot(), 'native', 'build', 'gan_blas.node');
}

function load(): NativeBlasModule | null {
  if (process.env[NATIVE_BLAS_ENV] === '0') {
    reason = `${NATIVE_BLAS_ENV}=0`;
    return null;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const lib = require(nativeBlasFile()) as NativeBlasModule;
    lib.setThreads(threads);
    return lib;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    reason = /Cannot find module/.test(msg)
      ? 'not built (needs a C compiler and OpenBLAS, e.g. `apt-get install libopenblas0-pthread`, then `npm run build`)'
      : `does not load: ${msg.split('\n')[0]}`;
    return null;
  }
}

/** The native module when it is built, loads and is enabled; else null. */
export function nativeBlas(): NativeBlasModule | null {
  if (loaded === undefined) loaded = load();
  return enabled ? loaded : null;
}

/** Whether the native products are in use, and why not. */
export function nativeBlasStatus(): { active: boolean; reason: string } {
  const lib = nativeBlas();
  return { active: lib != null, reason: lib ? '' : enabled ? reason : 'turned off' };
}

/** Turns the native products off and on (the wasm kernels take over); for tests and comparisons. */
export function setNativeBlasEnabled(on: boolean): void {
  enabled = on;
}

/** Threads OpenBLAS may use (set to the wasm thread count when the backend starts). */
export function setNativeBlasThreads(n: number): void {
  threads = Math.max(1, Math.floor(n));
  if (loaded) loaded.setThreads(threads);
}
