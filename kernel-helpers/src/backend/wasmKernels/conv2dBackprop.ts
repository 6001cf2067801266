/**
 * Conv2D gradients for wasm, NHWC, built on the stock XNNPACK convolution and matmul.
 *
 * Filter gradient (missing in stock wasm):
 *   dW[i,j,c,o] = sum_{b,y,x} X[b, y*sh + i - pt, x*sw + j - pl, c] * dY[b,y,x,o]
 * is itself a convolution if the batch axis plays the channel role: with
 * Xt = X^T[c,h,w,b] (perm 3,1,2,0) and Ft = dY^T[y,x,b,o] (perm 1,2,0,3),
 *   conv(Xt, Ft, stride 1, dilation (sh,sw), pads (pt,pl))[c,i,j,o] = dW[i,j,c,o].
 * The conv may produce up to stride-1 extra rows/cols at the bottom/right (the forward
 * conv ignored them); they are cropped.
 * With few input channels (an image layer) that conv has a tiny output and a huge filter,
 * which XNNPACK handles poorly; then dW = im2col(X)^T[fh*fw*C, N] x dY[N, O] (N = B*OH*OW)
 * is used instead: a small patch matrix built in JavaScript and one matmul.
 *
 * Input gradient (stock wasm is a naive loop; conv2dTranspose forward also lands here):
 *   stride 1: dX = conv(dY, W flipped in space with in/out channels swapped, pads f-1-p);
 *   stride>1 ("sub-pixel" split): along an axis with stride s, output rows h = s*q + r of one
 *   residue r only meet the filter taps i = i0 + s*k with i0 = (r + p) mod s, at
 *   y = q + (r + p - i0)/s - k. So each residue class (r_h, r_w) is a stride-1 conv of dY
 *   with the sub-filter of those taps (flipped, in/out channels swapped); the s^2 results
 *   are interleaved into dX. Same FLOPs as the direct form, all on XNNPACK.
 *   Few input channels (C < 8), or negative paddings of a sub-conv (explicit pads larger
 *   than the filter): cols = dY[B*OH*OW, O] x W^T[O, fh*fw*C], then a col2im scatter-add.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { nativeConv2dFilterGrad, nativeConv2dInputGrad } from './nativeProducts';
import { asWasm, Attrs, callStock, derivedFrom, dispose, f32, reshape, require_, scratchCopy, scratchF32, TensorInfo, transpose } from './wasmContext';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function checkNHWC(kernel: string, dataFormat: string | undefined): void {
  require_(dataFormat == null || dataFormat === 'NHWC', kernel, () => `only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
}

function conv2dBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as ConvAttrs & { filterShape: number[] };
  const K = tf.Conv2DBackpropFilter;
  checkNHWC(K, dataFormat);
  require_(x.shape.length === 4 && dy.shape.length === 4, K, () => `x and dy must be rank 4 (NHWC), got [${x.shape}] and [${dy.shape}]`);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  require_(
    dy.shape[0] === x.shape[0] && dy.shape[1] === info.outHeight && dy.shape[2] === info.outWidth && dy.shape[3] === info.outChannels,
    K, () => `dy has shape [${dy.shape}] but the forward conv of x [${x.shape}] with filter [${filterShape}] gives [${info.outShape}]`);
  const native = nativeConv2dFilterGrad(be, x, dy, info);
  if (native) return native;
  const [fh, fw] = [info.filterHeight, info.filterWidth];
  const { top, left, bottom, right } = info.padInfo;
  const [H, W] = [x.shape[1], x.shape[2]];
  const effH = (info.outHeight - 1) * info.strideHeight + 1;
  const effW = (info.outWidth - 1) * info.strideWidth + 1;
  // Output rows of the gradient conv: H + top + bottom - effH + 1 >= fh; trim the extra
  // through the bottom/right padding where possible, crop the remainder.
  const extraH = H + top + bottom - effH + 1 - fh;
  const extraW = W + left + right - effW + 1 - fw;
  const bottom2 = Math.max(0, bottom - extraH);
  const right2 = Math.max(0, right - extraW);
  if (fh === 1 && fw === 1 && info.strideHeight === 1 && info.strideWidth === 1 && top === 0 && left === 0) {
    // 1x1, stride 1, no padding: dW = X[N, C]^T dY[N, O], one transposed matmul.
    const N = x.shape[0] * H * W;
    const x2 = reshape(be, x, [N, x.shape[3]]);
    const xT = transpose(be, x2, [1, 0]);
    const a = reshape(be, xT, [1, x.shape[3], N]);
    const dy2 = reshape(be, dy, [1, N, dy.shape[3]]);
    const prod = callStock(be, tf.BatchMatMul, { a, b: dy2 }, { transposeA: false, transposeB: false });
    dispose(be, x2, xT, a, dy2);
    const out = reshape(be, prod, filterShape);
    dispose(be, prod);
    return out;
  }
  if (x.shape[3] * fh * fw <= 64) return filterGradIm2col(be, x, dy, info);
  const xt = transpose(be, x, [3, 1, 2, 0]);
  const ft = transpose(be, dy, [1, 2, 0, 3]);
  let g = callStock(be, tf.Conv2D, { x: xt, filter: ft }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom2], [left, right2], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [info.strideHeight, info.strideWidth],
  });
  dispose(be, xt, ft);
  if (g.shape[1] !== fh || g.shape[2] !== fw) {
    const c = callStock(be, tf.Slice, { x: g }, { begin: [0, 0, 0, 0], size: [g.shape[0], fh, fw, g.shape[3]] });
    dispose(be, g);
    g = c;
  }
  const out = transpose(be, g, [1, 2, 0, 3]);
  dispose(be, g);
  return out;
}

function filterGradIm2col(be: BackendWasm, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const [B, H, W, C] = x.shape;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: OH, outWidth: OW, outChannels: O } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const N = B * OH * OW;
  const patch = fh * fw * C;
  const X = scratchCopy(be, x, 'conv input');
  // colsT[k, n]: patch element k of output position n (zero outside the image), built
  // already transposed for the matmul, one row k at a time so that the writes are sequential.
  const colsT = scratchF32('patches', patch * N).fill(0);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      for (let c = 0; c < C; c++) {
        let n = ((i * fw + j) * C + c) * N;
        for (let b = 0; b < B; b++) {
          for (let y = 0; y < OH; y++) {
            const h = y * sh + i - pt;
            if (h < 0 || h >= H) { n += OW; continue; }
            const rowBase = (b * H + h) * W;
            for (let xx = 0; xx < OW; xx++, n++) {
              const w = xx * sw + j - pl;
              if (w >= 0 && w < W) colsT[n] = X[(rowBase + w) * C + c];
            }
          }
        }
      }
    }
  }
  const cols = be.makeOutput([1, patch, N], 'float32');
  f32(be, cols).set(colsT);
  const dy2 = reshape(be, dy, [1, N, O]);
  const prod = callStock(be, tf.BatchMatMul, { a: cols, b: dy2 }, { transposeA: false, transposeB: false });
  dispose(be, cols, dy2);
  const out = reshape(be, prod, [fh, fw, C, O]);
  dispose(be, prod);
  return out;
}

/** Scatter-adds rows of patches `cols[B*OH*OW, fh*fw*C]` into `dx[B,H,W,C]` (all zeros on entry). */
function col2im(
  cols: Float32Array,
  dx: Float32Array,
  B: number, H: number, W: number, C: number,
  OH: number, OW: number, fh: number, fw: number,
  sh: number, sw: number, pt: number, pl: number,
): void {
  const patch = fh * fw * C;
  let row = 0;
  for (let b = 0; b < B; b++) {
    const bBase = b * H;
    for (let y = 0; y < OH; y++) {
      const h0 = y * sh - pt;
      for (let xx = 0; xx < OW; xx++, row += patch) {
        const w0 = xx * sw - pl;
        for (let i = 0; i < fh; i++) {
          const h = h0 + i;
          if (h < 0 || h >= H) continue;
          const rowBase = (bBase + h) * W;
          for (let j = 0; j < fw; j++) {
            const w = w0 + j;
            if (w < 0 || w >= W) continue;
            let src = row + (i * fw + j) * C;
            let dst = (rowBase + w) * C;
            for (let c = 0; c < C; c++) dx[dst++] += cols[src++];
          }
        }
      }
    }
  }
}

