import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { assertSameOnBackends, tensor, useBackend, values } from './backend-compare';

test('tanh on wasm keeps float32 relative precision everywhere, near 0 included', async () => {
  await useBackend('wasm');
  // Large enough for the sigmoid route; magnitudes from 1e-8 to 30, both signs, and the
  // boundary of the Taylor branch (1/16).
  const n = 8192;
  const xs = new Float32Array(n);
  const base = values(n, 7);
  for (let i = 0; i < n; i++) xs[i] = Math.sign(base[i] || 1) * 10 ** (-8 + 9.5 * Math.abs(base[i]));
  xs[0] = 1 / 16; xs[1] = -1 / 16; xs[2] = 0; xs[3] = Math.fround(1 / 16 - 1e-9); xs[4] = 30; xs[5] = -30;
  const got = tf.tidy(() => tf.tanh(tf.tensor1d(xs)).dataSync());
  let worst = 0;
  let at = -1;
  for (let i = 0; i < n; i++) {
    const ref = Math.tanh(xs[i]);
    const err = Math.abs(got[i] - ref) / Math.max(Math.abs(ref), 1e-30);
    if (ref === 0 ? got[i] !== 0 : err > worst) { worst = ref === 0 ? Infinity : err; at = i; }
  }
  assert.ok(worst <= 4e-6, `tanh relative error ${worst} at x = ${xs[at]} (got ${got[at]}, exact ${Math.tanh(xs[at])})`);
});

test('tanh forward and gradient match cpu on small and large tensors', async () => {
  for (const shape of [[3, 5], [64, 28, 28, 1]]) {
    await assertSameOnBackends(`tanh [${shape}]`, () => {
      const x = tf.mul(tensor(shape, 11), 3);
      const y = tf.tanh(x);
      const r = tensor(shape, 12);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.tanh(a), r)))(x);
      return [y, dx];
    }, 1e-5);
  }
});

test('sum over leading axes (bias gradients) and every other reduction match cpu', async () => {
  const cases: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
    { shape: [64, 14, 14, 32], axis: [0, 1, 2], keepDims: false },
    { shape: [64, 14, 14, 32], axis: [2, 1, 0], keepDims: true },
    { shape: [256, 256], axis: 0, keepDims: false },
    { shape: [128, 40], axis: -2, keepDims: true },
    { shape: [64, 14, 14, 32], axis: [1, 2], keepDims: false },
    { shape: [64, 14, 14, 32], axis: 3, keepDims: false },
    { shape: [4, 3], axis: 0, keepDims: false },
    { shape: [64, 128], axis: [0, 1], keepDims: false },
  ];
  for (const c of cases) {
    await assertSameOnBackends(`sum [${c.shape}] axis ${JSON.stringify(c.axis)} keepDims ${c.keepDims}`, () => {
      const x = tensor(c.shape, 21);
      return [tf.sum(x, c.axis, c.keepDims)];
    });
  }
  await useBackend('wasm');
  const ints = tf.tidy(() => Array.from(tf.sum(tf.ones([100, 50], 'int32'), 0).dataSync()));
  assert.deepEqual(ints, new Array(50).fill(100), 'int32 sums take the stock kernel');
});
