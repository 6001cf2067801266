import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import {
  cRnnGanGenerator, cRnnGanDiscriminator, trainCRnnGan, featureMatchingLoss,
  rcganGenerator, rcganDiscriminator, trainRcgan,
  timeGanNets, sampleTimeGan, trainTimeGan, timeGanSupervisedLoss, timeGanMomentLoss,
  gruGenerator, gruDiscriminator, trainSequenceGan,
} from '../../../kernel-helpers/src/gan';
import type { Net } from '../../../kernel-helpers/src/nn';

before(async () => {
  await tf.setBackend('cpu');
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const snapshot = (nets: Net[]): Float32Array[] => nets.flatMap((n) => n.variables.map((v) => Float32Array.from(v.dataSync())));
const changed = (before: Float32Array[], nets: Net[]) => nets.flatMap((n) => n.variables).some((v, i) => v.dataSync().some((x, j) => x !== before[i][j]));

/** [n, T, F] sines in [-1, 1] (or [0, 1] with `unit`), random frequency and phase per sequence and feature. */
function sines(n: number, T: number, F: number, unit = false): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.reshape(tf.range(0, T), [1, T, 1]);
    const freq = tf.randomUniform([n, 1, F], 0.1, 0.5);
    const phase = tf.randomUniform([n, 1, F], 0, 3);
    const s = tf.sin(tf.add(tf.mul(freq, t), phase));
    return unit ? tf.mul(0.5, tf.add(s, 1)) : s;
  });
}

test('C-RNN-GAN: generator [n, T, latentDim] -> [n, T, features] in (-1, 1); discriminator logits per step, averaged, and features', () => {
  const G = cRnnGanGenerator({ features: 4, latentDim: 3, hidden: 5, length: 6, seed: 1 });
  const D = cRnnGanDiscriminator({ features: 4, hidden: 5, length: 6, seed: 2 });
  const z = tf.randomUniform([2, 6, 3], 0, 1, 'float32', 1);
  const y = G.apply(z);
  assert.deepEqual(y.shape, [2, 6, 4]);
  assert.ok(y.dataSync().every((v) => v > -1 && v < 1));
  const logit = D.apply(y), steps = D.stepLogits(y), feats = D.hiddenFeatures(y);
  assert.deepEqual(logit.shape, [2, 1]);
  assert.deepEqual(steps.shape, [2, 6, 1]);
  assert.deepEqual(feats.shape, [2, 6, 10]);
  const avg = tf.mean(steps, 1);
  assert.ok(maxAbsDiff(logit, avg) < 1e-6);
  assert.throws(() => G.apply(tf.zeros([2, 6, 4])), /shape/);
  assert.throws(() => D.hiddenFeatures(tf.zeros([2, 5, 4])), /\[batch, 6, 4\]/);
  assert.throws(() => cRnnGanGenerator({ layers: 0 }), /layers/);
  assert.throws(() => cRnnGanDiscriminator({ hiden: 3 } as never), /hiden/);
  const D2 = D.clone('D2');
  assert.ok(maxAbsDiff(D2.stepLogits(y), steps) < 1e-6);
  tf.dispose([z, y, logit, steps, feats, avg]);
  for (const n of [G, D, D2]) n.dispose!();
});

