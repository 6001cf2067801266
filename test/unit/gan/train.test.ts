import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { mlpGenerator, mlpDiscriminator, train, StepInfo } from '../../../kernel-helpers/src/gan';
import { linearSchedule, dense, sequential, lambdaNet } from '../../../kernel-helpers/src/nn';

before(async () => {
  await tf.setBackend('cpu');
});

/** Real data: N(mean (2, -1), 0.1^2 I); latent: N(0, I). No tidy here: the loop frees the intermediates. */
const sampleReal = (n: number) => tf.add(tf.mul(tf.randomNormal([n, 2]), 0.1), tf.tensor1d([2, -1]));
const sampleLatent = (n: number) => tf.randomNormal([n, 2]);
const small = (seed: number) => ({
  G: mlpGenerator({ width: 16, depth: 2, seed }),
  D: mlpDiscriminator({ width: 16, depth: 2, seed: seed + 1 }),
});

test('train: a small GAN moves the generated mean towards the data mean', async () => {
  tf.randomNormal([1], 0, 1, 'float32', 1).dispose();
  const { G, D } = small(3);
  const meanOf = () => tf.tidy(() => Array.from(tf.mean(G.apply(sampleLatent(512)), 0).dataSync()));
  const before0 = meanOf();
  const dist = (m: number[]) => Math.hypot(m[0] - 2, m[1] + 1);
  const res = await train({ generator: G, discriminator: D, sampleReal, sampleLatent, steps: 300, batchSize: 64, lrD: 2e-3, lrG: 2e-3, logEvery: 50 });
  const after = meanOf();
  assert.equal(res.steps, 300);
  assert.equal(res.interrupted, false);
  assert.ok(dist(after) < 0.5 * dist(before0), `mean distance ${dist(before0)} -> ${dist(after)}`);
  assert.deepEqual(res.history.map((h) => h.step), [1, 50, 100, 150, 200, 250, 300]);
  G.dispose!();
  D.dispose!();
});

test('train: callbacks, penalties, EMA, schedules, dSteps, abort signal', async () => {
  const { G, D } = small(5);
  const infos: StepInfo[] = [];
  const ac = new AbortController();
  let started = 0;
  const res = await train({
    generator: G,
    discriminator: D,
    sampleReal,
    sampleLatent,
    loss: 'relativisticPaired',
    penalties: { r1: linearSchedule({ from: 1, to: 0.1 }), r2: 0.5, gp: 1 },
    ema: 0.9,
    dSteps: 2,
    steps: 20,
    batchSize: 8,
    logEvery: 3,
    signal: ac.signal,
    callbacks: {
      onStart: () => {
        started++;
      },
      onStep: (i) => {
        infos.push(i);
        if (i.step === 12) ac.abort();
      },
    },
  });
  assert.equal(started, 1);
  assert.equal(res.steps, 12);
  assert.equal(res.interrupted, true);
  assert.deepEqual(infos.map((i) => i.step), Array.from({ length: 12 }, (_, i) => i + 1));
  assert.deepEqual(infos.filter((i) => i.logged).map((i) => i.step), [1, 3, 6, 9, 12]);
  const l = infos[11];
  assert.ok(Number.isFinite(l.lossD) && Number.isFinite(l.lossG));
  assert.deepEqual(Object.keys(l.penalties).sort(), ['gp', 'r1', 'r2']);
  assert.ok(l.penalties.r1! >= 0 && l.penalties.r2! >= 0 && l.penalties.gp! >= 0);
  assert.ok(res.emaGenerator, 'EMA generator returned');
  const y = res.emaGenerator!.apply(tf.zeros([3, 2]));
  assert.deepEqual(y.shape, [3, 2]);
  y.dispose();
  res.emaGenerator!.dispose!();
  G.dispose!();
  D.dispose!();
});

test('train: bad configuration gives errors naming the argument', async () => {
  const { G, D } = small(7);
  const base = { generator: G, discriminator: D, sampleReal, sampleLatent, steps: 2, batchSize: 4 };
  await assert.rejects(train({ ...base, ema: 1 }), /decay must be in \[0, 1\)/);
  await assert.rejects(train({ ...base, lrD: -1 }), /lrD must be a finite number >= 0/);
  await assert.rejects(train({ ...base, penalties: { r1: -2 } }), /penalties.r1 must be a finite number >= 0/);
  await assert.rejects(train({ ...base, dSteps: 0 }), /dSteps must be an integer >= 1/);
  await assert.rejects(train({ ...base, sampleReal: (n) => tf.zeros([n + 1, 2]) }), /sampleReal\(4\) returned shape \[5,2\]/);
  await assert.rejects(train({ ...base, loss: 'nope' as never }), /unknown loss/);
  const fixed = tf.zeros([4, 2]);
  await assert.rejects(train({ ...base, sampleReal: () => fixed }), /returned a disposed tensor; return a NEW tensor on every call/);
  G.dispose!();
  D.dispose!();
});

