/**
 * The Lipschitz bound of a conv net must use each convolution's operator norm on its real
 * input size. Reference: the convolution written out as a dense matrix (by hand, from the
 * definition of 'same'/'valid' padding and strides) and its largest singular value.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { convOperatorNorm, kernelSpectralNorm, largestSingularValue, networkLipschitzBound, spectralNormalization } from '../../../kernel-helpers/src/lipschitz';
import { conv2d } from '../../../kernel-helpers/src/nn/conv2d';
import { conv2dTranspose } from '../../../kernel-helpers/src/nn/conv2dTranspose';
import { dense } from '../../../kernel-helpers/src/nn/dense';
import { sequential } from '../../../kernel-helpers/src/nn/net';
import { flattenLayer } from '../../../kernel-helpers/src/nn/reshapeLayers';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

type Pad = 'same' | 'valid';

function axis(size: number, k: number, s: number, pad: Pad): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.floor((size - k) / s) + 1, before: 0 };
  const out = Math.ceil(size / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
}

/** The convolution as a matrix: rows index output (i, j, o), columns input (y, x, c), both row-major. */
function convMatrix(k: number[][][][], inSize: [number, number], s: number, pad: Pad): number[][] {
  const kh = k.length;
  const kw = k[0].length;
  const cin = k[0][0].length;
  const cout = k[0][0][0].length;
  const [H, W] = inSize;
  const ay = axis(H, kh, s, pad);
  const ax = axis(W, kw, s, pad);
  const rows: number[][] = [];
  for (let i = 0; i < ay.out; i++) {
    for (let j = 0; j < ax.out; j++) {
      for (let o = 0; o < cout; o++) {
        const row = new Array<number>(H * W * cin).fill(0);
        for (let di = 0; di < kh; di++) {
          for (let dj = 0; dj < kw; dj++) {
            const y = i * s - ay.before + di;
            const x = j * s - ax.before + dj;
            if (y < 0 || y >= H || x < 0 || x >= W) continue;
            for (let c = 0; c < cin; c++) row[(y * W + x) * cin + c] += k[di][dj][c][o];
          }
        }
        rows.push(row);
      }
    }
  }
  return rows;
}

function kernelValues(shape: [number, number, number, number], seed: number, mean: number): tf.Tensor4D {
  const r = rng(seed);
  return tf.tensor4d(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => mean + 0.5 * r.normal()), shape);
}

const geometries: { strides: number; padding: Pad }[] = [
  { strides: 1, padding: 'same' },
  { strides: 2, padding: 'same' },
  { strides: 1, padding: 'valid' },
  { strides: 2, padding: 'valid' },
];

test('convOperatorNorm is the largest singular value of the convolution matrix; the reshaped-kernel figure is below it', async () => {
  const kernel = kernelValues([3, 3, 2, 3], 4, 0.3);
  const k = kernel.arraySync() as number[][][][];
  const x = tf.tensor4d(Array.from({ length: 128 }, (_, i) => Math.sin(i * 0.7)), [1, 8, 8, 2]);
  const reshaped = await kernelSpectralNorm(kernel);
  for (const g of geometries) {
    const A = convMatrix(k, [8, 8], g.strides, g.padding);
    // The matrix is the convolution tfjs computes.
    const y = tf.conv2d(x, kernel, g.strides, g.padding).dataSync();
    const xs = x.dataSync();
    A.forEach((row, r) => assert.ok(Math.abs(row.reduce((s, a, c) => s + a * xs[c], 0) - y[r]) < 1e-4, `${JSON.stringify(g)}: matrix row ${r}`));
    const exact = largestSingularValue(A);
    const norm = await convOperatorNorm(kernel, { inputSize: [8, 8], ...g });
    assert.ok(Math.abs(norm - exact) <= 1e-3 * exact, `${JSON.stringify(g)}: power iteration ${norm} vs exact ${exact}`);
    assert.ok(reshaped < exact, `${JSON.stringify(g)}: the reshaped-kernel norm ${reshaped} is not below the operator norm ${exact}`);
  }
  tf.dispose([kernel, x]);
});

