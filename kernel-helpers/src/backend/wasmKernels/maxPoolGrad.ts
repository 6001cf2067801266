/**
 * MaxPoolGrad for the wasm backend. The stock kernel (tfjs 4.22) sends a window's whole
 * gradient to one fixed element when every value in the window is negative, so max pooling
 * trains wrongly on the course's default backend while its forward pass is right. This one
 * routes each window's gradient to the window's first maximum (row-major, padding skipped),
 * the rule the cpu backend follows, so the two agree on ties too.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Attrs, f32, require_, scratchCopy, scratchF32, TensorInfo } from './wasmContext';

function maxPoolGrad({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = backend as BackendWasm;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  require_(input.dtype === 'float32' && dy.dtype === 'float32', tf.MaxPoolGrad, () => `needs float32 tensors, got input ${input.dtype} and dy ${dy.dtype}`);
  require_(input.shape.length === 4, tf.MaxPoolGrad, () => `input must be [batch, height, width, channels], got [${input.shape}]`);
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  require_(tf.util.arraysEqual(dy.shape, info.outShape), tf.MaxPoolGrad, () => `dy [${dy.shape}] must have the pooled shape [${info.outShape}]`);
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth } = info;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  const dx = be.makeOutput(input.shape, 'float32') as TensorInfo;
  // Copies taken after the last allocation (a heap growth detaches views).
  const x = scratchCopy(be, input, 'maxPoolGrad.x');
  const g = scratchCopy(be, dy, 'maxPoolGrad.dy');
  const out = scratchF32('maxPoolGrad.dx', x.length);
  out.fill(0);
  const rowStride = inWidth * C;
  const imageStride = inHeight * rowStride;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const base = b * imageStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inHeight, y0 + fh);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inWidth, x0 + fw);
        for (let c = 0; c < C; c++, o++) {
          let best = -Infinity;
          let at = -1;
          for (let yy = yStart; yy < yEnd; yy++) {
            for (let xx = xStart; xx < xEnd; xx++) {
              const i = base + yy * rowStride + xx * C + c;
              if (x[i] > best) {
                best = x[i];
                at = i;
              }
            }
          }
          // A window of NaNs (or one lying wholly in the padding) passes no gradient, as on cpu.
          if (at >= 0) out[at] += g[o];
        }
      }
    }
  }
  f32(be, dx).set(out);
  return dx;
}

export const maxPoolGradKernel: tf.KernelConfig = { kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad as tf.KernelFunc };