interface Residue {
  /** Number of taps (0: these output rows get no contribution). */
  K: number;
  /** First tap i0. */
  i0: number;
  padBefore: number;
  padAfter: number;
}

/** Per-axis split of a strided transposed conv into stride-1 convs (see the file comment). */
function residues(s: number, f: number, p: number, outLen: number, inLen: number): Residue[] | null {
  const Q = Math.ceil(outLen / s);
  const res: Residue[] = [];
  for (let r = 0; r < s; r++) {
    const i0 = (r + p) % s;
    const K = i0 >= f ? 0 : Math.ceil((f - i0) / s);
    const d = (r + p - i0) / s;
    const padBefore = K - 1 - d;
    const padAfter = Q - inLen - padBefore + K - 1;
    if (K > 0 && (padBefore < 0 || padAfter < 0)) return null;
    res.push({ K, i0, padBefore, padAfter });
  }
  return res;
}

function subPixelInputGrad(
  be: BackendWasm, dy: TensorInfo, filter: TensorInfo, inputShape: number[],
  sh: number, sw: number, top: number, left: number,
): TensorInfo | null {
  const [B, H, W, C] = inputShape;
  const [fh, fw, , O] = filter.shape;
  const [, OH, OW] = dy.shape;
  const rh = residues(sh, fh, top, H, OH);
  const rw = residues(sw, fw, left, W, OW);
  if (!rh || !rw) return null;
  const Qh = Math.ceil(H / sh);
  const Qw = Math.ceil(W / sw);
  let wPlain: Float32Array | null = null;
  const dxPlain = scratchF32('input gradient', B * H * W * C);
  // Every position of dX belongs to one residue class; those of a class without taps stay 0.
  if (rh.some((r) => r.K === 0) || rw.some((r) => r.K === 0)) dxPlain.fill(0);
  for (let a = 0; a < sh; a++) {
    for (let c2 = 0; c2 < sw; c2++) {
      const ra = rh[a];
      const rb = rw[c2];
      if (ra.K === 0 || rb.K === 0) continue;
      // Sub-filter [Kh, Kw, O, C]: sub[t,u,o,c] = W[i0h + sh*(Kh-1-t), i0w + sw*(Kw-1-u), c, o].
      const key = `subpixel ${sh} ${sw} ${ra.i0} ${rb.i0} ${ra.K} ${rb.K}`;
      const subT = derivedFrom(be, filter, key, () => {
        wPlain ??= f32(be, filter).slice();
        const sub = new Float32Array(ra.K * rb.K * O * C);
        for (let t = 0; t < ra.K; t++) {
          const i = ra.i0 + sh * (ra.K - 1 - t);
          for (let u = 0; u < rb.K; u++) {
            const j = rb.i0 + sw * (rb.K - 1 - u);
            const src = (i * fw + j) * C * O;
            const dst = (t * rb.K + u) * O * C;
            for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) sub[dst + o * C + c] = wPlain![src + c * O + o];
          }
        }
        const made = be.makeOutput([ra.K, rb.K, O, C], 'float32');
        f32(be, made).set(sub);
        return made;
      });
      const part = callStock(be, tf.Conv2D, { x: dy, filter: subT }, {
        strides: [1, 1], pad: [[0, 0], [ra.padBefore, ra.padAfter], [rb.padBefore, rb.padAfter], [0, 0]], dataFormat: 'NHWC', dilations: [1, 1],
      });
      const pv = scratchCopy(be, part, 'sub-conv output'); // [B, Qh, Qw, C]
      dispose(be, part);
      for (let b = 0; b < B; b++) {
        for (let q = 0; q < Qh; q++) {
          const h = q * sh + a;
          if (h >= H) break;
          for (let pp = 0; pp < Qw; pp++) {
            const w = pp * sw + c2;
            if (w >= W) break;
            const src = ((b * Qh + q) * Qw + pp) * C;
            const dst = ((b * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) dxPlain[dst + c] = pv[src + c];
          }
        }
      }
    }
  }
  const dx = be.makeOutput([B, H, W, C], 'float32');
  f32(be, dx).set(dxPlain);
  return dx;
}