test("C-RNN-GAN: the generator's output at step t depends on its output at t - 1 (output feedback)", () => {
  // Cut every other path from step t-1 to t: no recurrent weights and a closed forget gate,
  // so the LSTM state carries nothing; only the fed-back y_{t-1} can still carry z_{t-1}.
  const H = 4, F = 2, Z = 2;
  const outputAt2 = (feedback: boolean) => {
    const G = cRnnGanGenerator({ features: F, latentDim: Z, hidden: H, layers: 1, length: 3, seed: 5 });
    const [W, U, b] = G.variables;
    U.assign(tf.zerosLike(U));
    const bias = b.dataSync().slice();
    bias.fill(-1e4, H, 2 * H);
    b.assign(tf.tensor1d(bias));
    if (!feedback) {
      // Zero the rows of the input kernel that read y_{t-1} (the input is [z_t, y_{t-1}]).
      const w = W.arraySync() as number[][];
      for (let i = Z; i < Z + F; i++) w[i].fill(0);
      W.assign(tf.tensor2d(w));
    }
    const z = tf.randomNormal([1, 3, Z], 0, 1, 'float32', 9);
    const z2 = tf.add(z, tf.tensor3d([[[0, 0], [1, -1], [0, 0]]])); // perturb z_1 only
    const a = G.apply(z), c = G.apply(z2);
    const d1 = maxAbsDiff(tf.slice(a, [0, 1, 0], [1, 1, F]), tf.slice(c, [0, 1, 0], [1, 1, F]));
    const d2 = maxAbsDiff(tf.slice(a, [0, 2, 0], [1, 1, F]), tf.slice(c, [0, 2, 0], [1, 1, F]));
    const d0 = maxAbsDiff(tf.slice(a, [0, 0, 0], [1, 1, F]), tf.slice(c, [0, 0, 0], [1, 1, F]));
    tf.dispose([z, z2, a, c]);
    G.dispose!();
    return { d0, d1, d2 };
  };
  const on = outputAt2(true), off = outputAt2(false);
  assert.equal(on.d0, 0);
  assert.ok(on.d1 > 1e-3, `y_1 moves with z_1 (${on.d1})`);
  assert.ok(on.d2 > 1e-4, `y_2 moves with z_1 through y_1 (${on.d2})`);
  assert.ok(off.d2 < 1e-7, `without the feedback rows y_2 ignores z_1 (${off.d2})`);
});

test('featureMatchingLoss is the squared distance of batch means, summed over features and averaged over steps', () => {
  const real = tf.tensor3d([[[1, 2], [0, 0]], [[3, 2], [0, 2]]]); // means per step: [2, 2], [0, 1]
  const fake = tf.zeros([3, 2, 2]);
  const l = featureMatchingLoss(real, fake);
  assert.ok(Math.abs(l.dataSync()[0] - (4 + 4 + 0 + 1) / 2) < 1e-6);
  assert.throws(() => featureMatchingLoss(real, tf.zeros([3, 2, 3])), /realFeatures/);
  tf.dispose([real, fake, l]);
});

test('RCGAN: the condition is fed at every step and changes the outputs of G and D; shapes and condition errors', () => {
  const G = rcganGenerator({ features: 14, latentDim: 3, hidden: 6, length: 14, classes: 10, seed: 1 });
  const D = rcganDiscriminator({ features: 14, hidden: 6, length: 14, classes: 10, seed: 2 });
  const z = tf.randomNormal([2, 14, 3], 0, 1, 'float32', 4);
  const y0 = G.apply(z, { labels: tf.tensor1d([0, 0], 'int32') });
  const y3 = G.apply(z, { labels: tf.tensor1d([3, 3], 'int32') });
  assert.deepEqual(y0.shape, [2, 14, 14]);
  assert.ok(maxAbsDiff(y0, y3) > 1e-4);
  const d0 = D.apply(y0, { labels: tf.tensor1d([0, 0], 'int32') });
  const d3 = D.apply(y0, { labels: tf.tensor1d([3, 3], 'int32') });
  assert.deepEqual(d0.shape, [2, 14, 1]);
  assert.ok(maxAbsDiff(d0, d3) > 1e-5);
  // Even the first step sees the condition (it is appended at EVERY step, not only at t = 0).
  assert.ok(maxAbsDiff(tf.slice(y0, [0, 0, 0], [2, 1, 14]), tf.slice(y3, [0, 0, 0], [2, 1, 14])) > 1e-5);
  assert.throws(() => G.apply(z), /opts\.labels/);
  assert.throws(() => G.apply(z, { labels: tf.tensor1d([1, 2, 3], 'int32') }), /labels/);
  // A condition vector instead of a class.
  const Gv = rcganGenerator({ features: 1, latentDim: 2, hidden: 4, conditionDim: 3, seed: 3 });
  const zv = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 6);
  const a = Gv.apply(zv, { condition: tf.tensor2d([[1, 0, 0], [1, 0, 0]]) }), b = Gv.apply(zv, { condition: tf.tensor2d([[0, 0, 1], [0, 0, 1]]) });
  assert.ok(maxAbsDiff(a, b) > 1e-5);
  assert.throws(() => Gv.apply(zv, { condition: tf.zeros([2, 4]) }), /opts\.condition must be a \[2, 3\]/);
  assert.throws(() => rcganGenerator({ classes: 2, conditionDim: 2 }), /classes/);
  // Unconditional (the sines of the paper).
  const Gu = rcganGenerator({ features: 2, latentDim: 2, hidden: 4, seed: 1 });
  assert.deepEqual(Gu.apply(zv).shape, [2, 5, 2]);
  for (const n of [G, D, Gv, Gu]) n.dispose();
});

