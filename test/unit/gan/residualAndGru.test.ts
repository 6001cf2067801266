import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { residualBlock, residualGenerator, residualDiscriminator, gruGenerator, gruDiscriminator, r1Penalty, r2Penalty, gradientPenalty, train } from '../../../kernel-helpers/src/gan';
import { gru, parameterCount } from '../../../kernel-helpers/src/nn';
import { gradCheck } from '../nn/gradcheck';

before(async () => {
  await tf.setBackend('cpu');
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

test('residual block starts as the identity (zero-initialised last conv) and stays shape-preserving', () => {
  const blk = residualBlock({ channels: 8, expansion: 2, groups: 4, size: [6, 6], seed: 1 });
  const x = tf.randomNormal([2, 6, 6, 8], 0, 1, 'float32', 3);
  const y = blk.apply(x);
  assert.equal(maxAbsDiff(x, y), 0);
  // After a perturbation of the last conv the branch contributes.
  const last = blk.variables[4];
  last.assign(tf.onesLike(last));
  const y2 = blk.apply(x);
  assert.ok(maxAbsDiff(x, y2) > 1e-3);
  assert.throws(() => residualBlock({ channels: 6, expansion: 1, groups: 4 }), /groups \(4\) must divide the branch width channels x expansion = 6 x 1 = 6/);
  tf.dispose([x, y, y2]);
  blk.dispose!();
});

test('residual generator and discriminator on 28x28: shapes, errors, identity blocks at init', () => {
  const G = residualGenerator({ seed: 1 });
  const D = residualDiscriminator({ seed: 2 });
  const x = tf.tidy(() => G.apply(tf.randomNormal([2, 64])));
  assert.deepEqual(x.shape, [2, 28, 28, 1]);
  const d = D.apply(x);
  assert.deepEqual(d.shape, [2, 1]);
  assert.throws(() => residualDiscriminator({ groups: 3 }), /groups \(3\) must divide every branch width/);
  assert.throws(() => residualGenerator({ imageSize: 30 }), /imageSize \(30\) must be divisible by 2\^\(stages - 1\) = 4/);
  assert.throws(() => D.apply(tf.zeros([1, 28, 28, 3])), /D: input must have shape \[batch, 28, 28, 1\]/);
  assert.ok(parameterCount(G) > 10000 && parameterCount(D) > 10000);
  tf.dispose([x, d]);
  G.dispose!();
  D.dispose!();
});

test('R1, R2 and GP through a small residual discriminator match finite differences', () => {
  // A smooth activation: with hundreds of units a leaky-ReLU net's penalty jumps wherever a
  // unit changes sign, which finite differences cannot bridge (the activations themselves
  // are checked in penalties.test.ts).
  const D = residualDiscriminator({ imageSize: 8, channels: [4, 8], groups: 2, activation: 'softplus', seed: 5 });
  // Give the zero-initialised branches weights so their gradients are exercised.
  for (const v of D.variables) v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.2, 'float32', v.size))));
  const real = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 1);
  const fake = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 2);
  const eps = tf.tensor1d([0.3, 0.7]);
  for (const [name, f] of [
    ['R1', () => r1Penalty(D, real, 1)],
    ['R2', () => r2Penalty(D, fake, 1)],
    ['GP', () => gradientPenalty(D, real, fake, { epsilon: eps })],
  ] as [string, () => tf.Scalar][]) {
    const r = gradCheck(f, D.variables, { seed: 2, directions: 2 });
    assert.ok(r.worstRelError < 2e-2, `${name}: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  }
  tf.dispose([real, fake, eps]);
  D.dispose!();
});

/** Plain-number GRU for one sequence, the equations of gru.ts written out. */
function referenceGru(x: number[][], W: number[][], U: number[][], b: number[], H: number): number[][] {
  const sig = (t: number) => 1 / (1 + Math.exp(-t));
  let h = new Array(H).fill(0);
  const out: number[][] = [];
  for (const xt of x) {
    const a = (j: number, useH: number[]) =>
      b[j] + xt.reduce((s, v, i) => s + v * W[i][j], 0) + useH.reduce((s, v, i) => s + v * U[i][j], 0);
    const z = Array.from({ length: H }, (_, k) => sig(a(k, h)));
    const r = Array.from({ length: H }, (_, k) => sig(a(H + k, h)));
    const rh = h.map((v, i) => v * r[i]);
    const n = Array.from({ length: H }, (_, k) => Math.tanh(a(2 * H + k, rh)));
    h = h.map((v, k) => (1 - z[k]) * v + z[k] * n[k]);
    out.push(h.slice());
  }
  return out;
}

test('GRU layer matches the written-out equations', () => {
  const H = 3;
  const g = gru({ inputSize: 2, hidden: H, seed: 4 });
  const [Wv, Uv, bv] = g.variables;
  bv.assign(tf.tensor1d([0.1, -0.2, 0.3, 0.05, 0, -0.1, 0.2, 0.1, -0.3]));
  const xs = [[0.5, -1], [1.5, 0.2], [-0.7, 0.9], [0, 0.3]];
  const y = g.apply(tf.tensor3d([xs]));
  assert.deepEqual(y.shape, [1, 4, 3]);
  const want = referenceGru(xs, Wv.arraySync() as number[][], Uv.arraySync() as number[][], bv.arraySync() as number[], H);
  const got = (y.arraySync() as number[][][])[0];
  got.forEach((row, t) => row.forEach((v, k) => assert.ok(Math.abs(v - want[t][k]) < 1e-5, `h[${t}][${k}] ${v} vs ${want[t][k]}`)));
  y.dispose();
  g.dispose!();
});

test('GRU generator/discriminator: shapes; R1 through the GRU matches finite differences', () => {
  const G = gruGenerator({ latentDim: 2, features: 3, hidden: 5, layers: 2, timeSteps: 6, seed: 1 });
  const D = gruDiscriminator({ features: 3, hidden: 4, timeSteps: 6, seed: 2 });
  const seq = tf.tidy(() => G.apply(tf.randomNormal([2, 6, 2])));
  assert.deepEqual(seq.shape, [2, 6, 3]);
  const d = D.apply(seq);
  assert.deepEqual(d.shape, [2, 1]);
  assert.throws(() => D.apply(tf.zeros([2, 5, 3])), /D: input must have shape \[batch, 6, 3\]/);
  const small = gruDiscriminator({ features: 2, hidden: 3, seed: 3 });
  const x = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 5);
  const r = gradCheck(() => r1Penalty(small, x, 2), small.variables, { seed: 4 });
  assert.ok(r.worstRelError < 2e-2, `GRU R1: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  tf.dispose([seq, d, x]);
  for (const n of [G, D, small]) n.dispose!();
});

