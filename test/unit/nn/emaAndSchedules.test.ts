import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { createEma, constantSchedule, linearSchedule, cosineSchedule, exponentialSchedule, adamOptimizer, sgdOptimizer, createOptimizer } from '../../../kernel-helpers/src/nn';
import { mlpGenerator } from '../../../kernel-helpers/src/gan';
import { resolveSchedule } from '../../../kernel-helpers/src/nn/schedules';

before(async () => {
  await tf.setBackend('cpu');
});

test('EMA: after k updates towards fixed weights w, w_ema = d^k w0 + (1 - d^k) w', () => {
  const G = mlpGenerator({ width: 4, depth: 1, seed: 1 });
  const w0 = Array.from(G.variables[0].dataSync());
  const ema = createEma(G, 0.8, { warmup: false });
  G.variables[0].assign(tf.tidy(() => tf.add(G.variables[0], 1)));
  for (let k = 0; k < 5; k++) ema.update();
  const got = Array.from(ema.net.variables[0].dataSync());
  const dk = 0.8 ** 5;
  got.forEach((v, i) => assert.ok(Math.abs(v - (dk * w0[i] + (1 - dk) * (w0[i] + 1))) < 1e-5, `entry ${i}`));
  assert.equal(ema.updates, 5);
  assert.equal(ema.net.name, 'G_ema');
  const y = ema.net.apply(tf.zeros([2, 2]));
  assert.deepEqual(y.shape, [2, 2]);
  y.dispose();
  // Warm-up: update n uses min(decay, (1 + n) / (10 + n)): 0.1, 2/11, 3/12, ... then 0.99.
  const warm = createEma(G, 0.99);
  const seq: number[] = [];
  for (let k = 0; k < 3; k++) {
    seq.push(warm.currentDecay);
    warm.update();
  }
  assert.deepEqual(seq.map((v) => +v.toFixed(6)), [0.1, +(2 / 11).toFixed(6), 0.25]);
  for (let k = 0; k < 2000; k++) warm.update();
  assert.equal(warm.currentDecay, 0.99);
  warm.dispose();
  assert.throws(() => createEma(G, 1), /decay must be in \[0, 1\), got 1/);
  assert.throws(() => createEma(G, -0.1), /decay must be in \[0, 1\), got -0.1/);
  ema.dispose();
  G.dispose!();
});

test('schedules: end points, midpoints, clamping, bad input', () => {
  const T = 100;
  assert.equal(constantSchedule(3)(50, T), 3);
  const lin = linearSchedule({ from: 1, to: 0 });
  assert.equal(lin(0, T), 1);
  assert.equal(lin(50, T), 0.5);
  assert.equal(lin(100, T), 0);
  const linShort = linearSchedule({ from: 10, to: 2, steps: 20 });
  assert.equal(linShort(10, T), 6);
  assert.equal(linShort(80, T), 2);
  const cos = cosineSchedule({ from: 2, to: 0 });
  assert.ok(Math.abs(cos(0, T) - 2) < 1e-12 && Math.abs(cos(50, T) - 1) < 1e-12 && Math.abs(cos(100, T)) < 1e-12);
  const ex = exponentialSchedule({ from: 1, to: 0.01 });
  assert.ok(Math.abs(ex(50, T) - 0.1) < 1e-12, 'geometric midpoint');
  assert.throws(() => exponentialSchedule({ from: 0, to: 1 }), /exponentialSchedule: opts.from must be a finite number > 0, got 0/);
  assert.throws(() => linearSchedule({ from: 1, to: 0, steps: 0 }), /linearSchedule: opts.steps must be a positive integer, got 0/);
  assert.throws(() => resolveSchedule('r1Penalty', 'gamma', -1), /r1Penalty: gamma must be a finite number >= 0, got -1/);
  assert.throws(() => resolveSchedule('r1Penalty', 'gamma', () => -2)(3, 10), /r1Penalty: gamma gave -2 at step 3/);
});

test('optimizers: SGD is w - lr g; Adam first step is w - lr sign(g); bad hyperparameters', () => {
  const w = tf.variable(tf.tensor1d([1, -2, 3]));
  const g = tf.tensor1d([0.5, -4, 0]);
  sgdOptimizer().step([w], [g], 0.1);
  assert.deepEqual(Array.from(w.dataSync()).map((v) => +v.toFixed(6)), [0.95, -1.6, 3]);
  const a = adamOptimizer({ beta1: 0.5, beta2: 0.9 });
  a.step([w], [g], 0.01);
  // m_hat = g, s_hat = g^2: step = lr g / (|g| + eps)
  assert.deepEqual(Array.from(w.dataSync()).map((v) => +v.toFixed(5)), [0.94, -1.59, 3]);
  const m = sgdOptimizer({ momentum: 0.9 });
  const u = tf.variable(tf.scalar(0));
  m.step([u], [tf.scalar(1)], 1);
  m.step([u], [tf.scalar(1)], 1);
  assert.ok(Math.abs(u.dataSync()[0] - -2.9) < 1e-6, 'momentum: -1 then -1.9');
  assert.throws(() => adamOptimizer({ beta1: 1 }), /beta1 must be in \[0, 1\)/);
  assert.throws(() => a.step([w], [g], -1), /adam.step: lr \(the learning rate\) must be a finite number >= 0, got -1/);
  assert.throws(() => createOptimizer('rmsprop' as never), /createOptimizer: spec must be 'adam', 'sgd', .*, got "rmsprop"/);
  a.dispose();
  m.dispose();
  tf.dispose([w, g, u]);
});

test('Adam over several variables of different shapes follows the formula step by step', () => {
  const b1 = 0.5;
  const b2 = 0.9;
  const eps = 1e-8;
  const lr = 0.01;
  const init = [[[1, 2], [3, 4]], [0.5], [[[-1]], [[2]]]];
  const vars = init.map((v) => tf.variable(tf.tensor(v)));
  const ref = init.map((v) => (v as unknown as number[]).flat(3) as number[]);
  const m = ref.map((r) => r.map(() => 0));
  const s = ref.map((r) => r.map(() => 0));
  const opt = adamOptimizer({ beta1: b1, beta2: b2, epsilon: eps });
  for (let t = 1; t <= 3; t++) {
    const gs = ref.map((r, i) => r.map((x, j) => Math.sin(t + 3 * i + j) * (1 + x)));
    opt.step(vars, gs.map((g, i) => tf.tensor(g, vars[i].shape)), lr);
    ref.forEach((r, i) => r.forEach((x, j) => {
      m[i][j] = b1 * m[i][j] + (1 - b1) * gs[i][j];
      s[i][j] = b2 * s[i][j] + (1 - b2) * gs[i][j] ** 2;
      const mh = m[i][j] / (1 - b1 ** t);
      const sh = s[i][j] / (1 - b2 ** t);
      r[j] = x - lr * mh / (Math.sqrt(sh) + eps);
    }));
    vars.forEach((v, i) => {
      const got = Array.from(v.dataSync());
      got.forEach((x, j) => assert.ok(Math.abs(x - ref[i][j]) < 1e-5, `step ${t}, variable ${i}[${j}]: ${x} vs ${ref[i][j]}`));
    });
  }
  assert.throws(() => opt.step(vars.slice(0, 2), [tf.zeros([2, 2]), tf.zeros([1])], lr), /different list of variables/);
  assert.throws(() => opt.step(vars, [tf.zeros([3]), tf.zeros([1]), tf.zeros([2, 1, 1])], lr), /gradient 0 has shape \[3\]/);
  opt.dispose();
  tf.dispose(vars);
});
