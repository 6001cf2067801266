import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { sampleImages, toClassifierSize, netOutputs } from '../../../kernel-helpers/src/metrics';
import { dcganGenerator, dcganDiscriminator } from '../../../kernel-helpers/src/gan';
import { loadDigits, normalLatents } from '../../../kernel-helpers/src/data';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

test('toClassifierSize: pooled 28x28 digits are exactly the 14x14 ones loadDigits makes; 14x14 passes through', () => {
  const d28 = loadDigits({ size: 28, split: 'test' });
  const d14 = loadDigits({ size: 14, split: 'test' });
  const n = 50;
  const pooled = toClassifierSize(d28.images.subarray(0, n * 784), n, 28);
  assert.deepEqual(Array.from(pooled), Array.from(d14.images.subarray(0, n * 196)));
  const same = d14.images.subarray(0, 196);
  assert.equal(toClassifierSize(same, 1, 14), same);
  assert.throws(() => toClassifierSize(new Float32Array(32 * 32), 1, 32), /size must be 28 or 14/);
  assert.throws(() => toClassifierSize(new Float32Array(10), 1, 28), /must hold n\*28\*28 = 784 values/);
});

test('sampleImages: batches add up, labels reach a conditional G, bad labels are named', async () => {
  const G = dcganGenerator({ imageSize: 14, latentDim: 4, channels: [4, 2], numClasses: 3, conditioning: 'concat', seed: 1 });
  const labels = [0, 1, 2, 0, 1, 2, 0];
  const a = await sampleImages(G, { n: 7, latents: normalLatents([4], rng(2)), labels, numClasses: 3, batch: 3 });
  assert.deepEqual(a.shape, [14, 14, 1]);
  assert.equal(a.pixels.length, 7 * 196);
  // The same seeded stream and batches give the same images (every draw is seeded).
  const again = await sampleImages(G, { n: 7, latents: normalLatents([4], rng(2)), labels, numClasses: 3, batch: 3 });
  assert.deepEqual(Array.from(again.pixels), Array.from(a.pixels));
  await assert.rejects(sampleImages(G, { n: 2, latents: normalLatents([4], rng(2)), labels: [0, 3], numClasses: 3 }), /labels\[1\] must be a class in \[0, 3\), got 3/);
  await assert.rejects(sampleImages(G, { n: 2, latents: normalLatents([4], rng(2)), labels: [0] , numClasses: 3 }), /labels has 1 entries for n = 2/);
  await assert.rejects(sampleImages(G, { n: 2, latents: normalLatents([4], rng(2)) }), /needs opts.labels/);
  G.dispose!();
});

test('netOutputs: rows per image; batch statistics for a fresh batch-norm net', async () => {
  const D = dcganDiscriminator({ imageSize: 14, channels: [2, 4], batchNorm: true, seed: 3 });
  const trunk = D.parts![0];
  const px = new Float32Array(5 * 196).map((_, i) => Math.sin(i));
  await assert.rejects(netOutputs(trunk, px, 5, [14, 14, 1]), /no statistics|running statistics/);
  const o = await netOutputs(trunk, px, 5, [14, 14, 1], { batchStatistics: true, batch: 2 });
  assert.equal(o.dim, 4 * 4 * 4);
  assert.equal(o.rows.length, 5 * o.dim);
  D.dispose!();
});