test('the residual and GRU pairs train through the loop without leaking tensors', async () => {
  const G = residualGenerator({ imageSize: 8, channels: [8, 4], latentDim: 4, groups: 2, seed: 1 });
  const D = residualDiscriminator({ imageSize: 8, channels: [4, 8], groups: 2, seed: 2 });
  const counts: number[] = [];
  const res = await train({
    generator: G,
    discriminator: D,
    sampleReal: (n) => tf.tidy(() => tf.tanh(tf.randomNormal([n, 8, 8, 1]))),
    sampleLatent: (n) => tf.randomNormal([n, 4]),
    loss: 'relativisticPaired',
    penalties: { r1: 0.5, r2: 0.5 },
    ema: 0.9,
    batchSize: 4,
    steps: 6,
    logEvery: 2,
    callbacks: { onStep: () => void counts.push(tf.memory().numTensors) },
  });
  assert.equal(res.steps, 6);
  assert.ok(res.history.every((h) => Number.isFinite(h.lossD) && Number.isFinite(h.penalties.r1!)));
  assert.equal(counts[5], counts[2]);
  res.emaGenerator!.dispose!();
  G.dispose!();
  D.dispose!();

  const SG = gruGenerator({ latentDim: 2, features: 1, hidden: 6, timeSteps: 5, seed: 3 });
  const SD = gruDiscriminator({ features: 1, hidden: 6, timeSteps: 5, seed: 4 });
  const sres = await train({
    generator: SG,
    discriminator: SD,
    sampleReal: (n) => tf.tidy(() => tf.sin(tf.add(tf.reshape(tf.range(0, 5), [1, 5, 1]), tf.randomUniform([n, 1, 1], 0, 6)))),
    sampleLatent: (n) => tf.randomNormal([n, 5, 2]),
    penalties: { r1: 1 },
    batchSize: 4,
    steps: 4,
    logEvery: 2,
  });
  assert.equal(sres.steps, 4);
  assert.ok(sres.history.every((h) => Number.isFinite(h.lossD) && Number.isFinite(h.lossG)));
  SG.dispose!();
  SD.dispose!();
});