test('networkLipschitzBound on a conv net: each conv on its traced input size, strides and padding', async () => {
  const c1 = conv2d({ name: 'c1', inChannels: 2, filters: 3, kernelSize: 3, strides: 2, padding: 'same', inputSize: [8, 8], activation: 'relu', seed: 1 });
  const c2 = conv2d({ name: 'c2', inChannels: 3, filters: 4, kernelSize: 3, strides: 1, padding: 'valid', inputSize: [4, 4], seed: 2 });
  const net = sequential('D', [c1, c2, flattenLayer([2, 2, 4]), dense({ name: 'out', inUnits: 16, units: 1, seed: 3 })]);
  // Positive-mean kernels: the regime where the reshaped norm falls short of the conv's.
  c1.variables[0].assign(kernelValues([3, 3, 2, 3], 5, 0.4));
  c2.variables[0].assign(kernelValues([3, 3, 3, 4], 6, 0.4));
  const { bound, layerNorms } = await networkLipschitzBound(net);
  const exact1 = largestSingularValue(convMatrix(c1.variables[0].arraySync() as number[][][][], [8, 8], 2, 'same'));
  const exact2 = largestSingularValue(convMatrix(c2.variables[0].arraySync() as number[][][][], [4, 4], 1, 'valid'));
  const dense3 = largestSingularValue(net.variables[4].arraySync() as number[][]);
  assert.equal(layerNorms.length, 3);
  assert.ok(Math.abs(layerNorms[0] - exact1) <= 1e-3 * exact1, `c1 ${layerNorms[0]} vs ${exact1}`);
  assert.ok(Math.abs(layerNorms[1] - exact2) <= 1e-3 * exact2, `c2 ${layerNorms[1]} vs ${exact2}`);
  assert.ok(Math.abs(layerNorms[2] - dense3) <= 1e-4 * dense3);
  assert.ok(Math.abs(bound - exact1 * exact2 * dense3) <= 2e-3 * bound);
  // Each layer's old figure (its kernel reshaped to a matrix) is below that layer's own Lipschitz constant.
  assert.ok((await kernelSpectralNorm(c1.variables[0])) < exact1 && (await kernelSpectralNorm(c2.variables[0])) < exact2);
  // No slope of the net exceeds the bound.
  const r = rng(9);
  for (let i = 0; i < 16; i++) {
    const x = tf.tensor4d(Array.from({ length: 128 }, () => 1 + 0.5 * r.normal()), [1, 8, 8, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(net.apply(t)))(x);
    const slope = tf.norm(g).arraySync() as number;
    assert.ok(slope <= bound * (1 + 1e-4), `observed slope ${slope} above the bound ${bound}`);
    tf.dispose([x, g]);
  }
  net.dispose?.();
});

test('networkLipschitzBound traces through spectral normalisation and transposed convolutions', async () => {
  const sn = spectralNormalization({ iterations: 30, seed: 1 });
  const up = conv2dTranspose({ name: 'up', inChannels: 3, filters: 2, kernelSize: 3, strides: 2, inputSize: [4, 4], seed: 4, weightTransform: sn });
  const c = conv2d({ name: 'c', inChannels: 2, filters: 2, kernelSize: 3, inputSize: [8, 8], seed: 5, weightTransform: sn });
  const net = sequential('G', [up, c]);
  const { layerNorms } = await networkLipschitzBound(net, { divisor: (w) => sn.sigmaOf(w) });
  // The transposed conv is the adjoint of the conv from its 8x8 output to its 4x4 input: same norm.
  const w = up.variables[0];
  const exactUp = largestSingularValue(convMatrix(w.arraySync() as number[][][][], [8, 8], 2, 'same'));
  const exactC = largestSingularValue(convMatrix(c.variables[0].arraySync() as number[][][][], [8, 8], 1, 'same'));
  const sigmaUp = (await sn.sigmaOf(w))!;
  const sigmaC = (await sn.sigmaOf(c.variables[0]))!;
  assert.ok(Math.abs(layerNorms[0] - exactUp / sigmaUp) <= 1e-3 * layerNorms[0], `up ${layerNorms[0]} vs ${exactUp / sigmaUp}`);
  assert.ok(Math.abs(layerNorms[1] - exactC / sigmaC) <= 1e-3 * layerNorms[1], `c ${layerNorms[1]} vs ${exactC / sigmaC}`);
  // Spectral normalisation makes the reshaped kernels 1, not the convolutions.
  assert.ok(layerNorms[1] > 1.05, `SN conv operator norm ${layerNorms[1]}`);
  net.dispose?.();
});

test('networkLipschitzBound: MLPs need no input shape; conv nets say what they need', async () => {
  const mlp = sequential('M', [dense({ inUnits: 2, units: 4, seed: 1 }), dense({ inUnits: 4, units: 1, seed: 2 })]);
  assert.equal((await networkLipschitzBound({ variables: mlp.variables })).layerNorms.length, 2);
  const open = conv2d({ name: 'open', inChannels: 1, filters: 2, kernelSize: 3, seed: 1 });
  await assert.rejects(networkLipschitzBound(open), /networkLipschitzBound: opts\.inputShape must be the per-example input shape/);
  assert.ok((await networkLipschitzBound(open, { inputShape: [6, 6, 1] })).bound > 0);
  await assert.rejects(networkLipschitzBound({ variables: open.variables }, { inputShape: [6, 6, 1] }), /must have an apply method/);
  const grouped = conv2d({ name: 'g', inChannels: 4, filters: 4, kernelSize: 3, groups: 2, inputSize: [6, 6], seed: 1 });
  await assert.rejects(networkLipschitzBound(grouped), /only kernels used once, with their own shape/);
  await assert.rejects(convOperatorNorm(tf.zeros([3, 3]), { inputSize: [4, 4] }), /convOperatorNorm: kernel must be a rank-4 tensor/);
  await assert.rejects(convOperatorNorm(tf.zeros([3, 3, 1, 1]), { inputSize: [4, 0] }), /geometry\.inputSize\[1\] must be a positive integer/);
  [mlp, open, grouped].forEach((n) => n.dispose?.());
});
