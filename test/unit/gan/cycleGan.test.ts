import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { cycleGanGenerator, patchGanDiscriminator, patchGanLayers, receptiveField, imagePool, cycleLoss, identityLoss, trainCycleGan } from '../../../kernel-helpers/src/gan';
import { boldDigits } from '../../../kernel-helpers/src/data';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

test("receptiveField: the paper's PatchGAN sees 70x70 patches; each layer adds (k - s) times the strides after it", () => {
  const paper = [2, 2, 2, 1, 1].map((stride) => ({ kernelSize: 4, stride }));
  assert.equal(receptiveField(paper), 70);
  assert.equal(receptiveField([{ kernelSize: 3, stride: 1 }]), 3);
  assert.equal(receptiveField([{ kernelSize: 3, stride: 1 }, { kernelSize: 3, stride: 1 }]), 5);
  assert.equal(receptiveField([{ kernelSize: 4, stride: 2 }, { kernelSize: 4, stride: 1 }]), 10);
  assert.deepEqual(patchGanLayers({ channels: [8], strides: [2] }), [{ kernelSize: 4, stride: 2 }, { kernelSize: 4, stride: 1 }]);
  assert.throws(() => receptiveField([]), /layers/);
  assert.throws(() => receptiveField([{ kernelSize: 0, stride: 1 }]), /kernelSize/);
  assert.throws(() => patchGanLayers({ channels: [8, 8], strides: [2] }), /strides/);
});

test('a PatchGAN logit depends on exactly a receptive-field-sized square of the input (no instance norm in a one-layer stack)', () => {
  const cfg = { imageSize: 24, channels: [4], strides: [2], seed: 3 };
  const D = patchGanDiscriminator(cfg);
  const rf = receptiveField(patchGanLayers(cfg));
  const x = tf.randomNormal([1, 24, 24, 1], 0, 1, 'float32', 5);
  const out = D.apply(x);
  assert.deepEqual(out.shape, [1, 12, 12, 1]);
  // One logit in the interior: the input gradient's support is its patch.
  const g = tf.grad((inp: tf.Tensor) => tf.sum(tf.slice(D.apply(inp), [0, 6, 6, 0], [1, 1, 1, 1])))(x);
  const v = g.dataSync();
  const rows = new Set<number>(), cols = new Set<number>();
  for (let i = 0; i < 24; i++) for (let j = 0; j < 24; j++) if (Math.abs(v[i * 24 + j]) > 0) { rows.add(i); cols.add(j); }
  assert.equal(rows.size, rf);
  assert.equal(cols.size, rf);
  assert.equal(Math.max(...rows) - Math.min(...rows) + 1, rf);
  tf.dispose([x, out, g]);
  D.dispose!();
});

test('cycleGanGenerator keeps the image shape, outputs in (-1, 1), and checks its arguments', () => {
  const G = cycleGanGenerator({ channels: 4, blocks: 1, seed: 1 });
  const x = tf.randomUniform([3, 14, 14, 1], -1, 1, 'float32', 2);
  const y = G.apply(x);
  assert.deepEqual(y.shape, [3, 14, 14, 1]);
  const v = y.dataSync();
  assert.ok(v.every((t) => t > -1 && t < 1));
  assert.throws(() => cycleGanGenerator({ imageSize: 15 }), /imageSize/);
  assert.throws(() => cycleGanGenerator({ blocks: -1 }), /blocks/);
  assert.throws(() => G.apply(tf.zeros([1, 16, 16, 1])), /shape|16/);
  const D = patchGanDiscriminator({ seed: 2 });
  assert.deepEqual(D.apply(x).shape, [3, 4, 4, 1]);
  tf.dispose([x, y]);
});

test('cycleLoss and identityLoss are mean absolute errors and reject shapes that differ', () => {
  const a = tf.tensor4d([0, 1, -1, 0.5], [1, 2, 2, 1]), b = tf.tensor4d([0.5, 1, 1, 0], [1, 2, 2, 1]);
  assert.ok(Math.abs(cycleLoss(a, b).dataSync()[0] - (0.5 + 0 + 2 + 0.5) / 4) < 1e-6);
  assert.ok(Math.abs(identityLoss(a, a).dataSync()[0]) < 1e-7);
  assert.throws(() => cycleLoss(a, tf.zeros([1, 2, 3, 1])), /same shape/);
  assert.throws(() => identityLoss(a, [1, 2] as unknown as tf.Tensor), /translated/);
});

test('imagePool: passes fakes through while filling, then swaps about half for stored ones; size 0 is off', () => {
  const pool = imagePool({ size: 4, seed: 1 });
  const batch = (v: number) => tf.fill([2, 1, 1, 1], v);
  for (const v of [1, 2]) {
    const b = batch(v);
    const out = pool.query(b);
    assert.deepEqual(Array.from(out.dataSync()), [v, v], 'filling: passed through');
    tf.dispose([b, out]);
  }
  assert.equal(pool.stored, 4);
  const before = tf.memory().numTensors;
  let fromHistory = 0, total = 0;
  for (let k = 0; k < 50; k++) {
    const b = batch(100 + k);
    const out = pool.query(b);
    for (const x of out.dataSync()) { total++; if (x !== 100 + k) { fromHistory++; assert.ok(x === 1 || x === 2 || (x >= 100 && x < 100 + k), `${x} was stored before`); } }
    tf.dispose([b, out]);
  }
  assert.equal(tf.memory().numTensors, before, 'the pool keeps exactly its images');
  assert.equal(pool.stored, 4);
  assert.ok(fromHistory > 0.3 * total && fromHistory < 0.7 * total, `${fromHistory} of ${total} from the history`);
  assert.throws(() => pool.query(tf.zeros([1, 2, 2, 1])), /cannot join/);
  pool.dispose();
  const off = imagePool({ size: 0 });
  const b = batch(7);
  assert.deepEqual(Array.from(off.query(b).dataSync()), [7, 7]);
  assert.throws(() => imagePool({ size: -1 }), /size/);
  assert.throws(() => imagePool({ size: 2.5 }), /size/);
});

