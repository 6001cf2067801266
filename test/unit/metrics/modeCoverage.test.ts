import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modeCoverage, klToUniform } from '../../../kernel-helpers/src/metrics';
import { ring8, grid25, Point2 } from '../../../kernel-helpers/src/data';
import { rng } from '../../../kernel-helpers/src/core/random';

test('samples from the data itself hit every mode, almost all high quality, KL near 0', () => {
  const d = grid25();
  const m = modeCoverage(d.sample(5000, rng(1)), d.modes!);
  assert.equal(m.modesHit, 25);
  assert.ok(m.highQualityShare > 0.98, `hq ${m.highQualityShare}`); // 3-sigma disc holds 98.9% in 2D
  assert.ok(m.klToUniform < 0.01, `kl ${m.klToUniform}`);
});

test('a generator collapsed on two modes hits two of eight', () => {
  const d = ring8();
  const c = d.modes!.centers;
  const r = rng(2);
  const pts: Point2[] = [];
  for (let i = 0; i < 1000; i++) {
    const m = c[i % 2];
    pts.push([m[0] + 0.02 * r.normal(), m[1] + 0.02 * r.normal()]);
  }
  const res = modeCoverage(pts, d.modes!);
  assert.equal(res.modesHit, 2);
  assert.ok(Math.abs(res.klToUniform - Math.log(4)) < 1e-3, `kl ${res.klToUniform}`);
});

test('samples between modes are not high quality', () => {
  const d = ring8();
  const res = modeCoverage([[0, 0], [0.1, 0.1]], d.modes!);
  assert.equal(res.highQualityShare, 0);
  assert.equal(res.modesHit, 0);
});

test('klToUniform: 0 for even, log K for one-hot', () => {
  assert.equal(klToUniform([5, 5, 5, 5]), 0);
  assert.ok(Math.abs(klToUniform([0, 0, 9, 0]) - Math.log(4)) < 1e-12);
  assert.throws(() => klToUniform([1, -1]), /klToUniform: counts\[1\] must be a finite number >= 0, got -1/);
});

test('bad samples are refused with the offending value', () => {
  assert.throws(() => modeCoverage([[NaN, 0]], ring8().modes!), /modeCoverage: samples\[0\] must be a finite \[x, y\] pair, got \[NaN, 0\]/);
  assert.throws(() => modeCoverage([], ring8().modes!), /modeCoverage: samples must be a non-empty array/);
});
