import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { tf } from '../../../kernel-helpers/src/backend/tf';
import { loadDigits, sampleStackedDigits } from '../../../kernel-helpers/src/data';
import { conv3x3Same, initDigitClassifier } from '../../../kernel-helpers/src/metrics/digits/digitClassifier';
import { defaultDigitClassifierPath, loadDigitClassifier, countStackedModes, digitFrechetDistance, frechetDistance, gaussianStats } from '../../../kernel-helpers/src/metrics';
import { symmetricEigen, sqrtPsd } from '../../../kernel-helpers/src/metrics/digits/frechetDistance';
import { rng } from '../../../kernel-helpers/src/core/random';
import { downsampleMean2x } from '../../../kernel-helpers/src/nn/reshapeLayers';

test('im2col convolution equals tf.conv2d same padding; average pool is the block mean', async () => {
  await tf.setBackend('cpu');
  const x = tf.randomNormal([2, 5, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
  const diff = tf.max(tf.abs(tf.sub(conv3x3Same(x, w), tf.conv2d(x, w, 1, 'same')))).dataSync()[0];
  assert.ok(diff < 1e-4, `max diff ${diff}`);
  const p = downsampleMean2x(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]));
  assert.deepEqual(Array.from(p.dataSync()), [3.5, 5.5, 11.5, 13.5]);
});

test('symmetric eigen and PSD square root reconstruct their matrices', () => {
  const m = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2];
  const { values, vectors } = symmetricEigen(m, 3);
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < 3; i++) {
      let mv = 0;
      for (let j = 0; j < 3; j++) mv += m[i * 3 + j] * vectors[j * 3 + k];
      assert.ok(Math.abs(mv - values[k] * vectors[i * 3 + k]) < 1e-10);
    }
  }
  const r = sqrtPsd(m, 3);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let s = 0;
    for (let k = 0; k < 3; k++) s += r[i * 3 + k] * r[k * 3 + j];
    assert.ok(Math.abs(s - m[i * 3 + j]) < 1e-10);
  }
});

test('Frechet distance matches the closed form for Gaussians with commuting covariances', () => {
  // Population statistics given directly: N(0, diag(1, 4)) vs N((1, 0), diag(4, 9)):
  // d^2 = 1 + (1 + 4 - 2*2) + (4 + 9 - 2*6) = 1 + 1 + 1 = 3
  const r = rng(5);
  const n = 20000;
  const a = new Float64Array(2 * n);
  const b = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    a[2 * i] = r.normal();
    a[2 * i + 1] = 2 * r.normal();
    b[2 * i] = 1 + 2 * r.normal();
    b[2 * i + 1] = 3 * r.normal();
  }
  const d2 = frechetDistance(a, n, b, n, 2);
  assert.ok(Math.abs(d2 - 3) < 0.15, `d^2 = ${d2}`);
  assert.ok(frechetDistance(a, n, a, n, 2) < 1e-9);
  assert.throws(() => gaussianStats([1, 2, 3], 1, 3), /gaussianStats: n \(the number of rows\) must be an integer >= 2, got 1/);
});

const shipped = fs.existsSync(defaultDigitClassifierPath());

test('the shipped classifier reaches >= 95% on the held-out digits', { skip: shipped ? false : 'data/digit-classifier.json not trained yet' }, async () => {
  await tf.setBackend('cpu');
  const clf = loadDigitClassifier();
  const test = loadDigits({ split: 'test' });
  const idx = Array.from({ length: 600 }, (_, i) => Math.floor((i * test.count) / 600));
  const px = new Float32Array(600 * 196);
  idx.forEach((j, k) => {
    for (let q = 0; q < 196; q++) px[k * 196 + q] = 2 * test.images[j * 196 + q] - 1;
  });
  const acc = await clf.accuracy(px, idx.map((j) => test.labels[j]));
  assert.ok(acc >= 0.95, `accuracy ${acc}`);
  assert.ok(Math.abs(clf.testAccuracy - acc) < 0.05, `stored ${clf.testAccuracy} vs measured ${acc}`);
  // real stacked digits cover (almost) all 100 modes; a collapsed set covers one
  const b = sampleStackedDigits(test, { n: 1000, channels: 2, r: rng(9) });
  const m = await countStackedModes(clf, b.pixels, b.n, 2);
  assert.ok(m.modesHit >= 95, `modes hit ${m.modesHit}`);
  assert.ok(m.klToUniform < 0.15, `kl ${m.klToUniform}`);
  const collapsed = new Float32Array(b.pixels.length);
  for (let i = 0; i < b.n; i++) collapsed.set(b.pixels.subarray(0, 392), i * 392);
  const mc = await countStackedModes(clf, collapsed, b.n, 2);
  assert.equal(mc.modesHit, 1);
  assert.ok(Math.abs(mc.klToUniform - Math.log(100)) < 1e-9);
  // Frechet distance: two real halves are close, real vs collapsed are far
  const b2 = sampleStackedDigits(test, { n: 1000, channels: 2, r: rng(10) });
  const dReal = await digitFrechetDistance(clf, b.pixels, b.n, b2.pixels, b2.n, 2);
  const dColl = await digitFrechetDistance(clf, b.pixels, b.n, collapsed.map((v, i) => v + 1e-3 * Math.sin(i)), b.n, 2);
  assert.ok(dColl > 5 * dReal, `real-real ${dReal}, real-collapsed ${dColl}`);
  clf.dispose();
});

test('an untrained classifier rejects mis-shaped input', async () => {
  const clf = initDigitClassifier(0);
  await assert.rejects(clf.predict(new Float32Array(10), 1), /DigitClassifier.predict: pixels must hold n\*14\*14 = 196 values/);
  await assert.rejects(countStackedModes(clf, new Float32Array(196), 1, 2), /countStackedModes: pixels must hold n\*14\*14\*channels = 392 values/);
  clf.dispose();
});

test('generator report: a generator that ignores z collapses to one mode; shapes are checked', { skip: shipped ? false : 'data/digit-classifier.json not trained yet' }, async () => {
  const { digitGeneratorReport, sampleDigitGenerator } = await import('../../../kernel-helpers/src/metrics');
  await tf.setBackend('cpu');
  const clf = loadDigitClassifier();
  const test = loadDigits({ split: 'test' });
  const one = sampleStackedDigits(test, { n: 1, channels: 2, r: rng(4) });
  const fixed = { name: 'fixed', variables: [], apply: (z: tf.Tensor) => tf.tidy(() => tf.tile(tf.tensor4d(one.pixels, [1, 14, 14, 2]), [z.shape[0], 1, 1, 1])) };
  const rep = await digitGeneratorReport(fixed as any, clf, test, { n: 300, channels: 2, latentDim: 8 });
  assert.equal(rep.modes.modesHit, 1);
  assert.ok(rep.frechet > 50, `Frechet ${rep.frechet}`);
  const wrong = { name: 'wrong', variables: [], apply: (z: tf.Tensor) => tf.zeros([z.shape[0], 10]) };
  await assert.rejects(sampleDigitGenerator(wrong as any, 4, 8, 2), /expected 14\*14\*2/);
  clf.dispose();
});
