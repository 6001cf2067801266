import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { assertSameOnBackends, tensor, useBackend } from './backend-compare';

test('slice as heap block copies matches cpu: contiguous, strided runs, every rank, offsets', async () => {
  const cases: { shape: number[]; begin: number[]; size: number[] }[] = [
    { shape: [66817], begin: [768], size: [65536] },
    { shape: [64, 24, 192], begin: [0, 5, 0], size: [64, 1, 192] },
    { shape: [64, 24, 192], begin: [3, 2, 0], size: [10, 7, 192] },
    { shape: [64, 192], begin: [0, 64], size: [64, 64] },
    { shape: [4, 6, 5, 40], begin: [1, 2, 1, 0], size: [2, 3, 4, 40] },
    { shape: [2, 3, 4, 5, 32], begin: [1, 0, 2, 1, 0], size: [1, 3, 2, 3, 32] },
    { shape: [300, 3], begin: [0, 1], size: [300, 1] }, // 300 runs of 1
    { shape: [32, 28, 28, 32], begin: [0, 0, 0, 16], size: [32, 28, 28, 16] }, // a channel group
    { shape: [5, 7], begin: [2, 0], size: [3, 7] },
    { shape: [8], begin: [3], size: [-1] },
  ];
  for (const c of cases) {
    await assertSameOnBackends(`slice [${c.shape}] begin [${c.begin}] size [${c.size}]`, () => {
      const x = tensor(c.shape, 31);
      const y = tf.slice(x, c.begin, c.size);
      const r = tensor(y.shape, 32);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.slice(a, c.begin, c.size), r)))(x);
      return [y, dx];
    }, 0);
  }
  await useBackend('wasm');
  const ints = tf.tidy(() => Array.from(tf.slice(tf.range(0, 60, 1, 'int32').reshape([3, 20]), [1, 0], [2, 20]).dataSync()));
  assert.deepEqual(ints, Array.from({ length: 40 }, (_, i) => 20 + i));
  const bools = tf.tidy(() => Array.from(tf.slice(tf.tensor1d([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1], 'bool'), [2], [16]).dataSync()));
  assert.deepEqual(bools, [1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1]);
});

test('split into unequal parts along every axis matches cpu', async () => {
  const cases: { shape: number[]; sizes: number | number[]; axis: number }[] = [
    { shape: [66817], sizes: [512, 256, 65536, 256, 256, 1], axis: 0 },
    { shape: [64, 192], sizes: 3, axis: 1 },
    { shape: [64, 24, 192], sizes: [10, 14], axis: 1 },
    { shape: [6, 4, 20], sizes: [1, 2, 3], axis: 0 },
    { shape: [50, 6], sizes: [2, -1], axis: 1 },
    { shape: [32, 28, 28, 32], sizes: 2, axis: 3 },
  ];
  for (const c of cases) {
    await assertSameOnBackends(`split [${c.shape}] ${JSON.stringify(c.sizes)} axis ${c.axis}`, () => tf.split(tensor(c.shape, 41), c.sizes, c.axis), 0);
  }
});

test('concat along every axis, with short and long blocks and an empty input, matches cpu', async () => {
  const cases: { shapes: number[][]; axis: number }[] = [
    { shapes: [[32, 28, 28, 16], [32, 28, 28, 16]], axis: 3 },
    { shapes: [[4, 3, 100], [4, 5, 100]], axis: 1 },
    { shapes: [[2, 3], [4, 3], [1, 3]], axis: 0 },
    { shapes: [[6, 2], [6, 0], [6, 5]], axis: 1 },
    { shapes: [[3, 70], [3, 64]], axis: 1 },
    { shapes: [[5], [7]], axis: 0 },
  ];
  for (const c of cases) {
    await assertSameOnBackends(`concat ${JSON.stringify(c.shapes)} axis ${c.axis}`, () => {
      const xs = c.shapes.map((s, i) => tensor(s, 60 + i));
      const y = tf.concat(xs, c.axis);
      const r = tensor(y.shape, 70);
      const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(tf.concat(a, c.axis), r)))(xs);
      return [y, ...grads];
    }, 0);
  }
  await useBackend('wasm');
  const ints = tf.tidy(() => Array.from(tf.concat([tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32'), tf.tensor2d([[5], [6]], undefined, 'int32')], 1).dataSync()));
  assert.deepEqual(ints, [1, 2, 5, 3, 4, 6]);
  const bools = tf.tidy(() => Array.from(tf.concat([tf.tensor1d([1, 0], 'bool'), tf.tensor1d([1], 'bool')]).dataSync()));
  assert.deepEqual(bools, [1, 0, 1], 'bool takes the stock kernel');
});
