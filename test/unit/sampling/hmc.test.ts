import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { hmcStep } from '../../../kernel-helpers/src/sampling/hmc';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

// N(mu, diag(s^2)) in 2-D, as an unnormalised log-density per row.
const MU = [1, -2];
const S = [1, 0.5];
function gaussianTarget(): { logTarget: (z: tf.Tensor2D) => tf.Tensor1D; dispose: () => void } {
  const mu = tf.tensor1d(MU);
  const inv = tf.tensor1d(S.map((s) => 1 / (s * s)));
  return {
    logTarget: (z) => tf.mul(tf.sum(tf.mul(tf.square(tf.sub(z, mu)), inv), 1), -0.5) as tf.Tensor1D,
    dispose: () => {
      mu.dispose();
      inv.dispose();
    },
  };
}

function exactSamples(n: number, seed: number): tf.Tensor2D {
  const r = rng(seed);
  return tf.tensor2d(Float32Array.from({ length: 2 * n }, (_, i) => MU[i % 2] + S[i % 2] * r.normal()), [n, 2]);
}

function columnStats(z: tf.Tensor2D): { mean: number[]; variance: number[] } {
  const v = z.arraySync();
  const n = v.length;
  const mean = [0, 1].map((j) => v.reduce((a, row) => a + row[j], 0) / n);
  const variance = [0, 1].map((j) => v.reduce((a, row) => a + (row[j] - mean[j]) ** 2, 0) / (n - 1));
  return { mean, variance };
}

test('hmcStep leaves a Gaussian invariant: from exact samples, mean and variance stay put', () => {
  const { logTarget, dispose } = gaussianTarget();
  const n = 4000;
  const random = rng(3);
  let z = exactSamples(n, 1);
  // eps / s = 1.6 in the narrow direction: leapfrog alone (no accept test) would inflate
  // that variance about 2.8-fold, so the Metropolis correction is what this test checks.
  const stepSizes = new Float64Array(n).fill(0.8);
  const acceptance: number[] = [];
  for (let t = 0; t < 4; t++) {
    const res = hmcStep(logTarget, z, { stepSizes, leapfrogSteps: 5, random });
    z.dispose();
    z = res.z;
    acceptance.push(res.acceptance);
    assert.equal(res.accepted.length, n);
    assert.equal(res.acceptance, res.accepted.reduce((a, b) => a + b, 0) / n);
  }
  const { mean, variance } = columnStats(z);
  for (let j = 0; j < 2; j++) {
    const se = S[j] / Math.sqrt(n);
    assert.ok(Math.abs(mean[j] - MU[j]) < 4 * se, `mean[${j}] ${mean[j]} vs ${MU[j]}`);
    // the variance's standard error is about s^2 sqrt(2 / n)
    assert.ok(Math.abs(variance[j] / (S[j] * S[j]) - 1) < 4 * Math.sqrt(2 / n), `variance[${j}] ${variance[j]} vs ${S[j] ** 2}`);
  }
  const meanAcc = acceptance.reduce((a, b) => a + b, 0) / acceptance.length;
  assert.ok(meanAcc > 0.2 && meanAcc < 0.95, `acceptance ${meanAcc}: the accept test must have had work to do`);
  z.dispose();
  dispose();
});

test('hmcStep: a tiny step is almost always accepted; per-row step sizes act per row', () => {
  const { logTarget, dispose } = gaussianTarget();
  const n = 400;
  const z = exactSamples(n, 2);
  const tiny = hmcStep(logTarget, z, { stepSizes: new Float64Array(n).fill(1e-3), leapfrogSteps: 3, random: rng(4) });
  assert.ok(tiny.acceptance > 0.99, `acceptance ${tiny.acceptance}`);
  const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(tiny.z, z))).dataSync()[0]);
  assert.ok(moved > 0 && moved < 0.05, `a tiny step moves a little: ${moved}`);
  tiny.z.dispose();
  // first half of the rows: tiny steps; second half: a step beyond the stability limit (2 s)
  const steps = Float64Array.from({ length: n }, (_, r) => (r < n / 2 ? 1e-3 : 1.5));
  const mixed = hmcStep(logTarget, z, { stepSizes: steps, leapfrogSteps: 10, random: rng(5) });
  const share = (from: number, to: number) => mixed.accepted.subarray(from, to).reduce((a, b) => a + b, 0) / (to - from);
  assert.ok(share(0, n / 2) > 0.99, `tiny-step rows accepted ${share(0, n / 2)}`);
  assert.ok(share(n / 2, n) < 0.2, `unstable-step rows accepted ${share(n / 2, n)}`);
  mixed.z.dispose();
  z.dispose();
  dispose();
});

