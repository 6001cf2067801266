import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import {
  dcganGenerator, dcganDiscriminator, infoGanNets, infoGanLatents, infoLoss, biGanNets, train, trainInfoGan, trainBiGan, adversarialLoop,
} from '../../../kernel-helpers/src/gan';
import { parameterCount } from '../../../kernel-helpers/src/nn';
import { labelledDigitBatches, uniformLabels, normalLatents, stackedDigitBatches, DigitSet } from '../../../kernel-helpers/src/data';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

/** A tiny digit set: class c is a bright c-th row band, so the labels are learnable. */
function tinyDigits(size: 14 | 28, perClass = 4): DigitSet {
  const count = 10 * perClass;
  const images = new Float32Array(count * size * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % 10;
    labels[i] = c;
    for (let x = 0; x < size; x++) images[i * size * size + c * size + x] = 1;
  }
  return { images, labels, count, size };
}

test('DCGAN with batch norm: BN after every G layer but the output, after every D layer but the input', () => {
  const G = dcganGenerator({ batchNorm: true, activation: 'relu', seed: 1 });
  const D = dcganDiscriminator({ batchNorm: true, seed: 2 });
  // G: dense and convT1 get BN (state: mean, variance, count each), the output convT does not.
  assert.equal(G.state!.length, 2 * 3);
  // D: only conv1 has BN.
  assert.equal(D.state!.length, 3);
  const x = tf.tidy(() => D.apply(G.apply(tf.randomNormal([4, 100], 0, 1, 'float32', 1), { training: true }), { training: true }));
  assert.deepEqual(x.shape, [4, 1]);
  x.dispose();
  G.dispose!();
  D.dispose!();
});

test('DCGAN at 14x14: shapes; bad sizes and half-given conditioning are clear errors', () => {
  const G = dcganGenerator({ imageSize: 14, latentDim: 8, seed: 1 });
  const D = dcganDiscriminator({ imageSize: 14, seed: 2 });
  const img = tf.tidy(() => G.apply(tf.zeros([3, 8])));
  assert.deepEqual(img.shape, [3, 14, 14, 1]);
  const y = tf.tidy(() => D.apply(img));
  assert.deepEqual(y.shape, [3, 1]);
  tf.dispose([img, y]);
  for (const imageSize of [14, 28] as const) {
    const G4 = dcganGenerator({ imageSize, latentDim: 8, kernelSize: 4, batchNorm: true, seed: 1 });
    const D4 = dcganDiscriminator({ imageSize, kernelSize: 4, batchNorm: true, seed: 2 });
    const out = tf.tidy(() => D4.apply(G4.apply(tf.zeros([2, 8]), { training: true }), { training: true }));
    assert.deepEqual(out.shape, [2, 1], `kernel 4 at ${imageSize}x${imageSize}`);
    out.dispose();
    G4.dispose!();
    D4.dispose!();
  }
  assert.throws(() => dcganDiscriminator({ kernelSize: 0 }), /kernelSize must be a positive integer/);
  assert.throws(() => dcganGenerator({ imageSize: 32 as 28 }), /G: imageSize must be 14 or 28, got 32/);
  assert.throws(() => dcganDiscriminator({ numClasses: 10 }), /D: a conditional net needs both numClasses and conditioning/);
  assert.throws(() => dcganDiscriminator({ numClasses: 10, conditioning: 'sum' as 'concat' }), /conditioning must be one of/);
  G.dispose!();
  D.dispose!();
});

test('conditional DCGAN: the label changes the output; concat and projection discriminators need labels', () => {
  const G = dcganGenerator({ imageSize: 14, latentDim: 8, numClasses: 10, conditioning: 'concat', seed: 1 });
  const z = tf.randomNormal([2, 8], 0, 1, 'float32', 3);
  const same = tf.tensor1d([3, 3], 'int32');
  const other = tf.tensor1d([3, 7], 'int32');
  const z0 = tf.slice(z, [0, 0], [1, 8]);
  const a = G.apply(tf.concat([z0, z0]), { labels: other });
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(a, [0], [1]), tf.slice(a, [1], [1])))).dataSync()[0]);
  assert.ok(d > 1e-4, `two labels, one latent: images differ by ${d}`);
  for (const conditioning of ['concat', 'projection'] as const) {
    const D = dcganDiscriminator({ imageSize: 14, numClasses: 10, conditioning, seed: 2 });
    const imgs = G.apply(z, { labels: same });
    const l1 = D.apply(imgs, { labels: same });
    const l2 = D.apply(imgs, { labels: other });
    assert.deepEqual(l1.shape, [2, 1]);
    const diff = tf.tidy(() => tf.abs(tf.sub(l1, l2)).dataSync());
    assert.equal(diff[0], 0, `${conditioning}: same label, same logit`);
    assert.ok(diff[1] > 0, `${conditioning}: another label, another logit`);
    assert.throws(() => D.apply(imgs), /needs opts.labels/);
    if (conditioning === 'projection') assert.ok(parameterCount(D) > 0);
    tf.dispose([imgs, l1, l2]);
    D.dispose!();
  }
  tf.dispose([z, z0, same, other, a]);
  G.dispose!();
});

