import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestNeighbourAccuracy } from '../../../kernel-helpers/src/metrics';
import { rng } from '../../../kernel-helpers/src/core/random';
import { blobs, range } from './featureBlobs';

test('each test point takes the label of its nearest training point (first one on ties)', () => {
  const res = nearestNeighbourAccuracy([0, 10, 10], [0, 1, 2], 3, [1, 9, 6, 5], [0, 1, 2, 0], 4, 1);
  assert.deepEqual([...res.predicted], [0, 1, 1, 0]);
  assert.deepEqual([...res.neighbour], [0, 1, 1, 0]);
  assert.equal(res.accuracy, 0.75);
});

test('separated blobs: 1-NN is almost always right; blobs of pure noise: about chance', () => {
  const dim = 16;
  const train = blobs(rng(1), range(10), 10, dim, 8, 1);
  const testSet = blobs(rng(2), range(10), 100, dim, 8, 1);
  const res = nearestNeighbourAccuracy(train.rows, train.labels, train.n, testSet.rows, testSet.labels, testSet.n, dim);
  assert.ok(res.accuracy > 0.99, `accuracy ${res.accuracy}`);
  const noise = blobs(rng(3), range(10), 10, dim, 0, 1);
  const noiseTest = blobs(rng(4), range(10), 200, dim, 0, 1);
  const chance = nearestNeighbourAccuracy(noise.rows, noise.labels, noise.n, noiseTest.rows, noiseTest.labels, noiseTest.n, dim);
  assert.ok(Math.abs(chance.accuracy - 0.1) < 0.04, `accuracy ${chance.accuracy}`);
});

test('cosine ignores the norm of a feature vector, Euclidean does not', () => {
  const dim = 8;
  const train = blobs(rng(5), range(8), 10, dim, 2, 0.1);
  const testSet = blobs(rng(6), range(8), 50, dim, 2, 0.1);
  const r = rng(7);
  // a large shared component, then every vector scaled by a random factor in [0.1, 10]: the
  // direction keeps the class, but the nearest point in Euclidean terms is the one of similar scale
  for (const set of [train, testSet]) {
    for (let i = 0; i < set.n; i++) {
      const s = 10 ** (2 * r.uniform() - 1);
      for (let j = 0; j < dim; j++) set.rows[i * dim + j] = s * (set.rows[i * dim + j] + 10);
    }
  }
  const args = [train.rows, train.labels, train.n, testSet.rows, testSet.labels, testSet.n, dim] as const;
  const cos = nearestNeighbourAccuracy(...args, { metric: 'cosine' });
  const euc = nearestNeighbourAccuracy(...args);
  assert.ok(cos.accuracy > 0.99, `cosine ${cos.accuracy}`);
  assert.ok(euc.accuracy < 0.5, `euclidean ${euc.accuracy}`);
});

test('bad inputs are refused with the function and argument named', () => {
  const x = new Float32Array([1, 0, 0, 1]);
  assert.throws(() => nearestNeighbourAccuracy(x, [0, 1], 2, x, [0], 2, 2), /nearestNeighbourAccuracy: testLabels must hold one label per row \(2\), got 1/);
  assert.throws(() => nearestNeighbourAccuracy(x, [0, -1], 2, x, [0, 1], 2, 2), /nearestNeighbourAccuracy: trainLabels\[1\] must be an integer >= 0, got -1/);
  assert.throws(() => nearestNeighbourAccuracy(x, [0, 1], 2, x, [0, 1], 1, 2), /nearestNeighbourAccuracy: testFeatures must hold n\*dim = 1\*2 = 2 values, got 4/);
  assert.throws(() => nearestNeighbourAccuracy(x, [0, 1], 0, x, [0, 1], 2, 2), /the number of rows of trainFeatures must be an integer >= 1/);
  assert.throws(() => nearestNeighbourAccuracy(x, [0, 1], 2, [0, 0, 1, 1], [0, 1], 2, 2, { metric: 'cosine' }), /nearestNeighbourAccuracy: testFeatures row 0 must be a non-zero vector/);
  assert.throws(() => nearestNeighbourAccuracy(x, [0, 1], 2, x, [0, 1], 2, 2, { metric: 'l1' as never }), /nearestNeighbourAccuracy: opts.metric must be one of 'euclidean', 'cosine', got "l1"/);
});
