import { test } from 'node:test';
import assert from 'node:assert/strict';
import { precisionRecall, knnSquaredRadii } from '../../../kernel-helpers/src/metrics';
import { rng } from '../../../kernel-helpers/src/core/random';
import { blobs, range, ring } from './featureBlobs';

test('knnSquaredRadii: k-th neighbour distances on a line, excluding the point itself', () => {
  const pts = [0, 1, 3, 6];
  assert.deepEqual([...knnSquaredRadii(pts, 4, 1, 1)], [1, 1, 4, 9]);
  assert.deepEqual([...knnSquaredRadii(pts, 4, 1, 2)], [9, 4, 9, 25]);
  assert.deepEqual([...knnSquaredRadii(pts, 4, 1, 3)], [36, 25, 9, 36]);
  assert.throws(() => knnSquaredRadii(pts, 4, 1, 4), /knnSquaredRadii: k must be at most n - 1 = 3/);
});

test('identical sets have precision 1 and recall 1', () => {
  const { rows, n } = blobs(rng(1), range(4), 50, 8, 3, 1);
  const pr = precisionRecall(rows, n, rows, n, 8);
  assert.deepEqual(pr, { precision: 1, recall: 1, k: 3 });
});

test('a generator covering half of the modes keeps precision and loses half the recall', () => {
  const real = ring(rng(2), 10, range(10), 100, 0.3);
  const fake = ring(rng(3), 10, range(5), 200, 0.3);
  const pr = precisionRecall(real.rows, real.n, fake.rows, fake.n, 2);
  assert.ok(pr.precision > 0.93, `precision ${pr.precision}`);
  assert.ok(pr.recall > 0.45 && pr.recall <= 0.5, `recall ${pr.recall}`);
});

test('half the samples off the data: precision about 0.5, recall stays about 1', () => {
  const real = ring(rng(4), 10, range(10), 100, 0.3);
  const good = ring(rng(5), 10, range(10), 100, 0.3);
  const bad = ring(rng(6), 10, range(10), 100, 0.3, 50); // the same ring moved 50 to the right
  const fake = new Float32Array([...good.rows, ...bad.rows]);
  const pr = precisionRecall(real.rows, real.n, fake, 2 * good.n, 2);
  assert.ok(pr.precision <= 0.5 && pr.precision > 0.45, `precision ${pr.precision}`);
  assert.ok(pr.recall > 0.93, `recall ${pr.recall}`);
});

test('larger k grows every ball, so precision and recall never fall with k', () => {
  // 10-dim modes with 100 points each: the k = 3 balls leave gaps (the paper's k = 3 is for
  // sets of tens of thousands), so even samples of the data itself miss some precision
  const dim = 10;
  const real = blobs(rng(8), range(10), 100, dim, 10, 0.3);
  const fake = blobs(rng(9), range(5), 200, dim, 10, 0.3);
  const runs = [1, 3, 10, 20].map((k) => precisionRecall(real.rows, real.n, fake.rows, fake.n, dim, { k }));
  for (let i = 1; i < runs.length; i++) {
    assert.ok(runs[i].precision >= runs[i - 1].precision && runs[i].recall >= runs[i - 1].recall, JSON.stringify(runs));
  }
  assert.ok(runs[0].precision < 0.9 && runs[3].precision > 0.95, JSON.stringify(runs));
  assert.ok(runs.every((r) => r.recall <= 0.5), JSON.stringify(runs));
});

test('a generated set far from the data has precision 0 and recall 0', () => {
  const real = blobs(rng(7), range(3), 40, 4, 2, 1);
  const fake = real.rows.map((v) => v + 100);
  assert.deepEqual(precisionRecall(real.rows, real.n, fake, real.n, 4, { k: 5 }), { precision: 0, recall: 0, k: 5 });
});

test('bad inputs are refused: k too large or < 1, too few rows, wrong sizes, unknown options', () => {
  const a = new Float32Array(3 * 2);
  const b = new Float32Array(10 * 2);
  assert.throws(() => precisionRecall(a, 3, b, 10, 2), /precisionRecall: opts.k must be at most nReal - 1 = 2 .*got 3/);
  assert.throws(() => precisionRecall(b, 10, a, 3, 2, { k: 3 }), /precisionRecall: opts.k must be at most nFake - 1 = 2/);
  assert.throws(() => precisionRecall(b, 10, b, 10, 2, { k: 0 }), /precisionRecall: opts.k must be a positive integer, got 0/);
  assert.throws(() => precisionRecall(b, 10, b, 10, 3), /precisionRecall: real must hold n\*dim = 10\*3 = 30 values, got 20/);
  assert.throws(() => precisionRecall(b, 10, b, 0, 2), /precisionRecall: the number of rows of fake must be an integer >= 4 \(fewer samples than this metric needs\), got 0/);
  assert.throws(() => precisionRecall([NaN, 0, 1, 2, 3, 4, 5, 6], 4, b, 10, 2), /precisionRecall: real row 0 entry 0 must be a finite number, got NaN/);
  assert.throws(() => precisionRecall(b, 10, b, 10, 2, { K: 3 } as never), /precisionRecall: unknown option 'K'; known: k/);
});
