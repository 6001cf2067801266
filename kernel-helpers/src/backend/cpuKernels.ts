/**
 * Replacements for two cpu kernels of tfjs 4.22 that are silently wrong for batch > 1. The
 * course's tests use the cpu backend as the reference for every other one, so its kernels
 * must be right:
 * - `ResizeNearestNeighborGrad` reads every image's output gradient at the first image's
 *   offset (it uses the input's batch stride for dy), and ignores `halfPixelCenters`. Here
 *   it is the exact adjoint of cpu's forward `ResizeNearestNeighbor`: each output pixel's
 *   gradient is added to the pixel the forward pass copied it from.
 * - `Transform` (`tf.image.transform`) returns after the first image, leaving the others at
 *   the fill value. Here every image is transformed, with the same sampling rules (the
 *   TensorFlow ones: projective map from output to input coordinates, fill modes, nearest or
 *   bilinear reads).
 */
import * as tf from '@tensorflow/tfjs-core';

type TensorInfo = tf.TensorInfo;

interface CpuBackend {
  data: { get(id: unknown): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): TensorInfo;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Record<string, unknown> };

function valuesOf(be: CpuBackend, t: TensorInfo): tf.TypedArray {
  return be.data.get(t.dataId).values as tf.TypedArray;
}

function fail(kernel: string, msg: string): never {
  throw new Error(`${kernel} (course cpu kernel): ${msg}`);
}

/** The source row (or column) the forward pass reads for output index `i`. */
function nearestSource(i: number, ratio: number, inSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const frac = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
  const src = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, src) : src;
}

function sizeRatio(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

function resizeNearestNeighborGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const be = backend as CpuBackend;
  const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
  const { alignCorners, halfPixelCenters } = attrs as unknown as tf.ResizeNearestNeighborGradAttrs;
  const name = tf.ResizeNearestNeighborGrad;
  if (images.shape.length !== 4 || dy.shape.length !== 4) fail(name, `images [${images.shape}] and dy [${dy.shape}] must both be [batch, height, width, channels]`);
  const [B, inH, inW, C] = images.shape;
  const [dyB, outH, outW, dyC] = dy.shape;
  if (dyB !== B || dyC !== C) fail(name, `dy [${dy.shape}] must have the batch and channels of images [${images.shape}]`);
  const g = valuesOf(be, dy);
  const dx = new Float32Array(B * inH * inW * C);
  const rowRatio = sizeRatio(inH, outH, alignCorners);
  const colRatio = sizeRatio(inW, outW, alignCorners);
  const srcCol = Array.from({ length: outW }, (_, c) => nearestSource(c, colRatio, inW, alignCorners, halfPixelCenters));
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < outH; r++) {
      const rowBase = (b * inH + nearestSource(r, rowRatio, inH, alignCorners, halfPixelCenters)) * inW;
      for (let c = 0; c < outW; c++) {
        const at = (rowBase + srcCol[c]) * C;
        for (let d = 0; d < C; d++) dx[at + d] += g[o++];
      }
    }
  }
  return be.makeTensorInfo(images.shape, 'float32', dx);
}

type FillMode = tf.TransformAttrs['fillMode'];

/** TensorFlow's mapping of an input coordinate that falls outside [0, len - 1] (image_ops.h). */
function mapCoordinate(v: number, len: number, mode: FillMode): number {
  if (mode === 'constant') return v;
  if (mode === 'nearest') return Math.min(Math.max(v, 0), len - 1);
  let u = v;
  if (mode === 'reflect') {
    if (u < 0) {
      if (len <= 1) u = 0;
      else {
        const period = 2 * len;
        if (u < period) u += period * Math.trunc(-u / period);
        u = u < -len ? u + period : -u - 1;
      }
    } else if (u > len - 1) {
      if (len <= 1) u = 0;
      else {
        const period = 2 * len;
        u -= period * Math.trunc(u / period);
        if (u >= len) u = period - u - 1;
      }
    }
  } else if (mode === 'wrap') {
    if (u < 0) {
      u = len <= 1 ? 0 : u + len * (Math.trunc(-u / (len - 1)) + 1);
    } else if (u > len - 1) {
      u = len <= 1 ? 0 : u - len * Math.trunc(u / (len - 1));
    }
  } else {
    throw new Error(`${tf.Transform} (course cpu kernel): fillMode must be 'constant', 'reflect', 'wrap' or 'nearest', got ${mode}`);
  }
  // Rounding 3.5 in a 4-pixel row would leave the image.
  return Math.min(Math.max(u, 0), len - 1);
}

