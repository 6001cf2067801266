import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { embedding } from '../../../kernel-helpers/src/nn';
import { assertSameOnBackends, tensor, useBackend } from '../backend/backend-compare';

before(async () => {
  await useBackend('cpu');
});

test('embedding: each label picks its row of the table; float labels are cast', () => {
  const e = embedding({ inputDim: 4, outputDim: 3, seed: 1 });
  assert.deepEqual(e.inputShape, []);
  assert.deepEqual(e.outputShape, [3]);
  const table = e.variables[0].arraySync() as number[][];
  const labels = [2, 0, 2, 3];
  const y = e.apply(tf.tensor1d(labels, 'int32'));
  assert.deepEqual(y.shape, [4, 3]);
  assert.deepEqual(y.arraySync(), labels.map((l) => table[l]));
  const yf = e.apply(tf.tensor1d(labels, 'float32'));
  assert.deepEqual(yf.arraySync(), y.arraySync());
  tf.dispose([y, yf]);
  e.dispose!();
});

test('embedding gradient: row k receives the sum of the output gradients of the examples labelled k', () => {
  const e = embedding({ inputDim: 5, outputDim: 2, seed: 2 });
  const labels = tf.tensor1d([1, 3, 1, 1, 0], 'int32');
  const dy = tensor([5, 2], 3);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(e.apply(labels), dy)) as tf.Scalar, e.variables);
  const d = dy.arraySync() as number[][];
  const want = [0, 1, 2, 3, 4].map((k) => [0, 1].map((j) => [1, 3, 1, 1, 0].reduce((s, l, i) => s + (l === k ? d[i][j] : 0), 0)));
  const got = grads[e.variables[0].name].arraySync() as number[][];
  got.forEach((row, k) => row.forEach((v, j) => assert.ok(Math.abs(v - want[k][j]) < 1e-6, `row ${k}[${j}]: ${v} vs ${want[k][j]}`)));
  tf.dispose([labels, dy, ...Object.values(grads)]);
  e.dispose!();
});

test('embedding: weightTransform sees the table; clone copies it', () => {
  let seen: number[] = [];
  const e = embedding({
    inputDim: 3,
    outputDim: 2,
    seed: 4,
    name: 'D/embed',
    index: 5,
    weightTransform: (w, layer) => {
      seen = [...w.shape, layer.index];
      return tf.mul(w, 2);
    },
  });
  const l = tf.tensor1d([1], 'int32');
  const y = e.apply(l);
  assert.deepEqual(seen, [3, 2, 5]);
  const row = (e.variables[0].arraySync() as number[][])[1];
  assert.deepEqual(Array.from(y.dataSync()), row.map((v) => v * 2));
  const c = e.clone!('copy');
  assert.deepEqual(c.variables[0].arraySync(), e.variables[0].arraySync());
  assert.notEqual(c.variables[0], e.variables[0]);
  tf.dispose([l, y]);
  e.dispose!();
  c.dispose!();
});

test('embedding forward and table gradient: wasm matches cpu', async () => {
  await assertSameOnBackends('embedding', () => {
    const e = embedding({ inputDim: 7, outputDim: 5, seed: 5 });
    try {
      const labels = tf.tensor1d([6, 0, 3, 3, 1, 6, 2, 0], 'int32');
      const dy = tensor([8, 5], 6);
      const y = e.apply(labels);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(e.apply(labels), dy)) as tf.Scalar, e.variables);
      return [y, grads[e.variables[0].name]];
    } finally {
      e.dispose!();
    }
  });
  await useBackend('cpu');
});

test('embedding: bad configurations and labels name the layer and the argument', () => {
  assert.throws(() => embedding({ inputDim: 0, outputDim: 2 }), /embedding: inputDim must be a positive integer, got 0/);
  assert.throws(() => embedding({ inputDim: 3, outputDim: 1.5, name: 'G/e' }), /embedding G\/e: outputDim must be a positive integer, got 1.5/);
  assert.throws(() => embedding({ inputDim: 3, outputDim: 2, units: 4 } as never), /embedding: unknown option 'units'; known: inputDim, outputDim/);
  const e = embedding({ inputDim: 3, outputDim: 2 });
  const two = tf.zeros([2, 1], 'int32');
  assert.throws(() => e.apply(two), /embedding: input must have shape \[batch\], got \[2, 1\]/);
  const bool = tf.tensor1d([1, 0], 'bool');
  assert.throws(() => e.apply(bool), /embedding: labels \(the input\) must be int32 or float32, got bool/);
  tf.dispose([two, bool]);
  e.dispose!();
});
