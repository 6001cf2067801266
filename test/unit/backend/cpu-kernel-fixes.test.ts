import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { cpuKernelFixes } from '../../../kernel-helpers/src/backend/cpuKernels';
import { useBackend, values } from './backend-compare';

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `${label}: [${i}] = ${got[i]}, expected ${want[i]}`);
  }
}

test('the corrected kernels are the registered cpu kernels', () => {
  for (const k of cpuKernelFixes) assert.equal(tf.getKernel(k.kernelName, 'cpu')?.kernelFunc, k.kernelFunc, k.kernelName);
});

// ---- ResizeNearestNeighborGrad ---------------------------------------------------------

interface ResizeCase { shape: [number, number, number, number]; size: [number, number]; alignCorners: boolean; halfPixelCenters: boolean }

/** Index of the input row/column that output index i copies (TensorFlow's nearest-neighbour rule). */
function sourceIndex(i: number, inSize: number, outSize: number, align: boolean, half: boolean): number {
  const scale = align && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  const x = half ? (i + 0.5) * scale : i * scale;
  const j = Math.min(inSize - 1, align ? Math.round(x) : Math.floor(x));
  return Math.max(0, j);
}

/** dL/dimages for L = sum(resize(images) * r): every output's weight goes back to its source pixel. */
function resizeGradReference(c: ResizeCase, r: Float32Array): Float32Array {
  const [B, H, W, C] = c.shape;
  const [OH, OW] = c.size;
  const dx = new Float32Array(B * H * W * C);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        const si = sourceIndex(i, H, OH, c.alignCorners, c.halfPixelCenters);
        const sj = sourceIndex(j, W, OW, c.alignCorners, c.halfPixelCenters);
        for (let ch = 0; ch < C; ch++) dx[((b * H + si) * W + sj) * C + ch] += r[((b * OH + i) * OW + j) * C + ch];
      }
    }
  }
  return dx;
}

const resizeCases: ResizeCase[] = [
  { shape: [3, 3, 4, 2], size: [7, 5], alignCorners: false, halfPixelCenters: false },
  { shape: [3, 3, 4, 2], size: [7, 5], alignCorners: true, halfPixelCenters: false },
  { shape: [2, 6, 6, 3], size: [4, 3], alignCorners: false, halfPixelCenters: false },
  { shape: [2, 6, 5, 1], size: [3, 9], alignCorners: true, halfPixelCenters: false },
  { shape: [3, 3, 4, 2], size: [7, 5], alignCorners: false, halfPixelCenters: true },
  { shape: [2, 6, 6, 3], size: [4, 3], alignCorners: false, halfPixelCenters: true },
];

function resizeGradOn(c: ResizeCase, xv: Float32Array, rv: Float32Array): { dx: Float32Array; forward: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.shape);
    const r = tf.tensor(rv, [c.shape[0], ...c.size, c.shape[3]]);
    const f = (t: tf.Tensor) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, c.size, c.alignCorners, c.halfPixelCenters);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), r)))(x);
    return { dx: Float32Array.from(dx.dataSync()), forward: Float32Array.from(f(x).dataSync()) };
  });
}

test('cpu ResizeNearestNeighborGrad matches a hand-written reference for batch > 1, and is the adjoint of the forward', async () => {
  await useBackend('cpu');
  for (const [k, c] of resizeCases.entries()) {
    const xv = values(c.shape.reduce((a, b) => a * b, 1), 70 + k);
    const rv = values(c.shape[0] * c.size[0] * c.size[1] * c.shape[3], 90 + k);
    const { dx, forward } = resizeGradOn(c, xv, rv);
    const label = `cpu, ${JSON.stringify(c)}`;
    assertClose(dx, resizeGradReference(c, rv), 1e-5, label);
    // <resize(x), r> = <x, resize^T(r)> with cpu's own forward pass.
    const lhs = forward.reduce((s, v, i) => s + v * rv[i], 0);
    const rhs = dx.reduce((s, v, i) => s + v * xv[i], 0);
    assert.ok(Math.abs(lhs - rhs) < 1e-4 * Math.max(1, Math.abs(lhs)), `${label}: adjoint ${lhs} vs ${rhs}`);
  }
});

test('cpu ResizeNearestNeighborGrad agrees with wasm (without half-pixel centres, which wasm ignores)', async () => {
  for (const [k, c] of resizeCases.entries()) {
    if (c.halfPixelCenters) continue;
    const xv = values(c.shape.reduce((a, b) => a * b, 1), 70 + k);
    const rv = values(c.shape[0] * c.size[0] * c.size[1] * c.shape[3], 90 + k);
    await useBackend('cpu');
    const cpu = resizeGradOn(c, xv, rv).dx;
    await useBackend('wasm');
    const wasm = resizeGradOn(c, xv, rv).dx;
    assertClose(cpu, wasm, 1e-5, `cpu vs wasm, ${JSON.stringify(c)}`);
  }
});

// ---- Transform (tf.image.transform) ------------------------------------------------------

type Interp = 'nearest' | 'bilinear';
type Fill = 'constant' | 'reflect' | 'wrap' | 'nearest';

