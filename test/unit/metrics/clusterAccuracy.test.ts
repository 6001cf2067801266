import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterAccuracy } from '../../../kernel-helpers/src/metrics';
import { rng } from '../../../kernel-helpers/src/core/random';

const balanced = (n: number, classes: number) => Array.from({ length: n }, (_, i) => i % classes);

test('a permuted labelling has accuracy 1 and the mapping undoes the permutation', () => {
  const perm = [3, 7, 0, 9, 1, 4, 8, 2, 6, 5];
  const labels = balanced(500, 10);
  const codes = labels.map((y) => perm[y]);
  const res = clusterAccuracy(codes, labels, 10, 10);
  assert.equal(res.accuracy, 1);
  for (let y = 0; y < 10; y++) assert.equal(res.mapping[perm[y]], y);
  assert.equal(res.contingency[perm[2]][2], 50);
});

test('random codes score about 1/C', () => {
  const r = rng(3);
  const labels = balanced(10000, 10);
  const res = clusterAccuracy(labels.map(() => r.int(10)), labels, 10, 10);
  // the best matching picks the luckiest cells, so a little above 0.1
  assert.ok(res.accuracy > 0.1 && res.accuracy < 0.12, `accuracy ${res.accuracy}`);
});

test('a code that merges two of ten balanced classes loses one class: accuracy 0.9', () => {
  const labels = balanced(1000, 10);
  const codes = labels.map((y) => (y === 9 ? 8 : y)); // code 9 unused
  const res = clusterAccuracy(codes, labels, 10, 10);
  assert.ok(res.accuracy <= 0.9 + 1e-12);
  assert.ok(Math.abs(res.accuracy - 0.9) < 1e-12, `accuracy ${res.accuracy}`);
});

test('the matching is one-to-one and optimal where the greedy choice is not', () => {
  // contingency [[5, 4], [4, 0]]: greedy takes 5 and then 0 (5 in all), the best map 4 + 4 = 8
  const codes = [...new Array(9).fill(0), ...new Array(4).fill(1)];
  const labels = [...new Array(5).fill(0), ...new Array(4).fill(1), ...new Array(4).fill(0)];
  const res = clusterAccuracy(codes, labels, 2, 2);
  assert.deepEqual(res.contingency, [[5, 4], [4, 0]]);
  assert.deepEqual(res.mapping, [1, 0]);
  assert.equal(res.matched, 8);
  assert.equal(res.accuracy, 8 / 13);
});

test('more codes than labels: the extra codes match nothing; fewer codes: some labels go unmatched', () => {
  const labels = balanced(400, 10);
  // 20 codes, each class split in two halves: only one half of each class can be matched
  const split = clusterAccuracy(labels.map((y, i) => y + 10 * (Math.floor(i / 10) % 2)), labels, 20, 10);
  assert.equal(split.accuracy, 0.5);
  assert.equal(split.mapping.filter((m) => m === -1).length, 10);
  assert.equal(new Set(split.mapping.filter((m) => m >= 0)).size, 10);
  // 5 codes, each covering two classes
  const merged = clusterAccuracy(labels.map((y) => y >> 1), labels, 5, 10);
  assert.equal(merged.accuracy, 0.5);
  assert.equal(merged.mapping.length, 5);
});

test('clusterAccuracy refuses codes or labels out of range and mismatched lengths', () => {
  assert.throws(() => clusterAccuracy([0, 3], [0, 1], 3, 2), /clusterAccuracy: codes\[1\] must be an integer in \[0, 2\], got 3/);
  assert.throws(() => clusterAccuracy([0, 1], [0, 2], 2, 2), /clusterAccuracy: labels\[1\] must be an integer in \[0, 1\], got 2/);
  assert.throws(() => clusterAccuracy([0, 1], [0], 2, 2), /clusterAccuracy: labels must hold one label per row \(2\), got 1/);
  assert.throws(() => clusterAccuracy([], [], 2, 2), /clusterAccuracy: codes must be a non-empty array/);
  assert.throws(() => clusterAccuracy([0], [0], 0, 2), /clusterAccuracy: numCodes must be a positive integer, got 0/);
});
