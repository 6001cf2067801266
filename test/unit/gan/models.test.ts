import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { mlpGenerator, mlpDiscriminator, dcganGenerator, dcganDiscriminator } from '../../../kernel-helpers/src/gan';
import { parameterCount, conv2d, dense, LayerInfo } from '../../../kernel-helpers/src/nn';

before(async () => {
  await tf.setBackend('cpu');
});

test('MLP pair: shapes, default widths, parameter count', () => {
  const G = mlpGenerator({ seed: 1 });
  const D = mlpDiscriminator({ seed: 2 });
  // 2->256->256->2 and 2->256->256->1, with biases
  assert.equal(parameterCount(G), 2 * 256 + 256 + 256 * 256 + 256 + 256 * 2 + 2);
  assert.equal(parameterCount(D), 2 * 256 + 256 + 256 * 256 + 256 + 256 + 1);
  const y = tf.tidy(() => D.apply(G.apply(tf.zeros([5, 2]))));
  assert.deepEqual(y.shape, [5, 1]);
  y.dispose();
  assert.throws(() => D.apply(tf.zeros([5, 3])), /D: input must have shape \[batch, 2\], got \[5, 3\]/);
  assert.throws(() => mlpGenerator({ width: 0 }), /width must be a positive integer/);
  G.dispose!();
  D.dispose!();
});

test('same seed gives the same weights; clone copies values into new variables', () => {
  const a = mlpDiscriminator({ width: 8, seed: 42 });
  const b = mlpDiscriminator({ width: 8, seed: 42 });
  assert.deepEqual(Array.from(a.variables[0].dataSync()), Array.from(b.variables[0].dataSync()));
  const c = a.clone!('copy');
  assert.equal(c.variables.length, a.variables.length);
  assert.notEqual(c.variables[0], a.variables[0]);
  a.variables[0].assign(tf.zerosLike(a.variables[0]));
  assert.deepEqual(Array.from(c.variables[0].dataSync()), Array.from(b.variables[0].dataSync()));
  for (const n of [a, b, c]) n.dispose!();
});

test('DCGAN pair on 28x28: shapes and shape errors', () => {
  const G = dcganGenerator({ seed: 1 });
  const D = dcganDiscriminator({ seed: 2 });
  const x = tf.tidy(() => G.apply(tf.randomNormal([2, 100])));
  assert.deepEqual(x.shape, [2, 28, 28, 1]);
  const v = x.dataSync();
  assert.ok(v.every((t) => t > -1 && t < 1), 'tanh output in (-1, 1)');
  const d = tf.tidy(() => D.apply(x));
  assert.deepEqual(d.shape, [2, 1]);
  assert.throws(() => D.apply(tf.zeros([2, 32, 32, 1])), /D: input must have shape \[batch, 28, 28, 1\], got \[2, 32, 32, 1\]/);
  assert.throws(() => G.apply(tf.zeros([2, 64])), /G: input must have shape \[batch, 100\]/);
  tf.dispose([x, d]);
  G.dispose!();
  D.dispose!();
});

test('weight transform sees every kernel with its layer name and index, at every forward', () => {
  const seen: LayerInfo[] = [];
  const D = dcganDiscriminator({
    seed: 3,
    weightTransform: (w, info) => {
      seen.push(info);
      return tf.mul(w, 0);
    },
  });
  const d = tf.tidy(() => D.apply(tf.ones([1, 28, 28, 1])));
  assert.deepEqual(seen.map((s) => [s.name, s.index]), [['D/conv0', 0], ['D/conv1', 1], ['D/dense2', 2]]);
  assert.equal(d.dataSync()[0], 0, 'zeroed kernels and zero biases give logit 0');
  d.dispose();
  D.dispose!();
});

test('grouped conv equals per-group convs; groups must divide channels', () => {
  const c = conv2d({ inChannels: 4, filters: 6, kernelSize: 3, groups: 2, seed: 5 });
  const x = tf.randomNormal([2, 5, 5, 4], 0, 1, 'float32', 9);
  const y = c.apply(x);
  const w = c.variables[0];
  const [x0, x1] = tf.split(x, 2, 3);
  const [w0, w1] = tf.split(w, 2, 3);
  const ref = tf.concat([tf.conv2d(x0 as tf.Tensor4D, w0 as tf.Tensor4D, 1, 'same'), tf.conv2d(x1 as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same')], 3);
  const diff = tf.max(tf.abs(tf.sub(y, ref))).dataSync()[0];
  assert.ok(diff < 1e-6, `max diff ${diff}`);
  assert.deepEqual(w.shape, [3, 3, 2, 6]);
  // The block-diagonal implementation gives the same values and the same input gradient.
  const bd = conv2d({ inChannels: 4, filters: 6, kernelSize: 3, groups: 2, groupMode: 'blockDiagonal', seed: 5 });
  const yb = bd.apply(x);
  assert.ok(tf.max(tf.abs(tf.sub(yb, y))).dataSync()[0] < 1e-5, 'blockDiagonal = split');
  const gs = tf.grad((xi: tf.Tensor) => tf.sum(tf.square(c.apply(xi))))(x);
  const gb = tf.grad((xi: tf.Tensor) => tf.sum(tf.square(bd.apply(xi))))(x);
  assert.ok(tf.max(tf.abs(tf.sub(gs, gb))).dataSync()[0] < 1e-4, 'same input gradient');
  tf.dispose([yb, gs, gb]);
  bd.dispose!();
  assert.throws(() => conv2d({ inChannels: 6, filters: 6, kernelSize: 3, groups: 4 }), /groups \(4\) must divide both inChannels \(6\) and filters \(6\)/);
  assert.throws(() => dense({ inUnits: 2, units: 3, activation: 'swish' as never }), /unknown activation "swish"/);
  tf.dispose([x, y, x0, x1, w0, w1, ref]);
  c.dispose!();
});
