import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { fitDiscriminator, trainImportanceWeighted, mlpGenerator, mlpDiscriminator } from '../../../kernel-helpers/src/gan';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

const gaussian1d = (mean: number, seed: number) => {
  const r = rng(seed);
  return (n: number) => tf.tensor2d(Float32Array.from({ length: n }, () => mean + r.normal()), [n, 1]);
};

test("fitDiscriminator: the BCE logit learns log p_data/p_g (N(1,1) against N(0,1): d(x) = x - 1/2); the hinge output stays near [-1, 1]", async () => {
  const bce = mlpDiscriminator({ inputDim: 1, width: 16, depth: 1, seed: 1 });
  const hinge = mlpDiscriminator({ inputDim: 1, width: 16, depth: 1, seed: 1 });
  const common = { sampleReal: gaussian1d(1, 2), sampleFake: gaussian1d(0, 3), steps: 400, batchSize: 256, lr: 5e-3, stopOnInterrupt: false };
  const res = await fitDiscriminator({ discriminator: bce, ...common });
  assert.equal(res.steps, 400);
  await fitDiscriminator({ discriminator: hinge, loss: 'hinge', ...common });
  const xs = [-0.5, 0, 0.5, 1, 1.5];
  const at = (net: typeof bce) => Array.from(tf.tidy(() => tf.reshape(net.apply(tf.tensor2d(xs, [xs.length, 1])), [-1])).dataSync());
  const d = at(bce);
  xs.forEach((x, i) => assert.ok(Math.abs(d[i] - (x - 0.5)) < 0.25, `BCE d(${x}) = ${d[i]}, want ${x - 0.5}`));
  const h = at(hinge);
  assert.ok(h.every((v) => Math.abs(v) < 1.6), `hinge outputs ${h}`);
  assert.ok(h[0] < 0 && h[4] > 0, 'the hinge output keeps the sign of the log ratio');
  bce.dispose!();
  hinge.dispose!();
});

test('fitDiscriminator with a gradient penalty reports it, and refuses bad input', async () => {
  const D = mlpDiscriminator({ inputDim: 1, width: 8, depth: 1, seed: 4 });
  const res = await fitDiscriminator({ discriminator: D, loss: 'wasserstein', gradientPenalty: 10, sampleReal: gaussian1d(1, 5), sampleFake: gaussian1d(0, 6), steps: 5, batchSize: 16, logEvery: 1, stopOnInterrupt: false });
  assert.ok(res.history.every((h) => Number.isFinite(h.penalties.gp)), 'the penalty is logged');
  await assert.rejects(fitDiscriminator({ discriminator: D, gradientPenalty: -1, sampleReal: gaussian1d(1, 5), sampleFake: gaussian1d(0, 6), steps: 1 }), /fitDiscriminator: gradientPenalty must be a finite number >= 0, got -1/);
  await assert.rejects(fitDiscriminator({ discriminator: D, sampleReal: gaussian1d(1, 5), sampleFake: (n: number) => tf.zeros([n + 1, 1]), steps: 1, batchSize: 4, stopOnInterrupt: false }), /fitDiscriminator: sampleFake\(4\) must return a tensor with 4 rows/);
  await assert.rejects(fitDiscriminator({ discriminator: D, sampleReal: 3 as never, sampleFake: gaussian1d(0, 6), steps: 1 }), /fitDiscriminator: sampleReal must be a function/);
  D.dispose!();
});

const ring = (seed: number) => {
  const r = rng(seed);
  return (n: number) => tf.tensor2d(Float32Array.from({ length: 2 * n }, (_, j) => {
    const k = Math.floor(j / 2);
    const a = (2 * Math.PI * (k % 4)) / 4;
    return (j % 2 === 0 ? 2 * Math.cos(a) : 2 * Math.sin(a)) + 0.1 * r.normal();
  }), [n, 2]);
};

function nets(seed: number) {
  return { generator: mlpGenerator({ latentDim: 2, outputDim: 2, width: 16, depth: 1, seed }), discriminator: mlpDiscriminator({ inputDim: 2, width: 16, depth: 1, seed: seed + 1 }) };
}

test('trainImportanceWeighted: ESS in (0, 1] every step, a refit every refitEvery steps, the same numbers from the same seed', async () => {
  const run = async () => {
    const n = nets(7);
    const res = await trainImportanceWeighted({ ...n, latentDim: 2, sampleReal: ring(8), steps: 25, batchSize: 32, lrD: 1e-3, lrG: 1e-3, seed: 9, proposal: { components: 3, refitEvery: 10 }, stopOnInterrupt: false });
    const w = Array.from(n.generator.variables[0].dataSync());
    n.generator.dispose!();
    n.discriminator.dispose!();
    return { res, w };
  };
  const a = await run();
  assert.equal(a.res.essShare.length, 25);
  assert.ok(a.res.essShare.every((e) => e.value > 0 && e.value <= 1 + 1e-12), 'ESS share in (0, 1]');
  assert.deepEqual(a.res.refits, [10, 20]);
  assert.equal(a.res.proposal.weights.length, 3);
  assert.ok(Math.abs(a.res.proposal.weights.reduce((s, v) => s + v, 0) - 1) < 1e-9);
  const b = await run();
  assert.deepEqual(b.w, a.w, 'same seed, same weights');
  assert.deepEqual(b.res.essShare, a.res.essShare);
});

test("trainImportanceWeighted with weighting 'none' is the plain GAN: no proposal refits, no ESS record, the prior as proposal", async () => {
  const n = nets(11);
  const before = tf.memory().numTensors;
  const res = await trainImportanceWeighted({ ...n, latentDim: 2, weighting: 'none', sampleReal: ring(12), steps: 12, batchSize: 16, seed: 13, stopOnInterrupt: false });
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  assert.equal(res.steps, 12);
  assert.deepEqual(res.refits, []);
  assert.deepEqual(res.essShare, []);
  assert.deepEqual(Array.from(res.proposal.means), [0, 0]);
  assert.deepEqual(Array.from(res.proposal.variances), [1, 1]);
  n.generator.dispose!();
  n.discriminator.dispose!();
});

test('trainImportanceWeighted refuses bad options with the argument named', async () => {
  const n = nets(21);
  const base = { ...n, latentDim: 2, sampleReal: ring(22), steps: 1, batchSize: 8, stopOnInterrupt: false };
  await assert.rejects(trainImportanceWeighted({ ...base, weighting: 'both' as never }), /trainImportanceWeighted: weighting must be one of 'none', 'importance', got "both"/);
  await assert.rejects(trainImportanceWeighted({ ...base, proposal: { smoothing: 0 } }), /trainImportanceWeighted: proposal.smoothing must be in \(0, 1\], got 0/);
  await assert.rejects(trainImportanceWeighted({ ...base, proposal: { components: 0 } }), /trainImportanceWeighted: proposal.components must be an integer >= 1, got 0/);
  await assert.rejects(trainImportanceWeighted({ ...base, proposal: { every: 3 } as never }), /trainImportanceWeighted proposal: unknown option 'every'/);
  await assert.rejects(trainImportanceWeighted({ ...base, latentDim: 0 }), /trainImportanceWeighted: latentDim must be an integer >= 1, got 0/);
  n.generator.dispose!();
  n.discriminator.dispose!();
});
