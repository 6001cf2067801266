import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parzenLogLikelihood, parzenSelectSigma, parzenEstimate, defaultParzenSigmas } from '../../../kernel-helpers/src/metrics';
import { rng, Rng } from '../../../kernel-helpers/src/core/random';

const gaussian = (r: Rng, n: number, dim: number) => Float64Array.from({ length: n * dim }, () => r.normal());

/** log N(x; mu, sigma^2 I) */
function logNormal(x: ArrayLike<number>, mu: ArrayLike<number>, sigma: number): number {
  let d2 = 0;
  for (let j = 0; j < x.length; j++) d2 += (x[j] - mu[j]) ** 2;
  return -d2 / (2 * sigma * sigma) - 0.5 * x.length * Math.log(2 * Math.PI * sigma * sigma);
}

test('one sample: the estimate is the exact Gaussian log-density, even far out where exp underflows', () => {
  const s = [0.5, -1, 2];
  const xs = [[0.5, -1, 2], [1, 0, 0], [100, -50, 3]];
  for (const sigma of [0.1, 1, 3]) {
    const res = parzenLogLikelihood(s, 1, xs.flat(), 3, 3, sigma);
    xs.forEach((x, i) => {
      const exact = logNormal(x, s, sigma);
      assert.ok(Math.abs(res.logDensities[i] - exact) < 1e-9 * Math.max(1, Math.abs(exact)), `sigma ${sigma} point ${i}: ${res.logDensities[i]} vs ${exact}`);
    });
    assert.ok(Number.isFinite(res.mean));
  }
});

test('two samples: the log of the average of the two kernels; mean and standard error as defined', () => {
  const s = [0, 0, 3, 1];
  const x = [1, 0, 2, 2, -1, 0.5];
  const res = parzenLogLikelihood(s, 2, x, 3, 2, 0.8);
  const exact = [0, 1, 2].map((i) => Math.log(0.5 * Math.exp(logNormal(x.slice(2 * i, 2 * i + 2), [0, 0], 0.8)) + 0.5 * Math.exp(logNormal(x.slice(2 * i, 2 * i + 2), [3, 1], 0.8))));
  exact.forEach((e, i) => assert.ok(Math.abs(res.logDensities[i] - e) < 1e-12));
  const mean = exact.reduce((a, b) => a + b, 0) / 3;
  const sd = Math.sqrt(exact.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
  assert.ok(Math.abs(res.mean - mean) < 1e-12);
  assert.ok(Math.abs(res.stdErr - sd / Math.sqrt(3)) < 1e-12);
  assert.equal(res.sigma, 0.8);
});

test('many samples from N(0, I) in 2D: the estimate approaches the true mean log-density', () => {
  const dim = 2;
  const r = rng(1);
  const samples = gaussian(r, 20000, dim);
  const valid = gaussian(r, 300, dim);
  const testPts = gaussian(r, 1000, dim);
  const est = parzenEstimate(samples, 20000, valid, 300, testPts, 1000, dim, { sigmas: [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2] });
  // E[log N(x; 0, I)] = -(d/2)(log(2 pi) + 1)
  const truth = -(dim / 2) * (Math.log(2 * Math.PI) + 1);
  assert.ok(Math.abs(est.mean - truth) < 3 * est.stdErr + 0.05, `estimate ${est.mean} +- ${est.stdErr}, truth ${truth}`);
  // on the same points the sampling noise cancels: the estimate minus the true log-density is small
  let diff = 0;
  for (let i = 0; i < 1000; i++) diff += est.logDensities[i] - logNormal(testPts.subarray(2 * i, 2 * i + 2), [0, 0], 1);
  assert.ok(Math.abs(diff / 1000) < 0.05, `mean difference ${diff / 1000}`);
  assert.ok(est.sigma > 0.02 && est.sigma < 1, `chosen sigma ${est.sigma}`);
  assert.equal(est.curve.length, 8);
});

test('sigma search: the chosen width maximises the validation curve, which falls off at both ends', () => {
  const r = rng(2);
  const samples = gaussian(r, 2000, 2);
  const valid = gaussian(r, 200, 2);
  const sigmas = [0.001, 0.01, 0.1, 0.3, 1, 10];
  const res = parzenSelectSigma(samples, 2000, valid, 200, 2, sigmas);
  assert.deepEqual(res.curve.map((c) => c.sigma), sigmas);
  const best = Math.max(...res.curve.map((c) => c.mean));
  assert.equal(res.curve.find((c) => c.sigma === res.sigma)!.mean, best);
  assert.ok(res.curve[0].mean < best && res.curve[5].mean < best);
  // the default grid: ten widths log-spaced from 0.1 to 1
  const grid = defaultParzenSigmas();
  assert.equal(grid.length, 10);
  assert.ok(Math.abs(grid[0] - 0.1) < 1e-12 && Math.abs(grid[9] - 1) < 1e-12);
});

test('bad inputs are refused with the function and argument named', () => {
  assert.throws(() => parzenLogLikelihood([0, 0], 1, [0, 0, 1, 1], 2, 2, 0), /parzenLogLikelihood: sigma must be a finite number > 0, got 0/);
  assert.throws(() => parzenLogLikelihood([0, 0], 1, [0, 0], 1, 2, 1), /parzenLogLikelihood: the number of rows of test must be an integer >= 2/);
  assert.throws(() => parzenLogLikelihood([0, 0], 1, [0, 0, 1], 2, 2, 1), /parzenLogLikelihood: test must hold n\*dim = 2\*2 = 4 values, got 3/);
  assert.throws(() => parzenLogLikelihood([], 0, [0, 0, 1, 1], 2, 2, 1), /parzenLogLikelihood: the number of rows of samples must be an integer >= 1/);
  assert.throws(() => parzenSelectSigma([0, 0], 1, [0, 0], 1, 2, []), /parzenSelectSigma: sigmas must be a non-empty array of kernel widths/);
  assert.throws(() => parzenSelectSigma([0, 0], 1, [0, 0], 1, 2, [1, -1]), /parzenSelectSigma: sigmas\[1\] must be a finite number > 0, got -1/);
  assert.throws(() => parzenEstimate([0, 0], 1, [0, 0], 1, [0, 0, 1, 1], 2, 2, { sigma: 1 } as never), /parzenEstimate: unknown option 'sigma'/);
});