function conv2dBackpropInput({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs }): TensorInfo {
  const be = asWasm(backend);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as ConvAttrs & { inputShape: number[] };
  const K = tf.Conv2DBackpropInput;
  checkNHWC(K, dataFormat);
  require_(dy.shape.length === 4 && filter.shape.length === 4, K, () => `dy and filter must be rank 4, got [${dy.shape}] and [${filter.shape}]`);
  require_(inputShape.length === 4, K, () => `inputShape must be [batch, height, width, channels], got [${inputShape}]`);
  const info = tf.backend_util.computeConv2DInfo(inputShape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  require_(
    dy.shape[0] === inputShape[0] && dy.shape[1] === info.outHeight && dy.shape[2] === info.outWidth && dy.shape[3] === info.outChannels,
    K, () => `dy has shape [${dy.shape}] but a conv of input [${inputShape}] with filter [${filter.shape}] gives [${info.outShape}]`);
  require_(filter.shape[2] === inputShape[3], K, () => `filter in-channels ${filter.shape[2]} differ from input channels ${inputShape[3]}`);
  const native = nativeConv2dInputGrad(be, dy, filter, info);
  if (native) return native;
  const [B, H, W, C] = inputShape;
  const [fh, fw, , O] = filter.shape;
  const { top, left, bottom, right } = info.padInfo;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const pt2 = fh - 1 - top;
  const pb2 = fh - 1 - bottom;
  const pl2 = fw - 1 - left;
  const pr2 = fw - 1 - right;
  if (sh === 1 && sw === 1 && pt2 >= 0 && pb2 >= 0 && pl2 >= 0 && pr2 >= 0) {
    const wt = derivedFrom(be, filter, 'flipped, in/out swapped', () => {
      const flipped = callStock(be, tf.Reverse, { x: filter }, { dims: [0, 1] });
      const t = transpose(be, flipped, [0, 1, 3, 2]);
      dispose(be, flipped);
      return t;
    });
    return callStock(be, tf.Conv2D, { x: dy, filter: wt }, {
      strides: [1, 1], pad: [[0, 0], [pt2, pb2], [pl2, pr2], [0, 0]], dataFormat: 'NHWC', dilations: [1, 1],
    });
  }
  // With few input channels (an image layer) the sub-convs would have a handful of output
  // channels, which XNNPACK runs poorly; the matmul + col2im form is faster there.
  const split = C >= 8 ? subPixelInputGrad(be, dy, filter, inputShape, sh, sw, top, left) : null;
  if (split) return split;
  const OH = dy.shape[1];
  const OW = dy.shape[2];
  const dy2 = reshape(be, dy, [1, B * OH * OW, O]);
  const wT = derivedFrom(be, filter, 'patch-major transpose', () => {
    const w2 = reshape(be, filter, [1, fh * fw * C, O]);
    const t = transpose(be, w2, [0, 2, 1]);
    dispose(be, w2);
    return t;
  });
  const cols = callStock(be, tf.BatchMatMul, { a: dy2, b: wT }, { transposeA: false, transposeB: false });
  dispose(be, dy2);
  const dx = be.makeOutput([B, H, W, C], 'float32');
  // Loops over wasm-heap views run ~4x slower than over plain arrays; copies are cheap.
  const dxPlain = scratchF32('input gradient', B * H * W * C).fill(0);
  col2im(scratchCopy(be, cols, 'patches'), dxPlain, B, H, W, C, OH, OW, fh, fw, sh, sw, top, left);
  f32(be, dx).set(dxPlain);
  dispose(be, cols);
  return dx;
}

export const conv2dBackpropFilterKernel: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilter as tf.KernelFunc,
};
export const conv2dBackpropInputKernel: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc: conv2dBackpropInput as tf.KernelFunc,
};