test('train() conditional: labelled real batches and sampleLabels; mismatches are named', async () => {
  const set = tinyDigits(14);
  const G = dcganGenerator({ imageSize: 14, latentDim: 8, channels: [8, 4], numClasses: 10, conditioning: 'concat', seed: 1 });
  const D = dcganDiscriminator({ imageSize: 14, channels: [4, 8], numClasses: 10, conditioning: 'projection', seed: 2 });
  const before = tf.memory().numTensors;
  const res = await train({
    generator: G, discriminator: D, sampleReal: labelledDigitBatches(set, { r: rng(1) }), sampleLabels: uniformLabels(10, rng(2)),
    sampleLatent: normalLatents([8], rng(3)), steps: 3, batchSize: 8, penalties: { r1: 1 }, stopOnInterrupt: false,
  });
  assert.equal(res.steps, 3);
  assert.ok(Number.isFinite(res.history[res.history.length - 1].penalties.r1!));
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  await assert.rejects(
    train({ generator: G, discriminator: D, sampleReal: stackedDigitBatches(set, { channels: 1, r: rng(1) }), sampleLabels: uniformLabels(10, rng(2)), sampleLatent: normalLatents([8], rng(3)), steps: 1, batchSize: 4, stopOnInterrupt: false }),
    /with sampleLabels \(conditional training\), sampleReal\(4\) must return \{ x, labels \}/,
  );
  await assert.rejects(
    train({ generator: G, discriminator: D, sampleReal: labelledDigitBatches(set, { r: rng(1) }), sampleLatent: normalLatents([8], rng(3)), steps: 1, batchSize: 4, stopOnInterrupt: false }),
    /sampleReal returned \{ x, labels \} but sampleLabels is not given/,
  );
  await assert.rejects(
    train({ generator: G, discriminator: D, sampleReal: labelledDigitBatches(set, { r: rng(1) }), sampleLabels: (n) => tf.zeros([n]), sampleLatent: normalLatents([8], rng(3)), steps: 1, batchSize: 4, stopOnInterrupt: false }),
    /sampleLabels must be int32 class labels of shape \[4\], got \[4\] float32/,
  );
  await assert.rejects(
    train({ generator: G, discriminator: D, sampleReal: labelledDigitBatches(set, { r: rng(1) }), sampleLabels: uniformLabels(10, rng(2)), sampleLatent: normalLatents([8], rng(3)), steps: 1, penalties: { gp: 10 }, stopOnInterrupt: false }),
    /gradient penalty is not defined for conditional training/,
  );
  assert.throws(() => labelledDigitBatches(set, { r: rng(1), classes: [11] }), /no digits of classes \[11\]/);
  G.dispose!();
  D.dispose!();
});

test('InfoGAN latents: layout [noise | one-hot c1 | continuous], fixed codes, bad codes named', () => {
  const codes = { noiseDim: 3, categories: 4, continuous: 2 };
  const draw = infoGanLatents(codes, rng(1));
  const l = draw(5, { categorical: [0, 1, 2, 3, 1], continuous: [[0.5, -0.5], [0, 0], [1, 1], [-1, -1], [0.25, 0]] });
  assert.deepEqual(l.z.shape, [5, 9]);
  const z = l.z.arraySync();
  assert.deepEqual(z[2].slice(3, 7), [0, 0, 1, 0]);
  assert.deepEqual(z[0].slice(7), [0.5, -0.5]);
  assert.deepEqual(Array.from(l.categorical!.dataSync()), [0, 1, 2, 3, 1]);
  assert.throws(() => draw(2, { categorical: [0, 4] }), /categorical code 1 must be an integer in \[0, 4\), got 4/);
  assert.throws(() => infoGanLatents({ noiseDim: 2, categories: 1, continuous: 0 }, rng(1)), /categories must be 0 \(none\) or at least 2/);
  tf.dispose([l.z, l.categorical!, l.continuous!]);
});