test("TimeGAN: the five nets' shapes, sigmoid outputs, and samples in [0, 1]", () => {
  const nets = timeGanNets({ features: 3, length: 5, hidden: 4, layers: 2, seed: 1 });
  const x = tf.randomUniform([2, 5, 3], 0, 1, 'float32', 1);
  const h = nets.embedder.apply(x);
  assert.deepEqual(h.shape, [2, 5, 4]);
  assert.deepEqual(nets.recovery.apply(h).shape, [2, 5, 3]);
  assert.deepEqual(nets.supervisor.apply(h).shape, [2, 5, 4]);
  assert.deepEqual(nets.discriminator.apply(h).shape, [2, 5, 1]);
  assert.equal(nets.supervisor.parts!.length, 2, 'one GRU fewer than the others (plus the dense head)');
  assert.equal(nets.embedder.parts!.length, 3);
  const s = sampleTimeGan(nets, 3);
  assert.deepEqual(s.shape, [3, 5, 3]);
  assert.ok(s.dataSync().every((v) => v >= 0 && v <= 1));
  assert.throws(() => sampleTimeGan(nets, 3, { noise: tf.zeros([3, 5, 2]) }), /opts\.noise/);
  assert.throws(() => timeGanNets({ features: 3, length: 0 }), /length/);
  tf.dispose([x, h, s]);
  nets.dispose();
});

test("TimeGAN's supervised loss is the supervisor's one-step-ahead MSE on embeddings (hand computation)", () => {
  // h: T = 3 steps, 2 units; s(h)_{t-1} should predict h_t.
  const h = tf.tensor3d([[[0.1, 0.2], [0.3, 0.5], [0.9, 0.4]]]);
  const sh = tf.tensor3d([[[0.2, 0.5], [0.6, 0.6], [7, 7]]]); // the last step predicts beyond T: unused
  // (0.3-0.2)^2 + (0.5-0.5)^2 + (0.9-0.6)^2 + (0.4-0.6)^2 = 0.01 + 0 + 0.09 + 0.04 = 0.14, over 4 entries
  const l = timeGanSupervisedLoss(h, sh);
  assert.ok(Math.abs(l.dataSync()[0] - 0.035) < 1e-6);
  assert.throws(() => timeGanSupervisedLoss(tf.zeros([1, 1, 2]), tf.zeros([1, 1, 2])), /T >= 2/);
  // Moment loss: equal batches cost 0.
  const x = tf.randomUniform([4, 3, 2], 0, 1, 'float32', 2);
  assert.ok(timeGanMomentLoss(x, x).dataSync()[0] < 1e-6);
  tf.dispose([h, sh, l, x]);
});

