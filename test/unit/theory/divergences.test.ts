import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kl, reverseKl, jensenShannon, totalVariation, shannonEntropy, uniformGrid, klDensity, reverseKlDensity, jensenShannonDensity, totalVariationDensity, gaussianPdf, klBetweenGaussians, momentsOnGrid, fitGaussian, parallelLines, parallelLinesDiscrete } from '../../../kernel-helpers/src/theory';

const close = (a: number, b: number, tol: number, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b} (tol ${tol})`);

test('discrete KL, reverse KL, JS, TV against hand-computed values', () => {
  const p = [0.5, 0.5];
  const q = [0.9, 0.1];
  close(kl(p, q), 0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1), 1e-12);
  close(reverseKl(p, q), 0.9 * Math.log(0.9 / 0.5) + 0.1 * Math.log(0.1 / 0.5), 1e-12);
  const m = [0.7, 0.3];
  close(jensenShannon(p, q), 0.5 * kl(p, m) + 0.5 * kl(q, m), 1e-12);
  close(totalVariation(p, q), 0.4, 1e-12);
  close(shannonEntropy(p), Math.log(2), 1e-12);
});

test('KL is asymmetric, JS symmetric and within [0, log 2], all zero on equal inputs', () => {
  const p = [0.1, 0.2, 0.7];
  const q = [0.3, 0.3, 0.4];
  assert.ok(Math.abs(kl(p, q) - kl(q, p)) > 1e-3);
  close(jensenShannon(p, q), jensenShannon(q, p), 1e-15);
  assert.ok(jensenShannon(p, q) > 0 && jensenShannon(p, q) < Math.LN2);
  assert.equal(kl(p, p), 0);
  assert.equal(jensenShannon(p, p), 0);
  assert.equal(totalVariation(p, p), 0);
});

test('disjoint supports: JS = log 2, KL infinite, TV = 1', () => {
  const p = [0.5, 0.5, 0, 0];
  const q = [0, 0, 0.25, 0.75];
  close(jensenShannon(p, q), Math.LN2, 1e-15);
  assert.equal(kl(p, q), Infinity);
  assert.equal(reverseKl(p, q), Infinity);
  close(totalVariation(p, q), 1, 1e-15);
});

test('bad input: errors name the argument', () => {
  assert.throws(() => kl([0.5, 0.6], [0.5, 0.5]), /kl: p must sum to 1, got a sum of 1\.1/);
  assert.throws(() => jensenShannon([0.5, 0.5], [1.2, -0.2]), /jensenShannon: q\[1\] must be >= 0 \(a probability\), got -0\.2/);
  assert.throws(() => totalVariation([0.5, 0.5], [0.2, 0.3, 0.5]), /totalVariation: p and q must be on the same support/);
  assert.throws(() => reverseKl([NaN, 1], [0.5, 0.5]), /p\[0\] must be a finite number/);
  assert.throws(() => kl([], []), /p must be a non-empty array/);
});

test('grid KL of two Gaussians matches the closed form to 1e-8', () => {
  const g = uniformGrid(-15, 15, 3001);
  const p = gaussianPdf(0.3, 1.2);
  const q = gaussianPdf(-0.5, 0.8);
  close(klDensity(p, q, g), klBetweenGaussians(0.3, 1.2, -0.5, 0.8), 1e-8, 'KL(p||q)');
  close(reverseKlDensity(p, q, g), klBetweenGaussians(-0.5, 0.8, 0.3, 1.2), 1e-8, 'KL(q||p)');
  const j = jensenShannonDensity(p, q, g);
  assert.ok(j > 0 && j < Math.LN2);
  close(jensenShannonDensity(p, p, g), 0, 1e-12);
  // TV of two unit Gaussians a distance d apart: 2 Phi(d/2) - 1; d = 1 gives 0.382924922548026.
  close(totalVariationDensity(gaussianPdf(0, 1), gaussianPdf(1, 1), g), 0.382924922548026, 1e-5, 'TV'); // |p - q| has a kink: the rule is only second order here
});

test('grid densities: bad input names the argument', () => {
  const g = uniformGrid(-5, 5, 101);
  assert.throws(() => klDensity((x) => 2 * gaussianPdf(0, 1)(x), gaussianPdf(0, 1), g), /klDensity: p must integrate to 1/);
  assert.throws(() => jensenShannonDensity(gaussianPdf(0, 1), (x) => (x > 0 ? -0.1 : 0.3), g), /jensenShannonDensity: q is negative at x =/);
  assert.throws(() => klDensity(gaussianPdf(0, 1), new Array(50).fill(0.1), g), /q has 50 values but the grid has 101 nodes/);
  assert.throws(() => klDensity(gaussianPdf(8, 1), gaussianPdf(0, 1), g), /p must integrate to 1 on the grid/);
  assert.throws(() => uniformGrid(1, 0, 10), /uniformGrid: b must be > a = 1, got 0/);
});

test('forward KL fit of a Gaussian = moment matching; reverse KL fit locks onto one mode', () => {
  const g = uniformGrid(-10, 10, 801);
  const target = (x: number) => 0.5 * gaussianPdf(-2.5, 0.6)(x) + 0.5 * gaussianPdf(2.5, 0.6)(x);
  const mom = momentsOnGrid(target, g);
  close(mom.variance, 0.36 + 6.25, 1e-8, 'mixture variance');
  const fwd = fitGaussian(target, g, 'forward');
  close(fwd.mean, 0, 1e-3, 'forward mean');
  close(fwd.std, Math.sqrt(mom.variance), 1e-3, 'forward std');
  const rev = fitGaussian(target, g, 'reverse', { initMean: 1, initStd: 1 });
  close(rev.mean, 2.5, 0.02, 'reverse mean');
  close(rev.std, 0.6, 0.02, 'reverse std');
  // Reverse KL to one mode is about log 2 (the other half of the mass is ignored).
  close(rev.divergence, Math.LN2, 0.01, 'reverse KL value');
});

test('parallel lines (WGAN example 1): closed form and discretised agree', () => {
  for (const theta of [-1, -0.3, 0.01, 0.5]) {
    const c = parallelLines(theta);
    const d = parallelLinesDiscrete(theta, 20);
    close(jensenShannon(d.p0, d.pTheta), c.js, 1e-15);
    close(totalVariation(d.p0, d.pTheta), c.tv, 1e-15);
    assert.equal(kl(d.p0, d.pTheta), c.kl);
    assert.equal(c.w1, Math.abs(theta));
  }
  const z = parallelLines(0);
  assert.deepEqual([z.js, z.kl, z.tv, z.w1], [0, 0, 0, 0]);
  assert.throws(() => parallelLines(NaN), /theta must be a finite number/);
});

test('kernel density of Gaussian samples integrates to 1 and is close to the true density', async () => {
  const { kernelDensity1d } = await import('../../../kernel-helpers/src/theory');
  const { rng } = await import('../../../kernel-helpers/src/core/random');
  const r = rng(3);
  const xs = Array.from({ length: 4000 }, () => 1 + 0.5 * r.normal());
  const f = kernelDensity1d(xs);
  const g = uniformGrid(-4, 6, 1001);
  const mass = g.x.reduce((acc, x, i) => acc + g.w[i] * f(x), 0);
  close(mass, 1, 1e-6, 'mass');
  const truth = gaussianPdf(1, 0.5);
  assert.ok(totalVariationDensity(f, truth, g) < 0.05);
  assert.ok(f.bandwidth > 0.05 && f.bandwidth < 0.2, `bandwidth ${f.bandwidth}`);
  assert.throws(() => kernelDensity1d([1]), /at least 2/);
  assert.throws(() => kernelDensity1d([1, 2], -1), /bandwidth must be/);
});