test('train: a NaN loss stops with an error naming the step and the loss', async () => {
  const { G, D } = small(9);
  const bad = (n: number) => tf.fill([n, 2], NaN);
  await assert.rejects(
    train({ generator: G, discriminator: D, sampleReal: bad, sampleLatent, steps: 5, batchSize: 4, logEvery: 1 }),
    /non-finite loss at step 1 \(lossD = NaN/,
  );
  G.dispose!();
  D.dispose!();
});

test('train: 500 steps (R1 + R2 + GP, EMA) leave tf.memory().numTensors flat after warm-up', async () => {
  const { G, D } = small(13);
  const counts = new Map<number, number>();
  const before0 = tf.memory().numTensors;
  const res = await train({
    generator: G,
    discriminator: D,
    sampleReal,
    sampleLatent,
    loss: 'hinge',
    penalties: { r1: 1, r2: 1, gp: 1 },
    ema: 0.99,
    steps: 500,
    batchSize: 8,
    logEvery: 7,
    callbacks: {
      onStep: (i) => {
        if (i.step % 50 === 0) counts.set(i.step, tf.memory().numTensors);
      },
    },
  });
  assert.equal(res.steps, 500);
  const c50 = counts.get(50)!;
  for (const [step, c] of counts) assert.equal(c, c50, `numTensors at step ${step}: ${c}, at step 50: ${c50}`);
  res.emaGenerator!.dispose!();
  G.dispose!();
  D.dispose!();
  // Optimizer state is freed at the end, the EMA copy by its owner: back to the start.
  assert.equal(tf.memory().numTensors, before0 - G.variables.length - D.variables.length);
});

test('train: a kernel interrupt (SIGINT) stops between steps and leaves the models usable', async () => {
  const { G, D } = small(17);
  const w0 = Array.from(G.variables[0].dataSync());
  const res = await train({
    generator: G,
    discriminator: D,
    sampleReal,
    sampleLatent,
    steps: 50,
    batchSize: 8,
    callbacks: {
      onStep: (i) => {
        // What Jupyter's interrupt delivers to the kernel process.
        if (i.step === 3) process.emit('SIGINT');
      },
    },
  });
  assert.equal(res.interrupted, true);
  assert.equal(res.steps, 3);
  assert.equal(process.listenerCount('SIGINT'), 0, 'the loop stops listening when it ends');
  assert.notDeepEqual(Array.from(G.variables[0].dataSync()), w0, 'three steps were applied');
  const y = tf.tidy(() => D.apply(G.apply(sampleLatent(4))));
  assert.ok(Array.from(y.dataSync()).every(Number.isFinite));
  y.dispose();
  G.dispose!();
  D.dispose!();
});

test('train: a penalised critic built with tf.leakyRelu gets an error that says what to use instead', async () => {
  const G = mlpGenerator({ width: 8, depth: 1, seed: 1 });
  const D = sequential('D', [dense({ inUnits: 2, units: 8, seed: 2 }), lambdaNet('stockLeaky', (x) => tf.leakyRelu(x, 0.2)), dense({ inUnits: 8, units: 1, seed: 3 })]);
  await assert.rejects(
    train({ generator: G, discriminator: D, sampleReal, sampleLatent, penalties: { r1: 1 }, steps: 2, batchSize: 4 }),
    /tfjs has none through op 'Greater'.*relu\(x\) - a relu\(-x\)/,
  );
  // (tfjs itself keeps the tape's saved tensors when its backward pass throws; the engine
  // stays usable.) Without a penalty the same critic trains.
  const res = await train({ generator: G, discriminator: D, sampleReal, sampleLatent, steps: 2, batchSize: 4 });
  assert.equal(res.steps, 2);
  G.dispose!();
  D.dispose!();
});

test('train: resume continues the step count, schedules, Adam moments and EMA of a kept state', async () => {
  const { G, D } = small(21);
  const seen: { step: number; total: number; lrD: number }[] = [];
  const base = {
    generator: G,
    discriminator: D,
    sampleReal,
    sampleLatent,
    batchSize: 8,
    ema: 0.9,
    lrD: linearSchedule({ from: 1e-3, to: 0, steps: 20 }),
    callbacks: { onStep: (i: StepInfo) => void seen.push({ step: i.step, total: i.total, lrD: i.lrD }) },
  };
  const before0 = tf.memory().numTensors;
  const first = await train({ ...base, steps: 10, keepState: true });
  assert.ok(first.state);
  assert.equal(first.state!.stepsDone, 10);
  const second = await train({ ...base, steps: 10, resume: first.state });
  assert.equal(second.state!.stepsDone, 20);
  assert.equal(second.emaGenerator, first.emaGenerator, 'the same EMA generator goes on averaging');
  assert.equal(second.state!.optimizerD, first.state!.optimizerD, 'the same Adam moments go on');
  assert.equal(second.state!.ema!.updates, 20);
  assert.deepEqual(seen.map((s) => s.step), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.equal(seen[15].total, 20);
  assert.ok(Math.abs(seen[15].lrD - 1e-3 * (1 - 15 / 20)) < 1e-12, 'schedule on the global step');
  assert.deepEqual(second.history.map((h) => h.step), [11, 20]);
  second.state!.dispose();
  await assert.rejects(train({ ...base, steps: 1, resume: second.state }), /resume state was disposed/);
  second.emaGenerator!.dispose!();
  assert.equal(tf.memory().numTensors, before0, 'state, EMA and optimizers freed');
  G.dispose!();
  D.dispose!();
});