test('trainCRnnGan runs with finite losses, changes both nets, leaks nothing, and names bad arguments', async () => {
  const G = cRnnGanGenerator({ features: 2, latentDim: 2, hidden: 4, length: 5, seed: 1 });
  const D = cRnnGanDiscriminator({ features: 2, hidden: 4, length: 5, seed: 2 });
  const before = snapshot([G, D]);
  const n0 = tf.memory().numTensors;
  const res = await trainCRnnGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 5, 2), steps: 3, batchSize: 4, logEvery: 1, stopOnInterrupt: false });
  assert.equal(tf.memory().numTensors, n0);
  assert.equal(res.steps, 3);
  assert.ok(res.history.every((h) => Number.isFinite(h.lossD) && Number.isFinite(h.lossG) && Number.isFinite(h.penalties.featureMatching)));
  assert.ok(changed(before, [G]) && changed(before.slice(G.variables.length), [D]));
  const r2 = await trainCRnnGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 5, 2), steps: 1, batchSize: 4, featureMatching: false, stopOnInterrupt: false });
  assert.ok(Number.isFinite(r2.history[0].lossG));
  await assert.rejects(trainCRnnGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 6, 2), steps: 1, batchSize: 4, stopOnInterrupt: false }), /sampleReal\(4\) must be \[4, 5, 2\]/);
  await assert.rejects(trainCRnnGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 5, 3), steps: 1, batchSize: 4, stopOnInterrupt: false }), /sampleReal.*2 features/);
  await assert.rejects(trainCRnnGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 5, 2), sampleNoise: (n) => tf.zeros([n, 5, 3]), steps: 1, batchSize: 4, stopOnInterrupt: false }), /sampleNoise/);
  await assert.rejects(trainCRnnGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 5, 2), steps: 1, batchSize: 0 }), /batchSize/);
  const Dwide = cRnnGanDiscriminator({ features: 3, hidden: 4, length: 5, seed: 2 });
  await assert.rejects(trainCRnnGan({ generator: G, discriminator: Dwide, sampleReal: (n) => sines(n, 5, 2), steps: 1 }), /discriminator takes/);
  assert.equal(tf.memory().numTensors, n0 + Dwide.variables.length);
  for (const n of [G, D, Dwide]) n.dispose!();
});

