import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ring8, grid25, swissRoll, mixture1d } from '../../../kernel-helpers/src/data';
import { rng } from '../../../kernel-helpers/src/core/random';

test('ring8 puts its eight centres on the circle of radius 2 and samples near them', () => {
  const d = ring8();
  assert.equal(d.modes!.centers.length, 8);
  for (const [x, y] of d.modes!.centers) assert.ok(Math.abs(Math.hypot(x, y) - 2) < 1e-12);
  const pts = d.sample(4000, rng(1));
  const r = pts.map(([x, y]) => Math.hypot(x, y));
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  assert.ok(Math.abs(mean - 2) < 0.01, `mean radius ${mean}`);
});

test('grid25 has 25 centres on {-4..4}^2 and per-axis sample std close to the component std', () => {
  const d = grid25();
  assert.equal(d.modes!.centers.length, 25);
  assert.deepEqual(d.modes!.centers[0], [-4, -4]);
  assert.deepEqual(d.modes!.centers[24], [4, 4]);
  const pts = d.sample(20000, rng(2));
  let s = 0;
  for (const [x] of pts) {
    const dx = x - Math.round(x / 2) * 2;
    s += dx * dx;
  }
  const std = Math.sqrt(s / pts.length);
  assert.ok(Math.abs(std - 0.05) < 0.003, `std ${std}`);
});

test('samples are reproducible with a seed and differ across seeds', () => {
  const a = swissRoll().sample(5, rng(7));
  const b = swissRoll().sample(5, rng(7));
  const c = swissRoll().sample(5, rng(8));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('mixture1d density integrates to one and sample mean matches the mixture mean', () => {
  const m = mixture1d({ weights: [0.3, 0.7], means: [-2, 1.5], stds: [0.5, 0.8] });
  let integral = 0;
  const h = 1e-3;
  for (let x = -10; x < 10; x += h) integral += m.pdf(x) * h;
  assert.ok(Math.abs(integral - 1) < 1e-6, `integral ${integral}`);
  const xs = m.sample(50000, rng(3));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(mean - (0.3 * -2 + 0.7 * 1.5)) < 0.02, `mean ${mean}`);
});

test('bad input names the argument', () => {
  assert.throws(() => mixture1d({ weights: [0.5, 0.4], means: [0, 1], stds: [1, 1] }), /sum to 1/);
  assert.throws(() => mixture1d({ weights: [1], means: [0], stds: [0] }), /stds\[0\]/);
  assert.throws(() => ring8({ std: -1 }), /ring8: std must be a finite number > 0, got -1/);
  assert.throws(() => ring8().sample(-1), /n must be/);
});