test('hmcStep: a NaN energy is a rejection, and rejected rows stay exactly where they were', () => {
  // log(1 - z_0) is NaN beyond z_0 = 1: proposals that cross it must be refused.
  const logTarget = (z: tf.Tensor2D) =>
    tf.tidy(() => tf.add(tf.mul(tf.sum(tf.square(z), 1), -0.5), tf.log(tf.sub(1, tf.squeeze(tf.slice(z, [0, 0], [-1, 1]), [1])))) as tf.Tensor1D);
  const n = 200;
  const z = tf.tensor2d(Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? 0.9 : 0)), [n, 2]);
  const res = hmcStep(logTarget, z, { stepSizes: new Float64Array(n).fill(0.5), leapfrogSteps: 4, random: rng(6) });
  const after = res.z.arraySync();
  const before = z.arraySync();
  let rejected = 0;
  after.forEach((row, r) => {
    assert.ok(row.every(Number.isFinite), `row ${r} is finite`);
    assert.ok(row[0] < 1, `row ${r} stays where the target is defined`);
    if (!res.accepted[r]) {
      rejected++;
      assert.deepEqual(row, before[r]);
    }
  });
  assert.ok(rejected > n / 4, `most proposals cross z_0 = 1 and are rejected (${rejected})`);
  res.z.dispose();
  z.dispose();
});

test('hmcStep: no tensor leaks, the input is kept, the same seed repeats', () => {
  const { logTarget, dispose } = gaussianTarget();
  const z = exactSamples(50, 7);
  const opts = () => ({ stepSizes: new Float64Array(50).fill(0.3), leapfrogSteps: 6, random: rng(8) });
  hmcStep(logTarget, z, opts()).z.dispose(); // warm-up: tfjs caches a few tensors on first use
  const before = tf.memory().numTensors;
  const a = hmcStep(logTarget, z, opts());
  assert.equal(tf.memory().numTensors, before + 1, 'only the returned z is new');
  assert.ok(!z.isDisposed);
  const b = hmcStep(logTarget, z, opts());
  assert.deepEqual(Array.from(a.z.dataSync()), Array.from(b.z.dataSync()));
  assert.deepEqual(Array.from(a.accepted), Array.from(b.accepted));
  a.z.dispose();
  b.z.dispose();
  assert.equal(tf.memory().numTensors, before);
  z.dispose();
  dispose();
});

test('hmcStep refuses bad arguments by name', () => {
  const { logTarget, dispose } = gaussianTarget();
  const z = exactSamples(4, 9);
  const random = rng(1);
  const ok = { stepSizes: new Float64Array(4).fill(0.1), leapfrogSteps: 3, random };
  const before = tf.memory().numTensors;
  assert.throws(() => hmcStep(logTarget, z, { ...ok, stepSizes: new Float64Array(3).fill(0.1) }), /hmcStep: opts\.stepSizes must be a Float64Array with one step size per row \(4\), got "3 entries"/);
  assert.throws(() => hmcStep(logTarget, z, { ...ok, stepSizes: Float64Array.from([0.1, 0, 0.1, 0.1]) }), /hmcStep: opts\.stepSizes\[1\] must be a finite number > 0, got 0/);
  assert.throws(() => hmcStep(logTarget, z, { ...ok, leapfrogSteps: 0 }), /hmcStep: opts\.leapfrogSteps must be a positive integer, got 0/);
  assert.throws(() => hmcStep(logTarget, z, { ...ok, random: undefined as never }), /hmcStep: opts\.random must be a random stream/);
  assert.throws(() => hmcStep(logTarget, z, { ...ok, steps: 3 } as never), /hmcStep: unknown option 'steps'/);
  const z3 = tf.zeros([4]) as unknown as tf.Tensor2D;
  assert.throws(() => hmcStep(logTarget, z3, ok), /hmcStep: z must be a tf.Tensor2D/);
  z3.dispose();
  assert.throws(() => hmcStep((t) => tf.sum(t, 0) as tf.Tensor1D, z, ok), /hmcStep: the log-density must give one value per row, shape \[4\], got \[2\]/);
  assert.equal(tf.memory().numTensors, before, 'a refused call leaves no tensors behind');
  z.dispose();
  dispose();
});