test('trainRcgan runs conditionally and unconditionally, leaks nothing, and rejects a wrong condition', async () => {
  const G = rcganGenerator({ features: 3, latentDim: 2, hidden: 4, length: 4, classes: 3, seed: 1 });
  const D = rcganDiscriminator({ features: 3, hidden: 4, length: 4, classes: 3, seed: 2 });
  const before = snapshot([G, D]);
  const data = (n: number) => ({ sequences: sines(n, 4, 3), labels: tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32') });
  const n0 = tf.memory().numTensors;
  const res = await trainRcgan({ generator: G, discriminator: D, sampleReal: data, steps: 3, batchSize: 4, logEvery: 1, stopOnInterrupt: false });
  assert.equal(tf.memory().numTensors, n0);
  assert.ok(res.history.every((h) => Number.isFinite(h.lossD) && Number.isFinite(h.lossG)));
  assert.ok(changed(before, [G]) && changed(before.slice(G.variables.length), [D]));
  await assert.rejects(trainRcgan({ generator: G, discriminator: D, sampleReal: (n) => ({ sequences: sines(n, 4, 3) }), steps: 1, batchSize: 4, stopOnInterrupt: false }), /sampleReal\(4\)\.labels must be \[4\]/);
  await assert.rejects(trainRcgan({ generator: G, discriminator: D, sampleReal: (n) => ({ sequences: sines(n, 4, 3), labels: tf.zeros([n, 3]) }), steps: 1, batchSize: 4, stopOnInterrupt: false }), /labels/);
  await assert.rejects(trainRcgan({ generator: G, discriminator: D, sampleReal: (n) => ({ sequences: sines(n, 5, 3), labels: tf.zeros([n]) }), steps: 1, batchSize: 4, stopOnInterrupt: false }), /sampleReal\(4\)\.sequences must be \[4, 4, 3\]/);
  await assert.rejects(trainRcgan({ generator: G, discriminator: D, sampleReal: data, sampleNoise: (n) => tf.zeros([n, 4, 1]), steps: 1, batchSize: 4, stopOnInterrupt: false }), /sampleNoise\(4\) must be \[4, 4, 2\]/);
  assert.equal(tf.memory().numTensors, n0);
  const Du = rcganDiscriminator({ features: 3, hidden: 4, length: 4, seed: 2 });
  await assert.rejects(trainRcgan({ generator: G, discriminator: Du, sampleReal: data, steps: 1 }), /conditioned on 3 classes/);
  const Gu = rcganGenerator({ features: 3, latentDim: 2, hidden: 4, length: 4, seed: 1 });
  const ru = await trainRcgan({ generator: Gu, discriminator: Du, sampleReal: (n) => ({ sequences: sines(n, 4, 3) }), steps: 2, batchSize: 4, stopOnInterrupt: false });
  assert.ok(Number.isFinite(ru.history[ru.history.length - 1].lossD));
  for (const n of [G, D, Gu, Du]) n.dispose();
});

test("trainRcgan's wrongLabels adds D's cross-entropy on real sequences under wrong labels (hand computation with two classes); every wrong label differs", async () => {
  const x = sines(4, 4, 3);
  const y = tf.tensor1d([0, 1, 1, 0], 'int32');
  const data = () => ({ sequences: x.clone(), labels: y.clone() });
  const firstLossD = async (wrongLabels: boolean) => {
    const G = rcganGenerator({ features: 3, latentDim: 2, hidden: 4, length: 4, classes: 2, seed: 1 });
    const D = rcganDiscriminator({ features: 3, hidden: 4, length: 4, classes: 2, seed: 2 });
    // With two classes the only wrong label is 1 - y: D's extra term at its starting weights.
    const extra = tf.tidy(() => tf.mean(tf.softplus(D.apply(x, { labels: tf.cast(tf.sub(1, y), 'int32') }))).dataSync()[0]);
    const res = await trainRcgan({ generator: G, discriminator: D, sampleReal: data, steps: 1, batchSize: 4, logEvery: 1, wrongLabels, noiseSeed: 5, stopOnInterrupt: false });
    G.dispose();
    D.dispose();
    return { lossD: res.history[0].lossD, extra };
  };
  const plain = await firstLossD(false);
  const wrong = await firstLossD(true);
  assert.ok(Math.abs(wrong.lossD - (plain.lossD + plain.extra)) < 1e-5, `${wrong.lossD} against ${plain.lossD} + ${plain.extra}`);
  assert.ok(plain.extra > 0.1);

  // Three classes: record the labels D is shown; the third call of each step is the wrong pair.
  const G = rcganGenerator({ features: 3, latentDim: 2, hidden: 4, length: 4, classes: 3, seed: 1 });
  const D = rcganDiscriminator({ features: 3, hidden: 4, length: 4, classes: 3, seed: 2 });
  const seen: number[][] = [];
  const spy = { ...D, apply: (t: tf.Tensor, o?: { labels?: tf.Tensor }) => (seen.push(Array.from(o!.labels!.dataSync())), D.apply(t, o)) };
  const labels3 = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
  await trainRcgan({ generator: G, discriminator: spy, sampleReal: () => ({ sequences: sines(6, 4, 3), labels: labels3.clone() }), steps: 5, batchSize: 6, wrongLabels: true, stopOnInterrupt: false });
  assert.equal(seen.length, 5 * 4);
  for (let k = 0; k < 5; k++) {
    const right = seen[4 * k], shown = seen[4 * k + 2];
    assert.deepEqual(right, [0, 1, 2, 0, 1, 2]);
    assert.ok(shown.every((v, i) => Number.isInteger(v) && v >= 0 && v < 3 && v !== right[i]), `step ${k}: ${shown}`);
  }
  await assert.rejects(trainRcgan({ generator: rcganGenerator({ features: 3, latentDim: 2, hidden: 4, length: 4, seed: 1 }), discriminator: rcganDiscriminator({ features: 3, hidden: 4, length: 4, seed: 2 }), sampleReal: (n) => ({ sequences: sines(n, 4, 3) }), steps: 1, wrongLabels: true }), /wrongLabels needs nets conditioned on classes, but they are conditioned on nothing/);
  tf.dispose([x, y, labels3]);
  G.dispose();
  D.dispose();
});

test('trainRcgan: optimizerD sgd, and an EMA generator that is returned, conditioned like G, differs from it and leaks nothing', async () => {
  const G = rcganGenerator({ features: 3, latentDim: 2, hidden: 4, length: 4, classes: 3, seed: 1 });
  const D = rcganDiscriminator({ features: 3, hidden: 4, length: 4, classes: 3, seed: 2 });
  const data = (n: number) => ({ sequences: sines(n, 4, 3), labels: tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32') });
  const n0 = tf.memory().numTensors;
  const res = await trainRcgan({ generator: G, discriminator: D, sampleReal: data, steps: 4, batchSize: 4, lrD: 0.1, optimizerD: 'sgd', ema: 0.9, stopOnInterrupt: false });
  const E = res.emaGenerator!;
  assert.deepEqual(E.condition, { kind: 'classes', classes: 3 });
  const z = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 1);
  const labels = tf.tensor1d([0, 1, 2], 'int32');
  const gap = tf.tidy(() => maxAbsDiff(E.apply(z, { labels }), G.apply(z, { labels })));
  assert.ok(gap > 1e-6 && Number.isFinite(gap));
  tf.dispose([z, labels]);
  E.dispose();
  assert.equal(tf.memory().numTensors, n0);
  await assert.rejects(trainRcgan({ generator: G, discriminator: D, sampleReal: data, steps: 1, optimizerD: 'rmsprop' as 'sgd' }), /optimizerD/);
  await assert.rejects(trainRcgan({ generator: G, discriminator: D, sampleReal: data, steps: 1, ema: 1.5 }), /decay must be in \[0, 1\)/);
  G.dispose();
  D.dispose();
});

test('trainTimeGan runs its three phases with finite named losses, changes all five nets, leaks nothing; the ablation skips the supervisor', async () => {
  const nets = timeGanNets({ features: 2, length: 4, hidden: 3, layers: 2, seed: 3 });
  const all = [nets.embedder, nets.recovery, nets.generator, nets.supervisor, nets.discriminator];
  const before = snapshot(all);
  const n0 = tf.memory().numTensors;
  const res = await trainTimeGan({ nets, sampleReal: (n) => sines(n, 4, 2, true), embeddingSteps: 2, supervisedSteps: 2, jointSteps: 2, batchSize: 4, dThreshold: 0, logEvery: 1, stopOnInterrupt: false });
  assert.equal(tf.memory().numTensors, n0);
  assert.deepEqual([res.embedding.steps, res.supervised.steps, res.joint.steps], [2, 2, 2]);
  assert.ok(Number.isFinite(res.embedding.history[0].penalties.reconstruction));
  assert.ok(Number.isFinite(res.supervised.history[0].penalties.supervised));
  const j = res.joint.history[1];
  for (const k of ['adversarialU', 'adversarialUe', 'supervised', 'moments', 'reconstruction', 'dUpdated']) assert.ok(Number.isFinite(j.penalties[k]), k);
  assert.ok(Number.isFinite(j.lossD) && Number.isFinite(j.lossG));
  let offset = 0;
  for (const net of all) {
    assert.ok(changed(before.slice(offset, offset + net.variables.length), [net]), `${net.name} changed`);
    offset += net.variables.length;
  }
  // D only trains while its loss is above the threshold: with an unreachable one it stays put.
  const dBefore = snapshot([nets.discriminator]);
  const r2 = await trainTimeGan({ nets, sampleReal: (n) => sines(n, 4, 2, true), embeddingSteps: 0, supervisedSteps: 0, jointSteps: 1, batchSize: 4, dThreshold: 1e9, stopOnInterrupt: false });
  assert.equal(r2.joint.history[0].penalties.dUpdated, 0);
  assert.ok(!changed(dBefore, [nets.discriminator]));
  const sBefore = snapshot([nets.supervisor]);
  const ab = await trainTimeGan({ nets, sampleReal: (n) => sines(n, 4, 2, true), embeddingSteps: 1, supervisedSteps: 3, jointSteps: 1, batchSize: 4, useSupervisor: false, stopOnInterrupt: false });
  assert.equal(ab.supervised.steps, 0);
  assert.ok(!('supervised' in ab.joint.history[0].penalties) && !('adversarialUe' in ab.joint.history[0].penalties));
  assert.ok(!changed(sBefore, [nets.supervisor]), 'the supervisor is not trained in the ablation');
  const x = sampleTimeGan(nets, 2, { useSupervisor: false });
  assert.deepEqual(x.shape, [2, 4, 2]);
  x.dispose();
  assert.equal(tf.memory().numTensors, n0);
  await assert.rejects(trainTimeGan({ nets, sampleReal: (n) => sines(n, 5, 2, true), embeddingSteps: 1, supervisedSteps: 0, jointSteps: 0, batchSize: 4 }), /sampleReal\(4\) must be \[4, 4, 2\]/);
  await assert.rejects(trainTimeGan({ nets, sampleReal: (n) => sines(n, 4, 2, true), sampleNoise: (n) => tf.zeros([n, 4, 5]), embeddingSteps: 0, supervisedSteps: 0, jointSteps: 1, batchSize: 4 }), /sampleNoise\(4\) must be \[4, 4, 2\]/);
  await assert.rejects(trainTimeGan({ nets, sampleReal: (n) => sines(n, 4, 2, true), embeddingSteps: -1, supervisedSteps: 0, jointSteps: 0 }), /embeddingSteps/);
  await assert.rejects(trainTimeGan({ nets, sampleReal: (n) => sines(n, 4, 2, true), embeddingSteps: 0, supervisedSteps: 0, jointSteps: 0, weights: { gama: 1 } as never }), /gama/);
  assert.equal(tf.memory().numTensors, n0);
  nets.dispose();
});

test('the TimeGAN embedding phase lowers the reconstruction loss on sines within 50 steps', async () => {
  const nets = timeGanNets({ features: 2, length: 6, hidden: 6, layers: 1, seed: 4 });
  const res = await trainTimeGan({ nets, sampleReal: (n) => sines(n, 6, 2, true), embeddingSteps: 50, supervisedSteps: 0, jointSteps: 0, batchSize: 16, lr: 1e-2, logEvery: 5, stopOnInterrupt: false });
  const h = res.embedding.history;
  const first = h[0].penalties.reconstruction, last = h[h.length - 1].penalties.reconstruction;
  assert.ok(last < 0.7 * first, `reconstruction ${first} -> ${last}`);
  nets.dispose();
});

test('trainSequenceGan trains the GRU pair on sequences through train() and names bad batches', async () => {
  const G = gruGenerator({ latentDim: 2, features: 2, hidden: 4, timeSteps: 5, outputActivation: 'tanh', seed: 1 });
  const D = gruDiscriminator({ features: 2, hidden: 4, timeSteps: 5, seed: 2 });
  const before = snapshot([G, D]);
  const n0 = tf.memory().numTensors;
  const res = await trainSequenceGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 5, 2), steps: 3, batchSize: 4, logEvery: 1, stopOnInterrupt: false });
  assert.equal(tf.memory().numTensors, n0);
  assert.ok(res.history.every((h) => Number.isFinite(h.lossD) && Number.isFinite(h.lossG)));
  assert.ok(changed(before, [G, D]));
  await assert.rejects(trainSequenceGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 7, 2), steps: 1, batchSize: 4, stopOnInterrupt: false }), /sampleReal\(4\) must be \[4, 5, 2\]/);
  await assert.rejects(trainSequenceGan({ generator: G, discriminator: D, sampleReal: (n) => sines(n, 5, 2), sampleNoise: (n) => tf.zeros([n, 5, 1]), steps: 1, batchSize: 4, stopOnInterrupt: false }), /sampleNoise/);
  const Dw = gruDiscriminator({ features: 3, hidden: 4, timeSteps: 5, seed: 2 });
  await assert.rejects(trainSequenceGan({ generator: G, discriminator: Dw, sampleReal: (n) => sines(n, 5, 3), steps: 1 }), /discriminator takes/);
  // Any-length nets: the length comes from the data.
  const Ga = gruGenerator({ latentDim: 2, features: 2, hidden: 4, seed: 1 }), Da = gruDiscriminator({ features: 2, hidden: 4, seed: 2 });
  const ra = await trainSequenceGan({ generator: Ga, discriminator: Da, sampleReal: (n) => sines(n, 6, 2), steps: 2, batchSize: 4, stopOnInterrupt: false });
  assert.equal(ra.steps, 2);
  for (const n of [G, D, Dw, Ga, Da]) n.dispose!();
});