function transform({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const be = backend as CpuBackend;
  const { image, transforms } = inputs as { image: TensorInfo; transforms: TensorInfo };
  const { interpolation, fillMode, fillValue, outputShape } = attrs as unknown as tf.TransformAttrs;
  const name = tf.Transform;
  if (image.shape.length !== 4) fail(name, `image must be [batch, height, width, channels], got [${image.shape}]`);
  const [B, H, W, C] = image.shape;
  if (transforms.shape.length !== 2 || transforms.shape[1] !== 8 || (transforms.shape[0] !== 1 && transforms.shape[0] !== B)) {
    fail(name, `transforms must be [1, 8] or [${B}, 8] (one per image), got [${transforms.shape}]`);
  }
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') fail(name, `interpolation must be 'nearest' or 'bilinear', got ${interpolation}`);
  const [outH, outW] = outputShape ?? [H, W];
  const outShape = [B, outH, outW, C];
  const img = valuesOf(be, image);
  const tv = valuesOf(be, transforms);
  const out = tf.util.getTypedArrayFromDType(image.dtype as 'float32', tf.util.sizeFromShape(outShape));
  out.fill(fillValue);
  const read = (base: number, y: number, x: number, ch: number): number =>
    y >= 0 && y < H && x >= 0 && x < W ? img[base + (y * W + x) * C + ch] : fillValue;
  for (let b = 0; b < B; b++) {
    const t = transforms.shape[0] === 1 ? 0 : 8 * b;
    const [a0, a1, a2, b0, b1, b2, c0, c1] = [tv[t], tv[t + 1], tv[t + 2], tv[t + 3], tv[t + 4], tv[t + 5], tv[t + 6], tv[t + 7]];
    const base = b * H * W * C;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const k = c0 * ox + c1 * oy + 1;
        // A point mapped to infinity lies outside the image.
        if (k === 0) continue;
        const x = mapCoordinate((a0 * ox + a1 * oy + a2) / k, W, fillMode);
        const y = mapCoordinate((b0 * ox + b1 * oy + b2) / k, H, fillMode);
        const at = ((b * outH + oy) * outW + ox) * C;
        if (interpolation === 'nearest') {
          const yi = Math.round(y);
          const xi = Math.round(x);
          for (let ch = 0; ch < C; ch++) out[at + ch] = read(base, yi, xi, ch);
        } else {
          const y0 = Math.floor(y);
          const x0 = Math.floor(x);
          const fy = y - y0;
          const fx = x - x0;
          for (let ch = 0; ch < C; ch++) {
            const top = (1 - fx) * read(base, y0, x0, ch) + fx * read(base, y0, x0 + 1, ch);
            const bottom = (1 - fx) * read(base, y0 + 1, x0, ch) + fx * read(base, y0 + 1, x0 + 1, ch);
            out[at + ch] = (1 - fy) * top + fy * bottom;
          }
        }
      }
    }
  }
  return be.makeTensorInfo(outShape, image.dtype, out);
}

/** The cpu kernels this module installs. */
export const cpuKernelFixes: readonly tf.KernelConfig[] = [
  { kernelName: tf.ResizeNearestNeighborGrad, backendName: 'cpu', kernelFunc: resizeNearestNeighborGrad as tf.KernelFunc },
  { kernelName: tf.Transform, backendName: 'cpu', kernelFunc: transform as tf.KernelFunc },
];

let installed = false;

/** Registers the corrected cpu kernels over the stock ones. Idempotent; returns their names. */
export function installCpuKernelFixes(): string[] {
  if (!installed) {
    for (const k of cpuKernelFixes) {
      if (tf.getKernel(k.kernelName, 'cpu')) tf.unregisterKernel(k.kernelName, 'cpu');
      tf.registerKernel(k);
    }
    installed = true;
  }
  return cpuKernelFixes.map((k) => k.kernelName);
}
