/**
 * The unbiased RBF MMD^2 against known answers: about 0 for two samples of one distribution
 * (within a few standard errors over repeated draws), and the closed form for two 1-D
 * Gaussians N(0, s^2), N(mu, s^2) with bandwidth sigma:
 *   MMD^2 = 2 (sigma / sqrt(sigma^2 + 2 s^2)) (1 - exp(-mu^2 / (2 (sigma^2 + 2 s^2)))).
 * Also the median heuristic on a hand-made set, and PCA on a set whose components are known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../../../kernel-helpers/src/core/random';
import { mmdRbf, medianBandwidth, fitPca, projectPca, pca2, sequenceFeatureMeans } from '../../../kernel-helpers/src/metrics';

function gaussian(n: number, dim: number, mean: number, std: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n * dim }, () => mean + std * r.normal());
}

function closedForm(s: number, mu: number, sigma: number): number {
  const v = sigma * sigma + 2 * s * s;
  return 2 * (sigma / Math.sqrt(v)) * (1 - Math.exp((-mu * mu) / (2 * v)));
}

test('mmdRbf: two samples of one distribution give about 0 (unbiased: the mean over draws is within 3 standard errors of 0)', () => {
  const est = Array.from({ length: 12 }, (_, k) => mmdRbf(gaussian(150, 2, 0, 1, 100 + k), 150, gaussian(150, 2, 0, 1, 200 + k), 150, 2));
  const mean = est.reduce((a, b) => a + b, 0) / est.length;
  const sd = Math.sqrt(est.reduce((a, b) => a + (b - mean) ** 2, 0) / (est.length - 1));
  assert.ok(Math.abs(mean) < 3 * (sd / Math.sqrt(est.length)), `mean ${mean}, sd ${sd}`);
  assert.ok(est.some((e) => e < 0), 'the unbiased estimate goes below 0 at times');
  // a shifted sample is far outside that scatter
  assert.ok(mmdRbf(gaussian(150, 2, 0, 1, 1), 150, gaussian(150, 2, 1, 1, 2), 150, 2) > mean + 10 * sd);
});

test('mmdRbf matches the closed form for 1-D Gaussians with large samples', () => {
  for (const [s, mu, sigma, seed] of [[1, 1, 1, 1], [0.5, 1, 1, 2], [1, 2, 0.5, 3]]) {
    const n = 2000;
    const got = mmdRbf(gaussian(n, 1, 0, s, seed), n, gaussian(n, 1, mu, s, seed + 50), n, 1, { bandwidth: sigma });
    const want = closedForm(s, mu, sigma);
    assert.ok(Math.abs(got - want) < 0.02, `s=${s} mu=${mu} sigma=${sigma}: ${got} vs ${want}`);
  }
  assert.ok(Math.abs(closedForm(1, 1, 1) - 0.17727) < 1e-4, 'the formula itself, worked by hand');
});

test('median heuristic: the median distance between distinct pooled points; it is the default bandwidth', () => {
  // pooled 0, 1, 3: distances 1, 3, 2, median 2
  assert.equal(medianBandwidth([0, 1], 2, [3], 1, 1), 2);
  // four points 0 1 2 3: distances sorted 1 1 1 2 2 3, median (1 + 2) / 2
  assert.equal(medianBandwidth([0, 1], 2, [2, 3], 2, 1), 1.5);
  const a = gaussian(100, 3, 0, 1, 4);
  const b = gaussian(80, 3, 0.5, 1, 5);
  const sigma = medianBandwidth(a, 100, b, 80, 3);
  assert.ok(sigma > 1.5 && sigma < 3, `${sigma}: about sqrt(2 * 3) for unit Gaussians in 3-D`);
  assert.equal(mmdRbf(a, 100, b, 80, 3), mmdRbf(a, 100, b, 80, 3, { bandwidth: sigma }));
  // all points equal: a bandwidth of 1 rather than 0, and MMD 0
  assert.equal(medianBandwidth([1, 1], 2, [1, 1], 2, 1), 1);
  assert.equal(mmdRbf([1, 1], 2, [1, 1], 2, 1), 0);
});

test('mmdRbf: errors name the argument (unequal dims, empty or single-row samples, bad bandwidth)', () => {
  const a = [0, 0, 1, 1, 2, 2];
  assert.throws(() => mmdRbf(a, 3, [0, 0, 0, 1, 1, 1, 2, 2, 2], 3, 2), /mmdRbf: b must hold n\*dim = 3\*2 = 6 values, got 9/);
  assert.throws(() => mmdRbf([], 0, a, 3, 2), /mmdRbf: the number of rows of a must be an integer >= 2/);
  assert.throws(() => mmdRbf(a, 3, [1, 1], 1, 2), /mmdRbf: the number of rows of b must be an integer >= 2/);
  assert.throws(() => mmdRbf(a, 3, a, 3, 2, { bandwidth: 0 }), /mmdRbf: opts\.bandwidth must be a finite number > 0, got 0/);
  assert.throws(() => mmdRbf(a, 3, [0, 0, NaN, 1, 2, 2], 3, 2), /mmdRbf: b row 1 entry 0 must be a finite number, got NaN/);
  assert.throws(() => mmdRbf(a, 3, a, 3, 2, { sigma: 1 } as never), /mmdRbf: unknown option 'sigma'/);
});

test('PCA: a 3-D set whose first component is (1, 2, 2) / 3, fitted on one set and used to project another', () => {
  // x = t u + s v + 1 with u = (1, 2, 2)/3, v = (2, 1, -2)/3 orthonormal; t and s on a grid, so uncorrelated
  const u = [1 / 3, 2 / 3, 2 / 3];
  const v = [2 / 3, 1 / 3, -2 / 3];
  const rows: number[] = [];
  const ts: number[] = [];
  for (const t of [-2, -1, 0, 1, 2]) {
    for (const s of [-0.5, 0.5]) {
      rows.push(...[0, 1, 2].map((j) => t * u[j] + s * v[j] + 1));
      ts.push(t);
    }
  }
  const pca = fitPca(rows, 10, 3);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(pca.axes[j] - u[j]) < 1e-9, `axis 1 = u (sign fixed: largest entry positive): ${Array.from(pca.axes)}`);
  const dot = pca.axes[3] * v[0] + pca.axes[4] * v[1] + pca.axes[5] * v[2];
  assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, 'axis 2 = +-v');
  assert.ok(Math.abs(pca.variances[0] - 20 / 9) < 1e-9 && Math.abs(pca.variances[1] - 2.5 / 9) < 1e-9, 'sample variances (n - 1)');
  assert.ok(Math.abs(pca.explainedRatio[0] - 20 / 22.5) < 1e-9);
  const p = pca2(rows, 10, 3);
  ts.forEach((t, i) => assert.ok(Math.abs(p[2 * i] - t) < 1e-9, 'the first coordinate is t'));
  // another set, projected with the first one's components: moved by 3 u, its first coordinates move by 3
  const moved = rows.map((x, i) => x + 3 * u[i % 3]);
  const q = projectPca(pca, moved, 10);
  ts.forEach((t, i) => assert.ok(Math.abs(q[2 * i] - (t + 3)) < 1e-9));
  assert.throws(() => fitPca(rows, 1, 3), /fitPca: the number of rows of rows must be an integer >= 2/);
  assert.throws(() => fitPca(rows, 10, 3, 4), /fitPca: components must be an integer in \[1, 3\], got 4/);
  assert.throws(() => projectPca(pca, [1, 2], 1), /projectPca: rows must hold n\*dim = 1\*3 = 3 values, got 2/);
  assert.throws(() => pca2([1, 2, 3], 3, 1), /pca2: dim must be an integer >= 2, got 1/);
});

test('sequenceFeatureMeans: TimeGAN reduces [length, features] to the per-step mean over features', () => {
  // 2 sequences, 2 steps, 3 features
  const d = [1, 2, 3, 4, 5, 6, 0, 0, 3, 9, 9, 9];
  assert.deepEqual(Array.from(sequenceFeatureMeans(d, 2, 2, 3)), [2, 5, 1, 9]);
  assert.throws(() => sequenceFeatureMeans(d, 2, 3, 3), /sequenceFeatureMeans: data must hold n\*dim = 6\*3 = 18 values, got 12/);
});
