/**
 * Fourier-feature input: frequencies inside the bandwidth, the closed form on the pixel grid,
 * exact translation and rotation, learned frequencies, errors, wasm against cpu.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { fourierFeatures } from '../../../kernel-helpers/src/nn/fourierFeatures';
import { assertSameOnBackends, tensor, useBackend } from '../backend/backend-compare';

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('drawn frequencies lie inside the bandwidth and fill it', async () => {
  await useBackend('cpu');
  for (const seed of [1, 2, 3]) {
    const F = fourierFeatures({ size: 8, channels: 256, bandwidth: 2, samplingRate: 16, seed });
    const f = await F.frequencies();
    assert.equal(f.length, 128);
    const radii = f.map(([x, y]) => Math.hypot(x, y));
    assert.ok(Math.max(...radii) <= 2, `max |f| = ${Math.max(...radii)}`);
    // Uniform in the disc: P(|f| < B/2) = 1/4; with 128 draws, well inside [0.1, 0.4].
    const inner = radii.filter((r) => r < 1).length / radii.length;
    assert.ok(inner > 0.1 && inner < 0.4, `fraction inside half the bandwidth: ${inner}`);
    F.dispose!();
  }
});

test('features are sin and cos of 2 pi f . p on the centred pixel grid', async () => {
  await useBackend('cpu');
  const freqs: [number, number][] = [[1.5, -0.5], [0, 2], [-1, 1]];
  const F = fourierFeatures({ size: [6, 8], channels: 6, bandwidth: 3, samplingRate: 8, frequencies: freqs });
  near(F.grid.x[0], (0.5 - 4) / 8, 1e-7, 'x of column 0');
  near(F.grid.y[5], (5.5 - 3) / 8, 1e-7, 'y of row 5');
  const y = F.apply(tf.zeros([2, 5]));
  assert.deepEqual(y.shape, [2, 6, 8, 6]);
  const v = y.arraySync() as number[][][][];
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 8; j++)
      freqs.forEach(([fx, fy], k) => {
        const ph = 2 * Math.PI * (fx * (j + 0.5 - 4) / 8 + fy * (i + 0.5 - 3) / 8);
        near(v[1][i][j][k], Math.sin(ph), 1e-5, `sin channel ${k} at (${i}, ${j})`);
        near(v[1][i][j][3 + k], Math.cos(ph), 1e-5, `cos channel ${k} at (${i}, ${j})`);
      });
  y.dispose();
  F.dispose!();
});

test('translating by whole pixels shifts the features by those pixels; any translation is the closed form', async () => {
  await useBackend('cpu');
  const sr = 10;
  const F = fourierFeatures({ size: 10, channels: 8, bandwidth: 5, samplingRate: sr, transform: true, seed: 4 });
  const [kx, ky] = [3, -2];
  const out = F.apply(tf.tensor2d([[1, 0, 0, 0], [1, 0, kx / sr, ky / sr], [1, 0, 0.037, -0.21]])).arraySync() as number[][][][];
  for (let i = 0; i < 10; i++)
    for (let j = 0; j < 10; j++) {
      const si = i - ky;
      const sj = j - kx;
      if (si < 0 || si >= 10 || sj < 0 || sj >= 10) continue;
      for (let c = 0; c < 8; c++) near(out[1][i][j][c], out[0][si][sj][c], 2e-5, `shifted (${i}, ${j}) channel ${c}`);
    }
  const f = await F.frequencies();
  for (let i = 0; i < 10; i++)
    for (let j = 0; j < 10; j++)
      f.forEach(([fx, fy], c) => {
        const ph = 2 * Math.PI * (fx * ((j + 0.5 - 5) / sr - 0.037) + fy * ((i + 0.5 - 5) / sr + 0.21));
        near(out[2][i][j][c], Math.sin(ph), 2e-5, `translated sin (${i}, ${j}) ${c}`);
      });
  F.dispose!();
});

test('rotating by 90 degrees rotates the feature maps; (cos, sin) is normalised', async () => {
  await useBackend('cpu');
  const n = 8;
  const F = fourierFeatures({ size: n, channels: 6, bandwidth: 3, transform: true, seed: 5 });
  // Rows: identity; a quarter turn; the same quarter turn given as (0, 2).
  const out = F.apply(tf.tensor2d([[1, 0, 0, 0], [0, 1, 0, 0], [0, 2, 0, 0]])).arraySync() as number[][][][];
  // Content rotated by R: out(p) = base(R^-1 p), and R^-1 (x, y) = (y, -x) maps pixel (i, j) to (n-1-j, i).
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let c = 0; c < 6; c++) {
        near(out[1][i][j][c], out[0][n - 1 - j][i][c], 2e-5, `rotated (${i}, ${j}) ${c}`);
        near(out[2][i][j][c], out[1][i][j][c], 1e-6, `normalised (${i}, ${j}) ${c}`);
      }
  F.dispose!();
});

test('learned frequencies start where asked, train, and cannot leave the bandwidth', async () => {
  await useBackend('cpu');
  const freqs: [number, number][] = [[0.5, 0.25], [-1, 0]];
  const F = fourierFeatures({ size: 4, channels: 4, bandwidth: 2, frequencies: freqs, learnFrequencies: true });
  assert.equal(F.variables.length, 1);
  (await F.frequencies()).forEach(([fx, fy], k) => {
    near(fx, freqs[k][0], 1e-6, `fx ${k}`);
    near(fy, freqs[k][1], 1e-6, `fy ${k}`);
  });
  const target = tensor([1, 4, 4, 4], 3);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(F.apply(tf.zeros([1, 1])), target)) as tf.Scalar, F.variables);
  assert.ok(Math.max(...Array.from(grads[F.variables[0].name].dataSync()).map(Math.abs)) > 1e-3, 'the frequencies receive a gradient');
  // However far training pushes the stored parameters, |f| stays below the bandwidth.
  F.variables[0].assign(tf.tensor2d([[1e4, -3e4], [-50, 80]]));
  for (const [fx, fy] of await F.frequencies()) assert.ok(Math.hypot(fx, fy) < 2, `|f| = ${Math.hypot(fx, fy)}`);
  const copy = F.clone!('F2');
  assert.deepEqual(Array.from(copy.variables[0].dataSync()), Array.from(F.variables[0].dataSync()));
  const a = F.apply(tf.zeros([1, 1]));
  const b = copy.apply(tf.zeros([1, 1]));
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
  tf.dispose([target, a, b, ...Object.values(grads)]);
  F.dispose!();
  copy.dispose!();
});

test('fourierFeatures errors name the layer and the argument', async () => {
  await useBackend('cpu');
  const f = fourierFeatures;
  assert.throws(() => f({ size: 8, channels: 5, bandwidth: 2, name: 'G/input' }), /G\/input: channels must be even \(a sin and a cos per frequency\), got 5/);
  assert.throws(() => f({ size: 8, channels: 0, bandwidth: 2 }), /fourierFeatures: channels must be a positive integer, got 0/);
  assert.throws(() => f({ size: [8, 0], channels: 4, bandwidth: 2 }), /size\[1\] \(width\) must be a positive integer, got 0/);
  assert.throws(() => f({ size: 8, channels: 4, bandwidth: 9, samplingRate: 16 }), /bandwidth must be in \(0, samplingRate\/2\] = \(0, 8\], got 9/);
  assert.throws(() => f({ size: 8, channels: 4, bandwidth: 0 }), /bandwidth must be in/);
  assert.throws(() => f({ size: 8, channels: 4, bandwidth: 1, frequencies: [[0.5, 0], [1, 1]] }), /frequencies\[1\] must be within the bandwidth \(\|f\| <= 1\), got \[1, 1\]/);
  assert.throws(() => f({ size: 8, channels: 4, bandwidth: 1, frequencies: [[0.5, 0]] }), /frequencies must be 2 pairs/);
  assert.throws(() => f({ size: 8, channels: 4, bandwidth: 1, bandwith: 2 } as never), /fourierFeatures: unknown option 'bandwith'/);
  const G = f({ size: 4, channels: 2, bandwidth: 1 });
  assert.throws(() => G.apply(tf.scalar(1)), /fourierFeatures: input must be a tensor with a batch axis, got \[\]/);
  G.dispose!();
  const F = f({ size: 4, channels: 2, bandwidth: 1, transform: true });
  assert.throws(() => F.apply(tf.zeros([2, 3])), /fourierFeatures: input must have shape \[batch, 4\], got \[2, 3\]/);
  F.dispose!();
});

test('fourier features: forward and gradients (transform and learned frequencies) match cpu on wasm', async () => {
  await assertSameOnBackends('fourierFeatures', () => {
    const F = fourierFeatures({ size: [6, 7], channels: 8, bandwidth: 2, samplingRate: 7, transform: true, learnFrequencies: true, seed: 9 });
    const t = tf.tensor2d([[0.8, 0.6, 0.1, -0.2], [1, 0.3, 0.5, 0.05]]);
    const r = tensor([2, 6, 7, 8], 4);
    const loss = (a: tf.Tensor) => tf.sum(tf.mul(F.apply(a), r)) as tf.Scalar;
    const y = F.apply(t);
    const dt = tf.grad(loss)(t);
    const { grads } = tf.variableGrads(() => loss(t), F.variables);
    const out = [y, dt, grads[F.variables[0].name]];
    F.dispose!();
    return out;
  });
});
