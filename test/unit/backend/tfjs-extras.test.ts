import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, floatMask, greaterMask, stopGradient } from '../../../kernel-helpers/src/backend';
import { useBackend } from './backend-compare';

const BACKENDS = ['cpu', 'wasm'] as const;

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `${label}: [${i}] = ${got[i]}, expected ${want[i]}`);
}

test('floatMask gives 0/1 float32 masks for every comparison, with broadcasting and ties', async () => {
  const a = [-1, 0, 0.5, 2, 2];
  const b = [0, 0, 1, 2, -3];
  const expect: Record<string, (x: number, y: number) => boolean> = {
    '>': (x, y) => x > y, '>=': (x, y) => x >= y, '<': (x, y) => x < y,
    '<=': (x, y) => x <= y, '==': (x, y) => x === y, '!=': (x, y) => x !== y,
  };
  for (const be of BACKENDS) {
    await useBackend(be);
    for (const [op, f] of Object.entries(expect)) {
      const m = tf.tidy(() => floatMask(tf.tensor1d(a), op as '>', tf.tensor1d(b)));
      assert.equal(m.dtype, 'float32');
      assert.deepEqual(Array.from(m.dataSync()), a.map((x, i) => (f(x, b[i]) ? 1 : 0)), `${be}: ${op}`);
      m.dispose();
    }
    const grid = tf.tidy(() => floatMask(tf.tensor2d([[1], [2], [3]]), '>=', tf.tensor1d([1, 2.5])).arraySync());
    assert.deepEqual(grid, [[1, 0], [1, 0], [1, 1]], `${be}: broadcast`);
    const ints = tf.tidy(() => greaterMask(tf.tensor1d([1, 5, 3], 'int32'), 3).arraySync());
    assert.deepEqual(ints, [0, 1, 0], `${be}: int32 input and a number`);
  }
  assert.throws(() => floatMask(tf.scalar(1), '=>' as '>', 0), /floatMask: op must be one of '>', '>=', '<', '<=', '==', '!=', got "=>"/);
  assert.throws(() => floatMask([1, 2] as unknown as tf.Tensor, '>', 0), /floatMask: a must be a tensor or a number/);
});

test('a comparison op on the tape makes tf.grad throw; floatMask in its place differentiates, at first and second order', async () => {
  for (const be of BACKENDS) {
    await useBackend(be);
    const x = tf.tensor1d([-1.5, -0.2, 0.3, 1.2]);
    const withGreater = (t: tf.Tensor) => tf.sum(tf.mul(tf.square(t), tf.cast(tf.greater(t, 0), 'float32')));
    assert.throws(() => tf.grad(withGreater)(x), /gradient function not found for Greater|Cannot compute gradient/, `${be}: the bug this helper fences off`);
    // f(x) = sum x^3 [x > 0]: f' = 3x^2 [x > 0], f'' = 6x [x > 0].
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.pow(t, 3), floatMask(t, '>', 0)));
    const g1 = tf.grad(f)(x);
    const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.grad(f)(t)))(x);
    const xs = x.arraySync() as number[];
    close(g1.dataSync(), xs.map((v) => (v > 0 ? 3 * v * v : 0)), 1e-5, `${be}: first order`);
    close(g2.dataSync(), xs.map((v) => (v > 0 ? 6 * v : 0)), 1e-4, `${be}: second order`);
    // Both sides of the comparison get a zero gradient.
    const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(floatMask(p, '<=', q)))([x, tf.zerosLike(x)]);
    close(ga.dataSync(), [0, 0, 0, 0], 0, `${be}: d mask / d a`);
    close(gb.dataSync(), [0, 0, 0, 0], 0, `${be}: d mask / d b`);
    tf.dispose([x, g1, g2, ga, gb]);
  }
});

test('stopGradient is the identity with zero gradient, at first and second order', async () => {
  for (const be of BACKENDS) {
    await useBackend(be);
    const x = tf.tensor1d([0.5, -1.25, 2]);
    const xs = x.arraySync() as number[];
    const y = stopGradient(x);
    assert.deepEqual(y.arraySync(), xs);
    assert.notEqual(y, x);
    // f(x) = sum x^2 sg(x): f' = 2 x sg(x) (2x^2 in value, not 3x^2); f'' along sum f' = 2 sg(x) = 2x (not 6x).
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.square(t), stopGradient(t)));
    close(tf.grad(f)(x).dataSync(), xs.map((v) => 2 * v * v), 1e-5, `${be}: first order`);
    close(tf.grad((t: tf.Tensor) => tf.sum(tf.grad(f)(t)))(x).dataSync(), xs.map((v) => 2 * v), 1e-5, `${be}: second order`);
    close(tf.grad((t: tf.Tensor) => tf.sum(stopGradient(t)))(x).dataSync(), [0, 0, 0], 0, `${be}: alone`);
    // The value keeps its shape and dtype.
    const m = stopGradient(tf.ones([2, 3]));
    assert.deepEqual(m.shape, [2, 3]);
    assert.equal(m.dtype, 'float32');
    tf.dispose([x, y, m]);
  }
  assert.throws(() => stopGradient(3 as unknown as tf.Tensor), /stopGradient: x must be a tensor, got 3/);
});
