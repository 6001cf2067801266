/**
 * Depthwise conv2d gradients for wasm (both missing in stock wasm), NHWC, written as
 * direct loops over the wasm heap. Filter [fh, fw, C, M] maps channel c to the M outputs
 * c*M .. c*M+M-1:
 *   Y[b,y,x,c*M+m] = sum_{i,j} X[b, y*sh + i*dh - pt, x*sw + j*dw - pl, c] * W[i,j,c,m]
 * so, summing over the same index sets,
 *   dW[i,j,c,m] += X[b,h,w,c] * dY[b,y,x,c*M+m],   dX[b,h,w,c] += W[i,j,c,m] * dY[b,y,x,c*M+m]
 * with h = y*sh + i*dh - pt, w = x*sw + j*dw - pl inside the image.
 * These convolutions are small in the course (grouped convs of the residual net), so a
 * plain loop with the channel axis innermost is enough.
 */
import * as tf from '@tensorflow/tfjs-core';
import { asWasm, Attrs, f32, require_, TensorInfo } from './wasmContext';

interface DwAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type Visit = (xBase: number, dyBase: number, wBase: number) => void;

/** Calls `visit` for every (b, y, x, i, j) whose input pixel lies in the image, with the
 * offsets of X[b,h,w,0], dY[b,y,x,0] and W[i,j,0,0]. */
function forEachTap(info: tf.backend_util.Conv2DInfo, visit: Visit): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const M = CO / C;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        const dyBase = ((b * OH + y) * OW + x) * CO;
        for (let i = 0; i < fh; i++) {
          const h = y * sh + i * dh - pt;
          if (h < 0 || h >= H) continue;
          for (let j = 0; j < fw; j++) {
            const w = x * sw + j * dw - pl;
            if (w < 0 || w >= W) continue;
            visit(((b * H + h) * W + w) * C, dyBase, (i * fw + j) * C * M);
          }
        }
      }
    }
  }
}

function checkDy(kernel: string, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): void {
  require_(dy.shape.length === 4 && dy.shape.every((d, k) => d === info.outShape[k]), kernel, () =>
    `dy has shape [${dy.shape}] but the forward depthwise conv gives [${info.outShape}]`);
}

function depthwiseBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DwAttrs & { filterShape: number[] };
  const K = tf.DepthwiseConv2dNativeBackpropFilter;
  require_(x.shape.length === 4, K, () => `x must be rank 4 (NHWC), got [${x.shape}]`);
  require_(filterShape[2] === x.shape[3], K, () => `filter channels ${filterShape[2]} differ from x channels ${x.shape[3]}`);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true);
  checkDy(K, dy, info);
  const out = be.makeOutput(filterShape, 'float32');
  // Plain copies: loops over wasm-heap views run ~4x slower.
  const dW = new Float32Array(tf.util.sizeFromShape(filterShape));
  const X = f32(be, x).slice();
  const dY = f32(be, dy).slice();
  const C = info.inChannels;
  const M = info.outChannels / C;
  forEachTap(info, (xb, dyb, wb) => {
    for (let c = 0; c < C; c++) {
      const xv = X[xb + c];
      for (let m = 0; m < M; m++) dW[wb + c * M + m] += xv * dY[dyb + c * M + m];
    }
  });
  f32(be, out).set(dW);
  return out;
}

function depthwiseBackpropInput({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DwAttrs & { inputShape: number[] };
  const K = tf.DepthwiseConv2dNativeBackpropInput;
  require_(inputShape.length === 4 && filter.shape.length === 4, K, () => `inputShape and filter must be rank 4, got [${inputShape}] and [${filter.shape}]`);
  require_(filter.shape[2] === inputShape[3], K, () => `filter channels ${filter.shape[2]} differ from input channels ${inputShape[3]}`);
  const info = tf.backend_util.computeConv2DInfo(inputShape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true);
  checkDy(K, dy, info);
  const out = be.makeOutput(inputShape, 'float32');
  const dX = new Float32Array(tf.util.sizeFromShape(inputShape));
  const Wt = f32(be, filter).slice();
  const dY = f32(be, dy).slice();
  const C = info.inChannels;
  const M = info.outChannels / C;
  forEachTap(info, (xb, dyb, wb) => {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let m = 0; m < M; m++) s += Wt[wb + c * M + m] * dY[dyb + c * M + m];
      dX[xb + c] += s;
    }
  });
  f32(be, out).set(dX);
  return out;
}

export const depthwiseBackpropFilterKernel: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', kernelFunc: depthwiseBackpropFilter as tf.KernelFunc,
};
export const depthwiseBackpropInputKernel: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput, backendName: 'wasm', kernelFunc: depthwiseBackpropInput as tf.KernelFunc,
};