function transformOn(xv: Float32Array, shape: [number, number, number, number], t: number[][], interp: Interp, fill: Fill, fillValue: number, outputShape?: [number, number]): Float32Array {
  return tf.tidy(() => Float32Array.from(
    tf.image.transform(tf.tensor4d(xv, shape), tf.tensor2d(t), interp, fill, fillValue, outputShape).dataSync()));
}

test('cpu Transform matches a hand-written reference for batch > 1 (per-image translations, nearest and bilinear)', async () => {
  await useBackend('cpu');
  const shape: [number, number, number, number] = [3, 5, 6, 2];
  const [B, H, W, C] = shape;
  const xv = values(B * H * W * C, 7);
  const at = (b: number, y: number, x: number, c: number) => ((b * H + y) * W + x) * C + c;
  const fillValue = -3;
  // Output (y, x) reads input (y + dy_b, x + dx_b): integer shifts for nearest, half pixels for bilinear.
  const shifts = [[1, 0], [-2, 1], [0, -1]];
  const nearest = transformOn(xv, shape, shifts.map(([dx, dy]) => [1, 0, dx, 0, 1, dy, 0, 0]), 'nearest', 'constant', fillValue);
  const half = transformOn(xv, shape, shifts.map(([dx, dy]) => [1, 0, dx + 0.5, 0, 1, dy, 0, 0]), 'bilinear', 'constant', fillValue);
  const read = (b: number, y: number, x: number, c: number) => (y >= 0 && y < H && x >= 0 && x < W ? xv[at(b, y, x, c)] : fillValue);
  const wantNearest: number[] = [];
  const wantHalf: number[] = [];
  for (let b = 0; b < B; b++) {
    const [dx, dy] = shifts[b];
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let c = 0; c < C; c++) {
          wantNearest.push(read(b, y + dy, x + dx, c));
          wantHalf.push((read(b, y + dy, x + dx, c) + read(b, y + dy, x + dx + 1, c)) / 2);
        }
      }
    }
  }
  assertClose(nearest, wantNearest, 0, 'nearest');
  assertClose(half, wantHalf, 1e-6, 'bilinear');
  // One transform for the whole batch, and an output size of its own.
  const shared = transformOn(xv, shape, [[1, 0, 1, 0, 1, 0, 0, 0]], 'nearest', 'constant', 0, [4, 3]);
  const wantShared: number[] = [];
  for (let b = 0; b < B; b++) for (let y = 0; y < 4; y++) for (let x = 0; x < 3; x++) for (let c = 0; c < C; c++) wantShared.push(xv[at(b, y, x + 1, c)]);
  assertClose(shared, wantShared, 0, 'shared transform, output [4, 3]');
  // Fill modes for integer shifts of up to 2 pixels: reflect (dcba|abcd|dcba), wrap, clamp.
  const modes: Record<'reflect' | 'wrap' | 'nearest', (i: number, n: number) => number> = {
    reflect: (i, n) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i),
    wrap: (i, n) => (i + n) % n,
    nearest: (i, n) => Math.min(Math.max(i, 0), n - 1),
  };
  const far = [[-2, 1], [2, -2], [1, 2]];
  for (const [mode, map] of Object.entries(modes) as [keyof typeof modes, (i: number, n: number) => number][]) {
    const got = transformOn(xv, shape, far.map(([dx, dy]) => [1, 0, dx, 0, 1, dy, 0, 0]), 'nearest', mode, fillValue);
    const want: number[] = [];
    for (let b = 0; b < B; b++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          for (let c = 0; c < C; c++) want.push(xv[at(b, map(y + far[b][1], H), map(x + far[b][0], W), c)]);
        }
      }
    }
    assertClose(got, want, 0, `fill mode ${mode}`);
  }
});

// wasm's 'reflect' maps coordinates left of or above the image as 'wrap' does (a wasm bug of
// its own, outside the course's use), so it is checked against the reference above only.
test('cpu Transform agrees with wasm on projective maps (constant, wrap, nearest fill) and both interpolations', async () => {
  const shape: [number, number, number, number] = [3, 6, 7, 2];
  const xv = values(shape.reduce((a, b) => a * b, 1), 11);
  // Coefficients with no exact half-pixel landings, where float32 (wasm) and float64 (cpu) may round apart.
  const maps = [
    [0.913, 0.207, -0.731, -0.153, 1.109, 0.437, 0.0113, -0.0217],
    [1.317, -0.291, 2.213, 0.253, 0.811, -1.619, -0.0149, 0.0203],
    [-1.003, 0.0071, 6.337, 0.0037, 1.213, -0.913, 0.0011, 0.0307],
  ];
  for (const interp of ['nearest', 'bilinear'] as const) {
    for (const fill of ['constant', 'wrap', 'nearest'] as const) {
      await useBackend('cpu');
      const cpu = transformOn(xv, shape, maps, interp, fill, 0.5);
      await useBackend('wasm');
      const wasm = transformOn(xv, shape, maps, interp, fill, 0.5);
      assertClose(cpu, wasm, 1e-5, `${interp}/${fill}`);
    }
  }
});
