/**
 * Loading @tensorflow/tfjs-layers after the library re-registers every tfjs-core gradient,
 * tfjs-core's LeakyRelu one (no second derivative) among them. This file loads it (in its own
 * process, as the test runner runs every file) and checks that the course's gradients come back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ensureCourseGradients, replacedCourseGradients, initBackend } from '../../../kernel-helpers/src/backend';
import { r1Penalty } from '../../../kernel-helpers/src/gan/penalties';
import { train } from '../../../kernel-helpers/src/gan/train';
import { dense } from '../../../kernel-helpers/src/nn/dense';
import { lambdaNet, sequential } from '../../../kernel-helpers/src/nn/net';
import { useBackend } from './backend-compare';

/** d/dw of an R1-style penalty sum_i (d/dx_i sum_j c_j leaky(w_j x_j))^2, through tf.leakyRelu. */
function r1Gradient(w: tf.Tensor): tf.Tensor {
  const x = tf.tensor1d([0.7, -1.3, 0.4, -0.2, 1.1]);
  const c = tf.tensor1d([0.5, -1.0, 2.0, 1.5, -0.3]);
  const penalty = (wi: tf.Tensor) => {
    const gx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(c, tf.leakyRelu(tf.mul(wi, xi), 0.2))))(x);
    return tf.sum(tf.square(gx));
  };
  return tf.grad(penalty)(w);
}

/** The same by hand: gx_j = c_j w_j s_j with s = 1 for w x > 0 and 0.2 otherwise, so d/dw_j = 2 c_j^2 s_j^2 w_j. */
const W = [0.9, 1.2, -0.8, 0.5, 1.4];
const X = [0.7, -1.3, 0.4, -0.2, 1.1];
const C = [0.5, -1.0, 2.0, 1.5, -0.3];
const expected = W.map((w, j) => {
  const s = w * X[j] > 0 ? 1 : 0.2;
  return 2 * C[j] * C[j] * s * s * w;
});

test('requiring tfjs-layers replaces the LeakyRelu gradient; ensureCourseGradients restores it and says so once', async () => {
  await useBackend('cpu');
  assert.deepEqual(replacedCourseGradients(), []);
  const before = tf.getGradient(tf.LeakyRelu);
  require('@tensorflow/tfjs-layers');
  assert.notEqual(tf.getGradient(tf.LeakyRelu), before, 'tfjs-layers re-registered the gradient (the hazard this guards against)');
  assert.deepEqual(replacedCourseGradients(), [tf.LeakyRelu]);
  // tfjs-core's gradient has no second derivative: R1 through tf.leakyRelu throws.
  assert.throws(() => r1Gradient(tf.tensor1d(W)), /gradient function not found/);

  const lines: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void lines.push(args.join(' '));
  try {
    assert.deepEqual(ensureCourseGradients(), [tf.LeakyRelu]);
    assert.deepEqual(ensureCourseGradients(), []);
  } finally {
    console.warn = warn;
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0], /LeakyRelu .*replaced.*@tensorflow\/tfjs-layers.*back in force/);
  assert.equal(tf.getGradient(tf.LeakyRelu), before);
  const g = r1Gradient(tf.tensor1d(W)).arraySync() as number[];
  g.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-5, `d/dw${j} ${v} vs ${expected[j]}`));
});

test('after tfjs-layers loads, the library restores the gradient by itself: in initBackend, the penalties and train()', async () => {
  const course = tf.getGradient(tf.LeakyRelu);
  const stock = { ...course, gradFunc: () => { throw new Error('stand-in for a re-registered tfjs-core gradient'); } };
  const quiet = console.warn;
  console.warn = () => undefined;
  try {
    // What loading tfjs-layers does, repeated for each entry point under test.
    tf.registerGradient(stock);
    await initBackend({ backend: 'wasm', quiet: true });
    assert.equal(tf.getGradient(tf.LeakyRelu), course, 'initBackend restored it');

    for (const be of ['cpu', 'wasm'] as const) {
      await useBackend(be);
      tf.registerGradient(stock);
      // R1 on a leaky-ReLU critic, then its gradient with respect to the critic's weights.
      const w = tf.variable(tf.tensor2d([[0.8, -0.5], [0.3, 0.9]]));
      const real = tf.tensor2d([[0.4, -1.1], [-0.6, 0.2], [1.3, 0.7]]);
      const critic = (x: tf.Tensor) => tf.sum(tf.leakyRelu(tf.matMul(x, w), 0.2), 1, true);
      const { value, grads } = tf.variableGrads(() => r1Penalty(critic, real, 10), [w]);
      assert.equal(tf.getGradient(tf.LeakyRelu), course, `${be}: r1Penalty restored it`);
      assert.ok(Number.isFinite(value.arraySync() as number) && (grads[w.name].arraySync() as number[][]).flat().every(Number.isFinite));
      tf.dispose([w, real, value, grads[w.name]]);
    }

    // train() on a critic built on tf.leakyRelu, without penalties (which would restore it themselves).
    await useBackend('cpu');
    tf.registerGradient(stock);
    const G = dense({ name: 'G', inUnits: 2, units: 2, seed: 1 });
    const D = sequential('D', [dense({ name: 'D1', inUnits: 2, units: 4, seed: 2 }), lambdaNet('lrelu', (x) => tf.leakyRelu(x, 0.2)), dense({ name: 'D2', inUnits: 4, units: 1, seed: 3 })]);
    const res = await train({
      generator: G, discriminator: D, steps: 2, batchSize: 4,
      sampleReal: (n) => tf.randomNormal([n, 2]), sampleLatent: (n) => tf.randomNormal([n, 2]),
    });
    assert.equal(tf.getGradient(tf.LeakyRelu), course, 'train restored it');
    assert.equal(res.steps, 2);
    assert.ok(res.history.every((h) => Object.values(h).every((v) => typeof v !== 'number' || Number.isFinite(v))));
    G.dispose?.();
    D.dispose?.();
  } finally {
    console.warn = quiet;
  }
});