test('infoLoss: the categorical part is the cross-entropy, L_I = ln K - CE; the continuous part is 1/2 |c - mu|^2', () => {
  const codes = { noiseDim: 0, categories: 3, continuous: 1 };
  const logits = [[2, 0, -1, 0.3], [0, 1, 0, -0.2]];
  const latents = { z: tf.zeros([2, 4]) as tf.Tensor2D, categorical: tf.tensor1d([0, 2], 'int32'), continuous: tf.tensor2d([[0.5], [-0.4]]) };
  const t = infoLoss(tf.tensor2d(logits), latents, codes, { categorical: 1, continuous: 0.1 });
  const lse = (r: number[]) => Math.log(r.slice(0, 3).reduce((a, v) => a + Math.exp(v), 0));
  const ce = (-(logits[0][0] - lse(logits[0])) - (logits[1][2] - lse(logits[1]))) / 2;
  const se = (0.5 * ((0.5 - 0.3) ** 2 + (-0.4 + 0.2) ** 2)) / 2;
  assert.ok(Math.abs(t.categorical.dataSync()[0] - ce) < 1e-5);
  assert.ok(Math.abs(t.continuous.dataSync()[0] - se) < 1e-6);
  assert.ok(Math.abs(t.total.dataSync()[0] - (ce + 0.1 * se)) < 1e-5);
  // A Q that is certain and right reaches the ceiling: CE -> 0, L_I -> ln K.
  const sure = infoLoss(tf.tensor2d([[50, 0, 0, 0.5], [0, 0, 50, -0.4]]), latents, codes);
  assert.ok(Math.log(3) - sure.categorical.dataSync()[0] > Math.log(3) - 1e-6);
  assert.throws(() => infoLoss(tf.zeros([2, 3]), latents, codes), /Q's output must be \[batch, 4\]/);
});

test('InfoGAN and BiGAN train a few steps without leaks; BiGAN D judges pairs', async () => {
  const set = tinyDigits(14);
  const nets = infoGanNets({ imageSize: 14, noiseDim: 4, categories: 10, continuous: 2, generatorChannels: [8, 4], discriminatorChannels: [4, 8], seed: 1 });
  assert.equal(new Set(nets.discriminatorVariables).size, nets.discriminatorVariables.length, 'shared trunk counted once');
  const k4 = infoGanNets({ imageSize: 14, kernelSize: 4, noiseDim: 2, generatorChannels: [4, 2], discriminatorChannels: [2, 4], seed: 2 });
  assert.deepEqual(k4.generator.variables[0].shape[0], 2 + 10 + 2);
  assert.ok(k4.trunk.variables.some((v) => v.shape[0] === 4 && v.shape[1] === 4), 'kernel 4 reaches the trunk');
  k4.dispose();
  const before = tf.memory().numTensors;
  const steps: number[] = [];
  const r = await trainInfoGan({ nets, sampleReal: stackedDigitBatches(set, { channels: 1, r: rng(2) }), r: rng(3), steps: 3, batchSize: 8, stopOnInterrupt: false, callbacks: { onStep: (i) => void steps.push(i.step) } });
  assert.deepEqual(steps, [1, 2, 3]);
  const last = r.history[r.history.length - 1];
  assert.ok(last.penalties.L_I <= Math.log(10) + 1e-6 && Number.isFinite(last.penalties.L_I), `L_I ${last.penalties.L_I}`);
  assert.equal(tf.memory().numTensors, before, 'InfoGAN: no tensor leaks');
  nets.dispose();

  const b = biGanNets({ imageSize: 14, latentDim: 6, hidden: 16, seed: 4 });
  const x = tf.zeros([3, 14, 14, 1]);
  assert.deepEqual(tf.tidy(() => b.encoder.apply(x, { training: true, updateStats: false })).shape, [3, 6]);
  assert.throws(() => b.discriminator.apply(x, tf.zeros([2, 6])), /as many latents as images/);
  x.dispose();
  const before2 = tf.memory().numTensors;
  const rb = await trainBiGan({ nets: b, sampleReal: stackedDigitBatches(set, { channels: 1, r: rng(5) }), sampleLatent: normalLatents([6], rng(6)), steps: 2, batchSize: 8, stopOnInterrupt: false });
  assert.equal(rb.steps, 2);
  assert.equal(tf.memory().numTensors, before2, 'BiGAN: no tensor leaks');
  await assert.rejects(
    trainBiGan({ nets: b, sampleReal: stackedDigitBatches(set, { channels: 1, r: rng(5) }), sampleLatent: normalLatents([5], rng(6)), steps: 1, batchSize: 4, stopOnInterrupt: false }),
    /sampleLatent\(4\) must return \[4, 6\] \(the nets' latentDim\), got \[4,5\]/,
  );
  b.dispose();
});

test('adversarialLoop stops between steps when aborted, and names non-finite losses', async () => {
  const ac = new AbortController();
  let calls = 0;
  const r = await adversarialLoop({
    who: 'toy', steps: 10, stopOnInterrupt: false, signal: ac.signal,
    step: () => {
      if (++calls === 3) ac.abort();
      return { lossD: tf.scalar(1), lossG: tf.scalar(2) };
    },
  });
  assert.equal(r.steps, 3);
  assert.equal(r.interrupted, true);
  await assert.rejects(
    adversarialLoop({ who: 'toy', steps: 2, stopOnInterrupt: false, step: () => ({ lossD: tf.scalar(NaN), lossG: tf.scalar(0), terms: { q: tf.scalar(1) } }) }),
    /toy: non-finite loss at step 1 \(lossD = NaN\)/,
  );
});
