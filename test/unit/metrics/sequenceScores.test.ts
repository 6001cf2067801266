/**
 * TimeGAN's post-hoc scores on wasm (the backend the course trains on), with few steps and a
 * larger learning rate than the official 1e-3 so that the tests stay short: the
 * discriminative score is near 0 for two samples of one distribution and large for sines
 * against constants; the predictive score is lower when the predictor trained on the real
 * distribution than on noise. Also TSTR against TRTR with the course's digit classifier.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { rng } from '../../../kernel-helpers/src/core/random';
import { sineSequences, loadDigits } from '../../../kernel-helpers/src/data';
import { discriminativeScore, predictiveScore, tstrAccuracy } from '../../../kernel-helpers/src/metrics';
import { useBackend } from '../backend/backend-compare';

before(async () => {
  await useBackend('wasm');
});

const L = 12;
const F = 4;
const sines = (count: number, seed: number) => sineSequences({ count, length: L, features: F, seed }).data;

test('discriminativeScore: near 0 for two samples of one distribution, large for sines against constants', async () => {
  const before = tf.memory().numTensors;
  const same = await discriminativeScore({ real: sines(200, 1), fake: sines(200, 2), count: 200, length: L, features: F, steps: 40, batchSize: 64, lr: 1e-2, seed: 0 });
  assert.ok(same.score < 0.15, `one distribution: ${same.score}`);
  assert.deepEqual(same.trainCount, { real: 160, fake: 160 });
  assert.deepEqual(same.testCount, { real: 40, fake: 40 });
  assert.ok(Math.abs(same.score - Math.abs(same.accuracy - 0.5)) < 1e-12);
  const constants = new Float32Array(150 * L * F).fill(0.2);
  const apart = await discriminativeScore({ real: sines(200, 3), fake: constants, count: 200, fakeCount: 150, length: L, features: F, steps: 60, batchSize: 64, lr: 1e-2, seed: 1 });
  assert.ok(apart.score > 0.3, `sines against constants: ${apart.score} (accuracy ${apart.accuracy})`);
  assert.ok(Number.isFinite(apart.finalLoss));
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
});

test('predictiveScore: lower (better) when trained on the real distribution than on noise', async () => {
  const before = tf.memory().numTensors;
  const r = rng(9);
  const noise = Float32Array.from({ length: 200 * L * F }, () => r.uniform());
  const opts = { test: sines(100, 5), testCount: 100, count: 200, length: L, features: F, steps: 60, batchSize: 64, lr: 1e-2, seed: 2 };
  const onReal = await predictiveScore({ ...opts, train: sines(200, 4) });
  const onNoise = await predictiveScore({ ...opts, train: noise });
  assert.ok(onReal.score < onNoise.score, `trained on sines ${onReal.score}, on noise ${onNoise.score}`);
  assert.ok(onReal.score > 0 && onReal.score < 0.5);
  // deterministic per seed
  const again = await predictiveScore({ ...opts, train: sines(200, 4) });
  assert.equal(again.score, onReal.score);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
});

test('sequence scores: errors name the argument (unequal lengths, wrong feature counts, too few sequences)', async () => {
  const real = sines(10, 1);
  const base = { real, fake: real, count: 10, length: L, features: F, steps: 1, seed: 0 };
  await assert.rejects(discriminativeScore({ ...base, fake: sineSequences({ count: 10, length: L - 1, features: F, seed: 2 }).data }),
    /discriminativeScore: fake must hold count \* length \* features = 10 \* 12 \* 4 = 480 values \(sequences of equal length with the same features\), got 440/);
  await assert.rejects(discriminativeScore({ ...base, features: 5 }), /discriminativeScore: real must hold count \* length \* features = 10 \* 12 \* 5 = 600 values/);
  await assert.rejects(discriminativeScore({ ...base, count: 4, real: real.subarray(0, 4 * L * F) }), /discriminativeScore: count must be an integer >= 5, got 4/);
  await assert.rejects(discriminativeScore({ ...base, steps: -1 }), /discriminativeScore: steps must be an integer >= 0, got -1/);
  await assert.rejects(discriminativeScore({ ...base, hiden: 3 } as never), /discriminativeScore: unknown option 'hiden'/);
  const one = sineSequences({ count: 10, length: L, features: 1, seed: 0 }).data;
  await assert.rejects(predictiveScore({ train: one, test: one, count: 10, length: L, features: 1, seed: 0 }), /predictiveScore: features must be an integer >= 2 \(the first features - 1 are the inputs/);
  await assert.rejects(predictiveScore({ train: real, test: real.subarray(0, 5 * L * F), count: 10, length: L, features: F, seed: 0 }), /predictiveScore: test must hold count \* length \* features = 10 \* 12 \* 4 = 480 values/);
  await assert.rejects(predictiveScore({ train: real, test: real, count: 10, length: 1, features: F, seed: 0 }), /predictiveScore: length must be an integer >= 2, got 1/);
});

test('tstrAccuracy: a classifier trained on real digits (TRTR) beats one trained on mislabelled ones', async () => {
  const digits = loadDigits({ split: 'train' });
  const take = (start: number, n: number) => {
    const images = new Float32Array(n * 196);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const j = (start + i * 37) % digits.count; // spread over the classes, which are stored in order
      for (let p = 0; p < 196; p++) images[i * 196 + p] = 2 * digits.images[j * 196 + p] - 1;
      labels[i] = digits.labels[j];
    }
    return { images, labels };
  };
  const train = take(0, 320);
  const testSet = take(11, 200);
  const common = { testImages: testSet.images, testLabels: testSet.labels, epochs: 6, batch: 32, seed: 0 };
  const trtr = await tstrAccuracy({ ...common, trainImages: train.images, trainLabels: train.labels });
  const wrong = await tstrAccuracy({ ...common, trainImages: train.images, trainLabels: train.labels.map((l) => (l + 1) % 10) });
  assert.ok(trtr.accuracy > 0.5, `TRTR ${trtr.accuracy}`);
  assert.ok(wrong.accuracy < trtr.accuracy - 0.3, `mislabelled ${wrong.accuracy} vs ${trtr.accuracy}`);
  await assert.rejects(tstrAccuracy({ ...common, trainImages: train.images.subarray(0, 196), trainLabels: train.labels }), /tstrAccuracy: trainImages must hold one 14 x 14 image \(196 values\) per label/);
  await assert.rejects(tstrAccuracy({ ...common, trainImages: train.images, trainLabels: train.labels.map(() => 10) }), /tstrAccuracy: trainLabels\[0\] must be an integer in \[0, 9\], got 10/);
});
