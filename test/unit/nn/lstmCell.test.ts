import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { lstm, lstmCell, LstmState } from '../../../kernel-helpers/src/nn';

before(async () => {
  await tf.setBackend('cpu');
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

test('lstmCell holds the same weights as lstm for one seed, and its whole-sequence apply equals lstm', () => {
  const cell = lstmCell({ inputSize: 3, hidden: 5, seed: 7 });
  const ref = lstm({ inputSize: 3, hidden: 5, seed: 7 });
  cell.variables.forEach((v, i) => assert.equal(maxAbsDiff(v, ref.variables[i]), 0));
  const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 1);
  const a = cell.apply(x), b = ref.apply(x);
  assert.deepEqual(a.shape, [2, 4, 5]);
  assert.ok(maxAbsDiff(a, b) < 1e-6);
  tf.dispose([x, a, b]);
  cell.dispose();
  ref.dispose!();
});

test('stepping the cell by hand gives the same states as apply, and leaks nothing', () => {
  const cell = lstmCell({ inputSize: 2, hidden: 3, seed: 2 });
  const x = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 3);
  const whole = cell.apply(x);
  const before = tf.memory().numTensors;
  const stepped = tf.tidy(() => {
    let s: LstmState = cell.zeroState(3);
    const hs: tf.Tensor[] = [];
    for (const xt of tf.unstack(x, 1)) {
      s = cell.step(xt, s);
      hs.push(s.h);
    }
    return tf.stack(hs, 1);
  });
  assert.equal(tf.memory().numTensors, before + 1);
  assert.ok(maxAbsDiff(whole, stepped) < 1e-6);
  // Gradients flow through a step (the cell is trainable when driven by hand).
  const g = tf.variableGrads(() => tf.tidy(() => tf.sum(cell.step(tf.ones([1, 2]), cell.zeroState(1)).h) as tf.Scalar), cell.variables);
  assert.ok(Object.values(g.grads).some((t) => tf.tidy(() => tf.sum(tf.abs(t)).dataSync()[0]) > 0));
  tf.dispose([x, whole, stepped, g.value, ...Object.values(g.grads)]);
  cell.dispose();
});

test('lstmCell checks its arguments and the shapes of a step, naming them; clones are independent', () => {
  assert.throws(() => lstmCell({ inputSize: 0, hidden: 3 }), /inputSize/);
  assert.throws(() => lstmCell({ inputSize: 2, hidden: 1.5 }), /hidden/);
  assert.throws(() => lstmCell({ inputSize: 2, hidden: 3, timeSteps: 4 } as never), /timeSteps/);
  const cell = lstmCell({ inputSize: 2, hidden: 3, seed: 1 });
  const s = cell.zeroState(2);
  assert.throws(() => cell.step(tf.zeros([2, 3]), s), /x must have shape \[batch, 2\]/);
  assert.throws(() => cell.step(tf.zeros([2, 2]), { h: s.h, c: tf.zeros([2, 4]) }), /state\.c/);
  const copy = cell.clone('copy');
  assert.equal(copy.name, 'copy');
  copy.variables[0].assign(tf.zerosLike(copy.variables[0]));
  assert.ok(tf.tidy(() => tf.sum(tf.abs(cell.variables[0])).dataSync()[0]) > 0);
  const out = copy.step(tf.ones([2, 2]), s);
  assert.deepEqual(out.h.shape, [2, 3]);
  tf.dispose([s.h, s.c, out.h, out.c]);
  cell.dispose();
  copy.dispose!();
});