test('the sequence trainers draw their default noise from noiseSeed: two runs from the same start give the same losses, another seed others', async () => {
  const fixed = (seed: number) => tf.tidy(() => tf.mul(0.5, tf.add(tf.sin(tf.add(tf.mul(tf.reshape(tf.range(0, 4), [1, 4, 1]), tf.randomUniform([1, 1, 3], 0.1, 0.5, 'float32', seed)), 1)), 1)));
  const data = (n: number) => tf.tidy(() => tf.concat(Array.from({ length: n }, (_, i) => fixed(i + 1))));
  const runs = {
    timeGan: (noiseSeed?: number) => trainTimeGan({ nets: timeGanNets({ features: 3, length: 4, hidden: 4, layers: 1, seed: 1 }), sampleReal: data, embeddingSteps: 1, supervisedSteps: 1, jointSteps: 2, batchSize: 4, logEvery: 1, noiseSeed, stopOnInterrupt: false }).then((r) => r.joint.history),
    rcgan: (noiseSeed?: number) => trainRcgan({ generator: rcganGenerator({ features: 3, latentDim: 2, hidden: 4, length: 4, seed: 1 }), discriminator: rcganDiscriminator({ features: 3, hidden: 4, length: 4, seed: 2 }), sampleReal: (n) => ({ sequences: data(n) }), steps: 2, batchSize: 4, logEvery: 1, noiseSeed, stopOnInterrupt: false }).then((r) => r.history),
    cRnnGan: (noiseSeed?: number) => trainCRnnGan({ generator: cRnnGanGenerator({ features: 3, latentDim: 2, hidden: 4, layers: 1, length: 4, seed: 1 }), discriminator: cRnnGanDiscriminator({ features: 3, hidden: 4, layers: 1, length: 4, seed: 2 }), sampleReal: data, steps: 2, batchSize: 4, logEvery: 1, noiseSeed, stopOnInterrupt: false }).then((r) => r.history),
    sequenceGan: (noiseSeed?: number) => trainSequenceGan({ generator: gruGenerator({ latentDim: 2, features: 3, hidden: 4, timeSteps: 4, seed: 1 }), discriminator: gruDiscriminator({ features: 3, hidden: 4, timeSteps: 4, seed: 2 }), sampleReal: data, steps: 2, batchSize: 4, logEvery: 1, noiseSeed, stopOnInterrupt: false }).then((r) => r.history),
  };
  for (const [name, run] of Object.entries(runs)) {
    const losses = (h: { lossD: number; lossG: number }[]) => h.map((s) => [s.lossD, s.lossG]);
    const a = losses(await run()), b = losses(await run()), c = losses(await run(7));
    assert.deepEqual(a, b, `${name}: two runs with the default noise seed differ`);
    assert.notDeepEqual(a, c, `${name}: another noise seed gives the same losses`);
  }
  await assert.rejects(runs.rcgan(Number.NaN), /noiseSeed/);
});
