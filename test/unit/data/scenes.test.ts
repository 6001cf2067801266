/**
 * Synthetic scenes for SPADE: determinism, ranges, class coverage, the class textures
 * (each class's grating is visible in the pixels: its mean and its correlation between
 * neighbours), one-hot masks and their errors, and the batch sampler.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { syntheticScenes, oneHotMasks, sceneTextures, sceneBatches } from '../../../kernel-helpers/src/data';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

test('syntheticScenes is deterministic for a seed, in range and differs between seeds', () => {
  const a = syntheticScenes({ count: 8, seed: 3 });
  const b = syntheticScenes({ count: 8, seed: 3 });
  const c = syntheticScenes({ count: 8, seed: 4 });
  assert.deepEqual({ count: a.count, size: a.size, classes: a.classes }, { count: 8, size: 16, classes: 4 });
  assert.equal(a.masks.length, 8 * 256);
  assert.equal(a.images.length, 8 * 256);
  assert.deepEqual(a.masks, b.masks);
  assert.deepEqual(a.images, b.images);
  assert.notDeepEqual(a.masks, c.masks);
  assert.ok(a.masks.every((k) => k >= 0 && k < 4));
  assert.ok(a.images.every((v) => v >= -1 && v <= 1));
  const big = syntheticScenes({ count: 2, size: 32, classes: 6, seed: 1 });
  assert.equal(big.images.length, 2 * 32 * 32);
  assert.ok(big.masks.every((k) => k >= 0 && k < 6));
});

test('every class appears across a batch, the background is the largest, and each mask holds shapes', () => {
  const s = syntheticScenes({ count: 64, seed: 5 });
  const counts = [0, 0, 0, 0];
  for (const k of s.masks) counts[k]++;
  assert.ok(counts.every((n) => n > 0), `class pixel counts ${counts}`);
  assert.ok(counts[0] > counts[1] && counts[0] > counts[2] && counts[0] > counts[3], `class pixel counts ${counts}`);
  for (let i = 0; i < s.count; i++) {
    const m = s.masks.subarray(i * 256, (i + 1) * 256);
    const shapes = m.filter((k) => k > 0).length;
    assert.ok(shapes >= 9, `image ${i} has only ${shapes} shape pixels`);
  }
});

test('each class is rendered with its own grating: its mean and the neighbour correlations it predicts', () => {
  const K = 4;
  const tex = sceneTextures(K);
  assert.equal(new Set(tex.map((t) => t.angle.toFixed(6))).size, K, 'orientations differ');
  assert.equal(new Set(tex.map((t) => t.period.toFixed(6))).size, K, 'periods differ');
  assert.ok(tex.every((t) => t.period >= 3 && t.period <= 8 && Math.abs(t.mean) <= 0.6));
  const s = syntheticScenes({ count: 400, seed: 6 });
  const S = s.size;
  for (let k = 0; k < K; k++) {
    // Mean, variance, and the correlation of horizontal and vertical neighbours within class k.
    let n = 0, sum = 0, sq = 0;
    const pairs = { x: [0, 0, 0], y: [0, 0, 0] };
    for (let i = 0; i < s.count; i++) {
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          const j = i * S * S + y * S + x;
          if (s.masks[j] !== k) continue;
          const v = s.images[j];
          n++; sum += v; sq += v * v;
          if (x + 1 < S && s.masks[j + 1] === k) { pairs.x[0] += v * s.images[j + 1]; pairs.x[1]++; }
          if (y + 1 < S && s.masks[j + S] === k) { pairs.y[0] += v * s.images[j + S]; pairs.y[1]++; }
        }
      }
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    assert.ok(Math.abs(mean - tex[k].mean) < 0.03, `class ${k}: mean ${mean} vs ${tex[k].mean}`);
    // A grating a sin(w . p + phi) has variance a^2 / 2 and neighbour correlation cos(w . shift).
    const w = (2 * Math.PI) / tex[k].period;
    const want = { x: Math.cos(w * Math.cos(tex[k].angle)), y: Math.cos(w * Math.sin(tex[k].angle)) };
    for (const axis of ['x', 'y'] as const) {
      const corr = (pairs[axis][0] / pairs[axis][1] - mean * mean) / variance;
      assert.ok(Math.abs(corr - want[axis]) < 0.12, `class ${k}, ${axis} neighbours: correlation ${corr.toFixed(3)}, grating predicts ${want[axis].toFixed(3)}`);
    }
    assert.ok(variance > 0.03 && variance < 0.06, `class ${k}: variance ${variance}`);
  }
});

test('oneHotMasks is one-hot NHWC and names masks, the value and the place when a class is out of range', () => {
  const masks = Int32Array.from([0, 1, 2, 1]);
  const hot = oneHotMasks(masks, 1, 2, 3);
  assert.deepEqual(Array.from(hot), [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]);
  assert.throws(() => oneHotMasks(Int32Array.from([0, 1, 3, 0]), 1, 2, 3), /oneHotMasks: masks must hold classes in \[0, 3\), got 3 at index 2 \(image 0, row 1, column 0\)/);
  assert.throws(() => oneHotMasks(Int32Array.from([0, -1, 0, 0, 0, 0, 0, 0]), 2, 2, 3), /masks must hold classes in \[0, 3\), got -1 at index 1/);
  assert.throws(() => oneHotMasks(masks, 2, 2, 3), /oneHotMasks: masks must hold count \* size \* size = 2 \* 2 \* 2 = 8 labels, got 4/);
  assert.throws(() => oneHotMasks([0, 1] as unknown as Int32Array, 1, 1, 2), /oneHotMasks: masks must be an Int32Array/);
});

test('syntheticScenes and sceneTextures refuse bad options with the argument named', () => {
  assert.throws(() => syntheticScenes({ count: 2, classes: 9, seed: 1 }), /syntheticScenes: classes must be an integer in \[2, 8\], got 9/);
  assert.throws(() => syntheticScenes({ count: 2, size: 4, seed: 1 }), /syntheticScenes: size must be an integer >= 8, got 4/);
  assert.throws(() => syntheticScenes({ count: -1, seed: 1 }), /syntheticScenes: count must be an integer >= 0, got -1/);
  assert.throws(() => syntheticScenes({ count: 1, seed: NaN }), /syntheticScenes: seed must be a finite number/);
  assert.throws(() => syntheticScenes({ count: 1, seed: 1, colours: 3 } as never), /syntheticScenes: unknown option 'colours'/);
  assert.throws(() => sceneTextures(1), /sceneTextures: classes must be an integer in \[2, 8\], got 1/);
});

test('sceneBatches draws aligned image and one-hot mask tensors', () => {
  const s = syntheticScenes({ count: 5, seed: 7 });
  const before = tf.memory().numTensors;
  const { images, masks } = sceneBatches(s, rng(1))(3);
  assert.deepEqual(images.shape, [3, 16, 16, 1]);
  assert.deepEqual(masks.shape, [3, 16, 16, 4]);
  const img = images.dataSync();
  const m = masks.dataSync();
  // Each drawn row is one of the scenes, its mask aligned with its image.
  for (let i = 0; i < 3; i++) {
    const row = Array.from(img.subarray(i * 256, (i + 1) * 256));
    const j = [0, 1, 2, 3, 4].find((q) => Array.from(s.images.subarray(q * 256, (q + 1) * 256)).every((v, p) => v === row[p]));
    assert.ok(j !== undefined, `row ${i} is a scene`);
    for (let p = 0; p < 256; p++) assert.equal(m[(i * 256 + p) * 4 + s.masks[j * 256 + p]], 1);
  }
  tf.dispose([images, masks]);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => sceneBatches(s, rng(1))(0), /sceneBatches: n must be a positive integer, got 0/);
});
