/**
 * SPADE's networks and trainer (gan/models/spade.ts, gan/spadeTraining.ts): output shapes,
 * the mask checks, the parameter counts of the SPADE generator and of the mask-input baseline,
 * and a few training steps of each (on wasm, the backend the course trains on).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { spadeGenerator, maskInputGenerator, multiScalePatchDiscriminator, trainSpade } from '../../../kernel-helpers/src/gan';
import { syntheticScenes, sceneBatches } from '../../../kernel-helpers/src/data';
import { parameterCount, Net } from '../../../kernel-helpers/src/nn';
import { rng } from '../../../kernel-helpers/src/core/random';
import { useBackend } from '../backend/backend-compare';

before(async () => {
  await useBackend('wasm');
});

const scenes = syntheticScenes({ count: 32, seed: 1 });

function batch(n: number, seed = 2) {
  return sceneBatches(scenes, rng(seed))(n);
}

test('both generators map z and a mask to 16x16 images in (-1, 1); SPADE also reads a mask at twice the size', (t) => {
  const { images, masks } = batch(3);
  const z = tf.randomNormal([3, 16], 0, 1, 'float32', 1);
  const spade = spadeGenerator({ seed: 1 });
  const base = maskInputGenerator({ seed: 2 });
  for (const G of [spade, base]) {
    const y = G.apply(z, { training: true, condition: masks });
    assert.deepEqual(y.shape, [3, 16, 16, 1]);
    const d = y.dataSync();
    assert.ok(d.every((v) => v > -1 && v < 1));
    y.dispose();
  }
  assert.deepEqual([spade.size, spade.classes, spade.latentDim], [16, 4, 16]);
  const big = tf.tidy(() => tf.reshape(tf.tile(tf.reshape(masks, [3, 16, 1, 16, 1, 4]), [1, 1, 2, 1, 2, 1]), [3, 32, 32, 4]));
  const a = spade.apply(z, { training: true, updateStats: false, condition: masks });
  const b = spade.apply(z, { training: true, updateStats: false, condition: big });
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]) < 1e-6, 'a nearest-upsampled mask gives the same image');
  const nSpade = parameterCount(spade);
  const nBase = parameterCount(base);
  t.diagnostic(`parameters: SPADE generator ${nSpade}, mask-input baseline ${nBase}`);
  assert.ok(nSpade > 10000 && nSpade < 100000 && Math.abs(nSpade / nBase - 1) < 0.2, `${nSpade} vs ${nBase}`);
  tf.dispose([images, masks, z, big, a, b]);
  spade.dispose!();
  base.dispose!();
});

test('the generators and the discriminator refuse a missing mask or one of the wrong size, naming it', () => {
  const z = tf.zeros([2, 16]);
  const spade = spadeGenerator({ seed: 3 });
  const base = maskInputGenerator({ seed: 4 });
  const D = multiScalePatchDiscriminator({ seed: 5 });
  const image = tf.zeros([2, 16, 16, 1]);
  assert.throws(() => spade.apply(z, { training: true }), /G: opts.condition is missing; pass the one-hot mask \[batch, 16, 16, 4\] as G.apply\(z, \{ condition \}\)/);
  assert.throws(() => base.apply(z, { training: true }), /G: opts.condition is missing/);
  const cases: [Net, number[], RegExp][] = [
    [spade, [2, 12, 12, 4], /G: opts.condition must have shape \[2, k 16, k 16, 4\] \(k a positive integer\), got \[2, 12, 12, 4\]/],
    [spade, [2, 16, 16, 3], /G: opts.condition must have shape \[2, k 16, k 16, 4\].*got \[2, 16, 16, 3\]/],
    [base, [2, 8, 8, 4], /G: opts.condition must have shape \[2, 16, 16, 4\], got \[2, 8, 8, 4\]/],
    [base, [2, 32, 32, 4], /G: opts.condition must have shape \[2, 16, 16, 4\], got \[2, 32, 32, 4\]/],
    [base, [3, 16, 16, 4], /G: opts.condition must have shape \[2, 16, 16, 4\], got \[3, 16, 16, 4\]/],
  ];
  for (const [G, shape, re] of cases) {
    const m = tf.zeros(shape);
    assert.throws(() => G.apply(z, { training: true, condition: m }), re);
    m.dispose();
  }
  const m8 = tf.zeros([2, 8, 8, 4]);
  assert.throws(() => D.logits(image, undefined as never), /D: mask is missing/);
  assert.throws(() => D.logits(image, m8), /D: mask must have shape \[2, 16, 16, 4\], got \[2, 8, 8, 4\]/);
  assert.throws(() => D.features(m8, m8), /D: image must have shape \[batch, 16, 16, 1\], got \[2, 8, 8, 4\]/);
  assert.throws(() => spadeGenerator({ size: 18 }), /G: size must be divisible by 2\^\(levels - 1\) = 4/);
  assert.throws(() => maskInputGenerator({ encoderChannels: [8] }), /G: encoderChannels must be a list of 2 widths, one per halving from 16 to 4/);
  assert.throws(() => multiScalePatchDiscriminator({ scales: 3 }), /D: size must be divisible by 2\^\(scales - 1 \+ channels.length\) = 16 with at least 2x2 patches left/);
  assert.throws(() => multiScalePatchDiscriminator({ classes: 4, chanels: [8] } as never), /D: unknown option 'chanels'/);
  tf.dispose([z, image, m8]);
  spade.dispose!();
  base.dispose!();
  D.dispose();
});

test('the multi-scale discriminator gives every layer per scale, the patch logits last', () => {
  const D = multiScalePatchDiscriminator({ seed: 6 });
  const { images, masks } = batch(2);
  const before = tf.memory().numTensors;
  const f = D.features(images, masks);
  assert.deepEqual(f.map((layers) => layers.map((t) => t.shape)), [
    [[2, 8, 8, 16], [2, 4, 4, 32], [2, 4, 4, 1]],
    [[2, 4, 4, 16], [2, 2, 2, 32], [2, 2, 2, 1]],
  ]);
  const l = D.logits(images, masks);
  assert.deepEqual(l.map((t) => t.shape), [[2, 4, 4, 1], [2, 2, 2, 1]]);
  assert.deepEqual(Array.from(l[1].dataSync()), Array.from(f[1][2].dataSync()));
  tf.dispose([...f.flat(), ...l]);
  assert.equal(tf.memory().numTensors, before, 'features and logits leave only what they return');
  assert.equal(D.variables.length, D.nets.reduce((s, n) => s + n.variables.length, 0));
  tf.dispose([images, masks]);
  D.dispose();
});

const tiny = { channels: [8, 8, 8], latentDim: 8 };

test('trainSpade trains both generators a few steps: finite losses, every term logged, weights changed, no leaks', async () => {
  for (const make of [() => spadeGenerator({ ...tiny, hidden: 4, seed: 7 }), () => maskInputGenerator({ ...tiny, encoderChannels: [8, 8], seed: 7 })]) {
    const G = make();
    const D = multiScalePatchDiscriminator({ channels: [8, 8], seed: 8 });
    const g0 = Array.from(G.variables[0].dataSync());
    const d0 = Array.from(D.variables[0].dataSync());
    const before = tf.memory().numTensors;
    const res = await trainSpade({ generator: G, discriminator: D, sampleBatch: sceneBatches(scenes, rng(9)), steps: 3, batchSize: 4, logEvery: 1, stopOnInterrupt: false });
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    assert.equal(res.steps, 3);
    assert.deepEqual(Object.keys(res.history[0].penalties).sort(), ['adversarial', 'featureMatching', 'hingeFake', 'hingeReal']);
    for (const h of res.history) {
      assert.ok(Number.isFinite(h.lossD) && Number.isFinite(h.lossG), JSON.stringify(h));
      assert.ok(Math.abs(h.lossD - (h.penalties.hingeReal + h.penalties.hingeFake)) < 1e-4, 'lossD is the two hinge parts');
      assert.ok(Math.abs(h.lossG - (h.penalties.adversarial + 10 * h.penalties.featureMatching)) < 1e-4, 'lossG = adversarial + 10 featureMatching');
    }
    assert.notDeepEqual(Array.from(G.variables[0].dataSync()), g0, 'G was trained');
    assert.notDeepEqual(Array.from(D.variables[0].dataSync()), d0, 'D was trained');
    // Eval mode runs on the running statistics gathered in training.
    const z = tf.zeros([2, 8]);
    const { images, masks } = batch(2);
    const y = G.apply(z, { condition: masks });
    assert.ok(y.dataSync().every(Number.isFinite));
    tf.dispose([z, images, masks, y]);
    G.dispose!();
    D.dispose();
  }
});

test('trainSpade without feature matching logs only the hinge parts', async () => {
  const G = spadeGenerator({ ...tiny, hidden: 4, seed: 10 });
  const D = multiScalePatchDiscriminator({ channels: [8, 8], seed: 11 });
  const res = await trainSpade({ generator: G, discriminator: D, sampleBatch: sceneBatches(scenes, rng(12)), featureMatching: 0, steps: 1, batchSize: 2, stopOnInterrupt: false });
  assert.deepEqual(Object.keys(res.history[0].penalties).sort(), ['adversarial', 'hingeFake', 'hingeReal']);
  G.dispose!();
  D.dispose();
});

test('trainSpade refuses bad settings and bad batches with the argument named', async () => {
  const G = spadeGenerator({ ...tiny, hidden: 4, seed: 13 });
  const D = multiScalePatchDiscriminator({ channels: [8, 8], seed: 14 });
  const base = { generator: G, discriminator: D, sampleBatch: sceneBatches(scenes, rng(15)), steps: 1, batchSize: 2, stopOnInterrupt: false };
  const before = tf.memory().numTensors;
  await assert.rejects(trainSpade({ ...base, featureMatching: -1 }), /trainSpade: featureMatching must be a finite number >= 0, got -1/);
  await assert.rejects(trainSpade({ ...base, latentDim: 16 }), /trainSpade: latentDim must be the generator's input size 8, got 16/);
  await assert.rejects(trainSpade({ ...base, featureMatchng: 1 } as never), /trainSpade: unknown option 'featureMatchng'/);
  await assert.rejects(trainSpade({ ...base, sampleBatch: undefined as never }), /trainSpade: sampleBatch must be a function n -> \{ images, masks \}/);
  const D3 = multiScalePatchDiscriminator({ classes: 3, channels: [8, 8], seed: 16 });
  await assert.rejects(trainSpade({ ...base, discriminator: D3 }), /trainSpade: discriminator must be a discriminator for the generator's 4 classes, got "one for 3 classes"/);
  D3.dispose();
  const wrongClasses = (n: number) => ({ images: tf.zeros([n, 16, 16, 1]) as tf.Tensor4D, masks: tf.zeros([n, 16, 16, 3]) as tf.Tensor4D });
  await assert.rejects(trainSpade({ ...base, sampleBatch: wrongClasses }), /trainSpade: sampleBatch\(2\) must return masks \[2, 16, 16, 4\] \(the images' height and width, one channel per class of the generator\), got images \[2,16,16,1\], masks \[2,16,16,3\]/);
  const wrongSize = (n: number) => ({ images: tf.zeros([n, 16, 16, 1]) as tf.Tensor4D, masks: tf.zeros([n, 8, 8, 4]) as tf.Tensor4D });
  await assert.rejects(trainSpade({ ...base, sampleBatch: wrongSize }), /must return masks \[2, 16, 16, 4\].*masks \[2,8,8,4\]/);
  const wrongImages = (n: number) => ({ images: tf.zeros([n, 8, 8, 1]) as tf.Tensor4D, masks: tf.zeros([n, 8, 8, 4]) as tf.Tensor4D });
  await assert.rejects(trainSpade({ ...base, sampleBatch: wrongImages }), /trainSpade: sampleBatch\(2\) must return 16x16 images \(the discriminator's size\), got images \[2,8,8,1\], masks \[2,8,8,4\]/);
  const wrongRows = (n: number) => ({ images: tf.zeros([n + 1, 16, 16, 1]) as tf.Tensor4D, masks: tf.zeros([n, 16, 16, 4]) as tf.Tensor4D });
  await assert.rejects(trainSpade({ ...base, sampleBatch: wrongRows }), /trainSpade: sampleBatch\(2\) must return \{ images: \[2, H, W, channels\], masks: \[2, H, W, 4\] \}, got \{ images: \[3,16,16,1\], masks: \[2,16,16,4\] \}/);
  assert.equal(tf.memory().numTensors, before, 'a refused batch is disposed');
  G.dispose!();
  D.dispose();
});