function sampler(seed: number, bold: boolean) {
  const r = rng(seed);
  return (n: number) => {
    const px = Float32Array.from({ length: n * 64 }, () => (r.uniform() < 0.1 ? 1 : -1));
    return tf.tensor4d(bold ? boldDigits(px, n, 8) : px, [n, 8, 8, 1]);
  };
}

test('trainCycleGan: every term is logged and finite, G, F and both Ds change; cycle alone leaves the Ds untouched', async () => {
  const mk = (s: number) => ({ G: cycleGanGenerator({ imageSize: 8, channels: 4, blocks: 1, seed: s, name: 'G' }), F: cycleGanGenerator({ imageSize: 8, channels: 4, blocks: 1, seed: s + 1, name: 'F' }),
    DX: patchGanDiscriminator({ imageSize: 8, channels: [4, 8], strides: [2, 1], seed: s + 2, name: 'DX' }), DY: patchGanDiscriminator({ imageSize: 8, channels: [4, 8], strides: [2, 1], seed: s + 3, name: 'DY' }) });
  const nets = mk(1);
  const snap = (n: { variables: tf.Variable[] }) => Array.from(n.variables[0].dataSync());
  const s0 = [nets.G, nets.F, nets.DX, nets.DY].map(snap);
  const before = tf.memory().numTensors;
  const res = await trainCycleGan({ ...nets, sampleX: sampler(2, false), sampleY: sampler(3, true), steps: 4, batchSize: 4, poolSize: 3, logEvery: 1, stopOnInterrupt: false });
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  assert.deepEqual(Object.keys(res.history[0].penalties).sort(), ['adversarialG', 'cycle', 'identity']);
  assert.ok(res.history.every((h) => Number.isFinite(h.lossD) && Number.isFinite(h.lossG) && h.lossD > 0));
  [nets.G, nets.F, nets.DX, nets.DY].forEach((n, i) => assert.notDeepEqual(snap(n), s0[i], `${n.name} changed`));

  const alone = mk(5);
  const d0 = [snap(alone.DX), snap(alone.DY)];
  const r2 = await trainCycleGan({ ...alone, sampleX: sampler(2, false), sampleY: sampler(3, true), steps: 3, batchSize: 4, weights: { adversarial: 0, identity: 0 }, logEvery: 1, stopOnInterrupt: false });
  assert.deepEqual([snap(alone.DX), snap(alone.DY)], d0);
  assert.deepEqual(Object.keys(r2.history[0].penalties), ['cycle']);
  assert.ok(r2.history.every((h) => h.lossD === 0));
});

test('trainCycleGan names the bad argument', async () => {
  const G = cycleGanGenerator({ imageSize: 8, channels: 2, blocks: 0, seed: 1 });
  const D = patchGanDiscriminator({ imageSize: 8, channels: [2], strides: [2], seed: 2 });
  const base = { G, F: G, DX: D, DY: D, sampleX: sampler(1, false), sampleY: sampler(2, true), steps: 1, batchSize: 2, stopOnInterrupt: false };
  await assert.rejects(trainCycleGan({ ...base, weights: { cycle: -1 } }), /cycle/);
  await assert.rejects(trainCycleGan({ ...base, weights: { adversarial: 0, cycle: 0 } }), /both 0/);
  await assert.rejects(trainCycleGan({ ...base, poolSize: -2 }), /poolSize/);
  await assert.rejects(trainCycleGan({ ...base, weights: { lambda: 10 } as never }), /lambda/);
  await assert.rejects(trainCycleGan({ ...base, sampleX: (n: number) => tf.zeros([n + 1, 8, 8, 1]) }), /sampleX/);
  await assert.rejects(trainCycleGan({ ...base, sampleY: (n: number) => tf.zeros([n, 4, 4, 1]) }), /same shape|one shape/);
  await assert.rejects(trainCycleGan({ ...base, G: undefined as never }), /\bG\b/);
});

test('boldDigits dilates by the cross of a pixel and its four neighbours', () => {
  const img = new Float32Array(9);
  img[4] = 1;
  assert.deepEqual(Array.from(boldDigits(img, 1, 3)), [0, 1, 0, 1, 1, 1, 0, 1, 0]);
  const corner = new Float32Array(9).fill(-1);
  corner[0] = 0.5;
  assert.deepEqual(Array.from(boldDigits(corner, 1, 3)), [0.5, 0.5, -1, 0.5, -1, -1, -1, -1, -1]);
  assert.throws(() => boldDigits(new Float32Array(8), 1, 3), /pixels/);
  assert.throws(() => boldDigits(img, 0, 3), /count/);
});
