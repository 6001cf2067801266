import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { assertSameOnBackends, tensor, useBackend } from './backend-compare';

test('leakyRelu forward and gradient on wasm match cpu (and the core formula)', async () => {
  await assertSameOnBackends('leakyRelu', () => {
    const x = tensor([4, 5, 6, 3], 1);
    const r = tensor([4, 5, 6, 3], 2);
    const y = tf.leakyRelu(x, 0.2);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(t, 0.2), r)))(x);
    const core = tf.where(tf.greater(x, 0), r, tf.mul(r, 0.2));
    return [y, g, core];
  }, 1e-6);
});

test('double backprop through leakyRelu is right on cpu and wasm (finite differences)', async () => {
  for (const be of ['cpu', 'wasm'] as const) {
    await useBackend(be);
    // f(w) = sum_i (d/dx_i sum_j c_j leaky(w_j x_j))^2, R1-style: the input gradient's squared norm.
    const x = tf.tensor1d([0.7, -1.3, 0.4, -0.2, 1.1]);
    const c = tf.tensor1d([0.5, -1.0, 2.0, 1.5, -0.3]);
    const penalty = (w: tf.Tensor) => {
      const gx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(c, tf.leakyRelu(tf.mul(w, xi), 0.2))))(x);
      return tf.sum(tf.square(gx));
    };
    const w0 = [0.9, 1.2, -0.8, 0.5, 1.4];
    const analytic = tf.grad(penalty)(tf.tensor1d(w0)).arraySync() as number[];
    const h = 1e-3;
    for (let k = 0; k < w0.length; k++) {
      const wp = w0.slice(); wp[k] += h;
      const wm = w0.slice(); wm[k] -= h;
      const fd = (penalty(tf.tensor1d(wp)).arraySync() as number - (penalty(tf.tensor1d(wm)).arraySync() as number)) / (2 * h);
      assert.ok(Math.abs(fd - analytic[k]) < 2e-3 * Math.max(1, Math.abs(fd)), `${be}: d/dw${k} analytic ${analytic[k]} vs finite difference ${fd}`);
    }
  }
});

test('Identity on wasm shares the buffer and survives disposal of the source', async () => {
  await useBackend('wasm');
  const a = tf.tensor1d([1, 2, 3]);
  const b = tf.clone(a);
  a.dispose();
  assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
  const v = tf.variable(tf.tensor1d([4, 5, 6]));
  const snapshot = tf.clone(v);
  v.assign(tf.tensor1d([7, 8, 9]));
  assert.deepEqual(Array.from(snapshot.dataSync()), [4, 5, 6]);
  tf.dispose([b, v, snapshot]);
});
