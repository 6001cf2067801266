import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { esrganGenerator, esrganDiscriminator, trainSuperResolution } from '../../../kernel-helpers/src/gan';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

/** Pairs whose high-resolution image is the low-resolution one upsampled by repetition: learnable. */
function pairs(seed: number) {
  const r = rng(seed);
  return (n: number) => {
    const low = tf.tensor4d(Float32Array.from({ length: n * 16 }, () => r.uniform() * 2 - 1), [n, 4, 4, 1]);
    return { low, high: tf.image.resizeNearestNeighbor(low, [8, 8]) as tf.Tensor4D };
  };
}

const small = { channels: 8, growth: 4, blocks: 1, scale: 2 as const };

test('trainSuperResolution with the pixel loss alone lowers it, trains no discriminator and logs only the pixel term', async () => {
  const G = esrganGenerator({ ...small, seed: 1 });
  const before = tf.memory().numTensors;
  const res = await trainSuperResolution({ generator: G, sampleBatch: pairs(2), steps: 30, batchSize: 8, lrG: 2e-3, logEvery: 1, stopOnInterrupt: false });
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  const first = res.history[0].penalties.pixel, last = res.history[res.history.length - 1].penalties.pixel;
  assert.ok(last < 0.7 * first, `L1 ${first} -> ${last}`);
  assert.deepEqual(Object.keys(res.history[0].penalties), ['pixel']);
  assert.ok(res.history.every((h) => h.lossD === 0));
  G.dispose!();
});

test('trainSuperResolution with all three terms updates D and G and logs each term', async () => {
  const G = esrganGenerator({ ...small, seed: 3 });
  const D = esrganDiscriminator({ imageSize: 8, channels: [4, 8], seed: 4 });
  const d0 = Array.from(D.variables[0].dataSync());
  const features = (x: tf.Tensor4D) => tf.reshape(tf.avgPool(x, 2, 2, 'valid'), [x.shape[0], -1]);
  const res = await trainSuperResolution({ generator: G, discriminator: D, sampleBatch: pairs(5), features, weights: { pixel: 1e-2, perceptual: 1, adversarial: 5e-3 },
    steps: 4, batchSize: 4, logEvery: 1, stopOnInterrupt: false });
  assert.deepEqual(Object.keys(res.history[0].penalties).sort(), ['adversarial', 'perceptual', 'pixel']);
  assert.ok(res.history.every((h) => Number.isFinite(h.lossD) && h.lossD > 0));
  assert.notDeepEqual(Array.from(D.variables[0].dataSync()), d0, 'D was trained');
  G.dispose!();
  D.dispose!();
});

test('trainSuperResolution refuses inconsistent settings with the argument named', async () => {
  const G = esrganGenerator({ ...small, seed: 6 });
  const base = { generator: G, sampleBatch: pairs(7), steps: 1, batchSize: 2, stopOnInterrupt: false };
  await assert.rejects(trainSuperResolution({ ...base, weights: { adversarial: 1 } }), /trainSuperResolution: weights.adversarial > 0 needs a discriminator/);
  await assert.rejects(trainSuperResolution({ ...base, weights: { perceptual: 1 } }), /trainSuperResolution: weights.perceptual > 0 needs features/);
  await assert.rejects(trainSuperResolution({ ...base, weights: { pixel: -1 } }), /trainSuperResolution: weights.pixel must be a finite number >= 0, got -1/);
  await assert.rejects(trainSuperResolution({ ...base, weights: { pixel: 0 } }), /every loss weight is 0/);
  await assert.rejects(trainSuperResolution({ ...base, weights: { l1: 1 } as never }), /trainSuperResolution weights: unknown option 'l1'/);
  const wrong = (n: number) => ({ low: tf.zeros([n, 4, 4, 1]) as tf.Tensor4D, high: tf.zeros([n, 16, 16, 1]) as tf.Tensor4D });
  await assert.rejects(trainSuperResolution({ ...base, sampleBatch: wrong }), /the generator maps \[2,4,4,1\] to \[2,8,8,1\], but the high-resolution batch is \[2,16,16,1\]/);
  G.dispose!();
});
