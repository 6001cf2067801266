/**
 * Products and convolutions on the native module (OpenBLAS, `backend/nativeBlas.ts`), in
 * place on the wasm heap. With N = B*OH*OW output positions and P = fh*fw*C patch elements,
 * cols = im2col(X) [N, P] and the filter read as W [P, O] (its HWIO layout already is):
 *   forward          Y[N, O]  = cols W                (a 1x1 stride-1 conv skips im2col)
 *   input gradient   dX       = col2im(dY[N, O] W^T)
 *   filter gradient  dW[P, O] = cols^T dY[N, O]
 * Each function returns null when the native module is off or the case is not covered, and
 * the caller then runs its XNNPACK path.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { nativeBlas } from '../nativeBlas';
import { dispose, floatOffset, heapF32, TensorInfo } from './wasmContext';

/** Patch matrices above this many floats (256 MB) are left to XNNPACK. */
const MAX_PATCH_FLOATS = 1 << 26;

export interface ProductDims {
  M: number;
  K: number;
  N: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

/** op(a) op(b) with batch broadcasting (equal batches, or one of them 1). */
export function nativeMatMul(be: BackendWasm, a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean, d: ProductDims): TensorInfo | null {
  const lib = nativeBlas();
  if (!lib || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const { M, K, N, batchA, batchB } = d;
  const batch = Math.max(batchA, batchB);
  const out = be.makeOutput(d.outShape, 'float32');
  const heap = heapF32(be);
  const oa = floatOffset(be, a);
  const ob = floatOffset(be, b);
  const oc = floatOffset(be, out);
  for (let i = 0; i < batch; i++) {
    lib.sgemm(heap, oa + (batchA > 1 ? i * M * K : 0), ob + (batchB > 1 ? i * K * N : 0), oc + i * M * N, M, N, K, +transA, +transB, 0);
  }
  return out;
}

function geometry(info: tf.backend_util.Conv2DInfo): number[] {
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    info.padInfo.top, info.padInfo.left, info.dilationHeight, info.dilationWidth,
  ];
}

function sizes(info: tf.backend_util.Conv2DInfo): { N: number; P: number; O: number } {
  return {
    N: info.batchSize * info.outHeight * info.outWidth,
    P: info.filterHeight * info.filterWidth * info.inChannels,
    O: info.outChannels,
  };
}

function pointwise(info: tf.backend_util.Conv2DInfo): boolean {
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 && info.padInfo.bottom === 0 && info.padInfo.right === 0;
}

function covered(x: TensorInfo, info: tf.backend_util.Conv2DInfo): boolean {
  const { N, P } = sizes(info);
  return x.dtype === 'float32' && info.dataFormat === 'channelsLast' && N * P <= MAX_PATCH_FLOATS && N > 0 && P > 0 && info.outChannels > 0;
}

/** Patches of x in a fresh [N, P] tensor (the caller disposes it). */
function patches(be: BackendWasm, x: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { N, P } = sizes(info);
  const cols = be.makeOutput([N, P], 'float32');
  nativeBlas()!.im2col(heapF32(be), floatOffset(be, x), floatOffset(be, cols), ...geometry(info));
  return cols;
}

export function nativeConv2d(be: BackendWasm, x: TensorInfo, filter: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo | null {
  const lib = nativeBlas();
  if (!lib || filter.dtype !== 'float32' || !covered(x, info)) return null;
  const { N, P, O } = sizes(info);
  const cols = pointwise(info) ? null : patches(be, x, info);
  const out = be.makeOutput(info.outShape, 'float32');
  lib.sgemm(heapF32(be), floatOffset(be, cols ?? x), floatOffset(be, filter), floatOffset(be, out), N, O, P, 0, 0, 0);
  if (cols) dispose(be, cols);
  return out;
}

export function nativeConv2dInputGrad(be: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo | null {
  const lib = nativeBlas();
  if (!lib || dy.dtype !== 'float32' || filter.dtype !== 'float32' || !covered(dy, info)) return null;
  const { N, P, O } = sizes(info);
  const dx = be.makeOutput([info.batchSize, info.inHeight, info.inWidth, info.inChannels], 'float32');
  if (pointwise(info)) {
    lib.sgemm(heapF32(be), floatOffset(be, dy), floatOffset(be, filter), floatOffset(be, dx), N, P, O, 0, 1, 0);
    return dx;
  }
  const cols = be.makeOutput([N, P], 'float32');
  const heap = heapF32(be);
  lib.sgemm(heap, floatOffset(be, dy), floatOffset(be, filter), floatOffset(be, cols), N, P, O, 0, 1, 0);
  lib.col2im(heap, floatOffset(be, cols), floatOffset(be, dx), ...geometry(info));
  dispose(be, cols);
  return dx;
}

export function nativeConv2dFilterGrad(be: BackendWasm, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo | null {
  const lib = nativeBlas();
  if (!lib || dy.dtype !== 'float32' || !covered(x, info)) return null;
  const { N, P, O } = sizes(info);
  const cols = pointwise(info) ? null : patches(be, x, info);
  const dw = be.makeOutput([info.filterHeight, info.filterWidth, info.inChannels, O], 'float32');
  lib.sgemm(heapF32(be), floatOffset(be, cols ?? x), floatOffset(be, dy), floatOffset(be, dw), P, O, N, 1, 0, 0);
  if (cols) dispose(be, cols);
  return dw;
}
