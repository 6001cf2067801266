import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classHistogram, labelAgreement } from '../../../kernel-helpers/src/metrics';
import { rng } from '../../../kernel-helpers/src/core/random';

test('an even histogram covers every class with KL 0; a collapsed one covers one with KL log(classes)', () => {
  const even = classHistogram(Array.from({ length: 100 }, (_, i) => i % 10), 10);
  assert.deepEqual(even.counts, new Array(10).fill(10));
  assert.deepEqual(even.shares, new Array(10).fill(0.1));
  assert.equal(even.covered, 10);
  assert.equal(even.klToUniform, 0);
  const one = classHistogram(new Int32Array(50).fill(7), 10);
  assert.equal(one.covered, 1);
  assert.equal(one.counts[7], 50);
  assert.ok(Math.abs(one.klToUniform - Math.log(10)) < 1e-12);
});

test('minShare drops the classes that hold only a sliver of the samples', () => {
  const predicted = [...new Array(90).fill(0), ...new Array(9).fill(1), 2];
  assert.equal(classHistogram(predicted, 4).covered, 3); // default: any sample counts
  assert.equal(classHistogram(predicted, 4, { minShare: 0.05 }).covered, 2);
  assert.equal(classHistogram(predicted, 4, { minShare: 0.95 }).covered, 0);
  assert.equal(classHistogram(predicted, 4, { minShare: 0.05 }).minShare, 0.05);
});

test('classHistogram refuses labels outside [0, classes), an empty set and a bad minShare', () => {
  assert.throws(() => classHistogram([0, 1, 2, 10], 10), /classHistogram: predicted\[3\] must be an integer in \[0, 9\], got 10/);
  assert.throws(() => classHistogram([0, -1], 10), /classHistogram: predicted\[1\] must be an integer in \[0, 9\], got -1/);
  assert.throws(() => classHistogram([0, 1.5], 10), /predicted\[1\] must be an integer/);
  assert.throws(() => classHistogram([], 10), /classHistogram: predicted must be a non-empty array of class labels/);
  assert.throws(() => classHistogram([0], 0), /classHistogram: classes must be a positive integer, got 0/);
  assert.throws(() => classHistogram([0], 3, { minShare: 2 }), /classHistogram: opts.minShare must be in \[0, 1\], got 2/);
  assert.throws(() => classHistogram([0], 3, { min: 2 } as never), /classHistogram: unknown option 'min'/);
});

test('labelAgreement: 1 when every sample shows its label, 0 when shifted by one, chance for random', () => {
  const requested = Array.from({ length: 1000 }, (_, i) => i % 10);
  const perfect = labelAgreement(requested, requested, 10);
  assert.equal(perfect.agreement, 1);
  assert.equal(perfect.chance, 0.1);
  assert.deepEqual(perfect.perClass, new Array(10).fill(1));
  assert.deepEqual(perfect.requestedCounts, new Array(10).fill(100));
  const shifted = labelAgreement(requested.map((c) => (c + 1) % 10), requested, 10);
  assert.equal(shifted.agreement, 0);
  assert.equal(shifted.confusion[3][4], 100);
  const r = rng(1);
  const random = labelAgreement(requested.map(() => r.int(10)), requested, 10);
  assert.ok(Math.abs(random.agreement - random.chance) < 0.03, `agreement ${random.agreement}`);
});

test('labelAgreement per class, with null for a class nobody requested', () => {
  // class 0 requested 4 times, right 3 times; class 1 twice, right once; class 2 never
  const a = labelAgreement([0, 0, 0, 2, 1, 0], [0, 0, 0, 0, 1, 1], 3);
  assert.deepEqual(a.perClass, [0.75, 0.5, null]);
  assert.equal(a.agreement, 4 / 6);
  assert.deepEqual(a.confusion, [[3, 0, 1], [1, 1, 0], [0, 0, 0]]);
});

test('labelAgreement refuses mismatched lengths and labels outside [0, classes)', () => {
  assert.throws(() => labelAgreement([0, 1], [0], 2), /labelAgreement: requested must hold one label per prediction \(2\), got 1/);
  assert.throws(() => labelAgreement([0, 1], [0, 2], 2), /labelAgreement: requested\[1\] must be an integer in \[0, 1\], got 2/);
  assert.throws(() => labelAgreement([], [], 2), /labelAgreement: predicted must be a non-empty array/);
});
