import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gaussianMixture,
  standardNormalMixture,
  mixtureLogDensity,
  sampleMixture,
  fitMixtureEM,
  smoothMixture,
} from '../../../kernel-helpers/src/sampling';
import { rng } from '../../../kernel-helpers/src/core/random';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

/** log N(x; mu, diag v), written out coordinate by coordinate. */
function logNormalDiag(x: number[], mu: number[], v: number[]): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += -0.5 * Math.log(2 * Math.PI * v[j]) - (x[j] - mu[j]) ** 2 / (2 * v[j]);
  return s;
}

const twoComponents = () =>
  gaussianMixture({ dim: 2, weights: [0.3, 0.7], means: [0, 0, 1, -2], variances: [1, 4, 0.5, 2] });

test('mixtureLogDensity: a 2-component 2-D mixture matches the density written out by hand', () => {
  const m = twoComponents();
  // x = (0.5, -1):
  //   N1 = exp(-(0.5^2/1 + 1^2/4) / 2) / (2 pi sqrt(1 * 4))
  //   N2 = exp(-((0.5 - 1)^2/0.5 + (-1 + 2)^2/2) / 2) / (2 pi sqrt(0.5 * 2))
  const n1 = Math.exp(-(0.25 / 1 + 1 / 4) / 2) / (2 * Math.PI * Math.sqrt(4));
  const n2 = Math.exp(-(0.25 / 0.5 + 1 / 2) / 2) / (2 * Math.PI * Math.sqrt(1));
  const expected0 = Math.log(0.3 * n1 + 0.7 * n2);
  // x = (0, 0): N1 = 1 / (4 pi), N2 = exp(-(1/0.5 + 4/2) / 2) / (2 pi)
  const expected1 = Math.log(0.3 / (4 * Math.PI) + (0.7 * Math.exp(-2)) / (2 * Math.PI));
  const ld = mixtureLogDensity(m, [0.5, -1, 0, 0], 2);
  assert.ok(ld instanceof Float64Array && ld.length === 2);
  close(ld[0], expected0, 1e-13, 'point 0');
  close(ld[1], expected1, 1e-13, 'point 1');
  assert.equal(mixtureLogDensity(m, [], 0).length, 0);
});

test('mixtureLogDensity: one component is the Gaussian log-density; 40 sd out it stays finite and exact', () => {
  const mu = [0.5, -1, 2];
  const v = [0.25, 1, 9];
  const one = gaussianMixture({ dim: 3, weights: [1], means: mu, variances: v });
  const r = rng(3);
  const xs = Array.from({ length: 20 }, () => mu.map((m, j) => m + 3 * Math.sqrt(v[j]) * r.normal()));
  const ld = mixtureLogDensity(one, xs.flat(), 20);
  xs.forEach((x, i) => close(ld[i], logNormalDiag(x, mu, v), 1e-12 * Math.max(1, Math.abs(ld[i])), `point ${i}`));

  // two unit-variance components at (0, 0) and (-3, 0); x = (40, 0) is 40 sd from the nearer
  const m = gaussianMixture({ dim: 2, weights: [0.4, 0.6], means: [0, 0, -3, 0], variances: [1, 1, 1, 1] });
  const far = mixtureLogDensity(m, [40, 0], 1)[0];
  // exp(-800) underflows: a direct sum of component densities would give log(0) = -Infinity
  assert.equal(0.4 * Math.exp(-800) + 0.6 * Math.exp(-0.5 * 43 * 43), 0);
  // the nearer component dominates: log q = log 0.4 - 40^2/2 - log(2 pi) + log(1 + (0.6/0.4) e^{-(43^2 - 40^2)/2})
  const dominant = Math.log(0.4) - 800 - Math.log(2 * Math.PI) + Math.log1p(1.5 * Math.exp(-124.5));
  assert.ok(Number.isFinite(far));
  close(far, dominant, 1e-12 * 800, '40 sd out');
});

test('a zero-weight component contributes nothing to the density and is never sampled', () => {
  const m = gaussianMixture({ dim: 1, weights: [0, 1], means: [5, 0], variances: [1, 1] });
  close(mixtureLogDensity(m, [5], 1)[0], logNormalDiag([5], [0], [1]), 1e-12, 'log q(5)');
  const { components } = sampleMixture(m, 500, 1);
  assert.ok(components.every((k) => k === 1));
});

test('sampleMixture: seeded draws are reproducible; shares, means and variances match the spec', () => {
  const m = twoComponents();
  const a = sampleMixture(m, 100, 7);
  const b = sampleMixture(m, 100, rng(7));
  assert.deepEqual(a, b);
  assert.notDeepEqual(sampleMixture(m, 100, 8).points, a.points);
  assert.ok(a.points instanceof Float64Array && a.points.length === 200 && a.components instanceof Int32Array);

  const n = 20000;
  const { points, components } = sampleMixture(m, n, 11);
  for (let k = 0; k < 2; k++) {
    const rows = [...components.keys()].filter((i) => components[i] === k);
    const nk = rows.length;
    const w = m.weights[k];
    close(nk / n, w, 4 * Math.sqrt((w * (1 - w)) / n), `share of component ${k}`);
    for (let j = 0; j < 2; j++) {
      const xs = rows.map((i) => points[2 * i + j]);
      const mean = xs.reduce((s, x) => s + x, 0) / nk;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (nk - 1);
      const v = m.variances[2 * k + j];
      close(mean, m.means[2 * k + j], 4 * Math.sqrt(v / nk), `mean ${k},${j}`);
      close(variance, v, 4 * v * Math.sqrt(2 / (nk - 1)), `variance ${k},${j}`);
    }
  }
});

test('standardNormalMixture: the prior as one component; several components get seeded, distinct means', () => {
  const prior = standardNormalMixture(3);
  assert.deepEqual([...prior.weights], [1]);
  assert.deepEqual([...prior.means], [0, 0, 0]);
  assert.deepEqual([...prior.variances], [1, 1, 1]);
  const z = [0.3, -1.2, 2];
  close(mixtureLogDensity(prior, z, 1)[0], logNormalDiag(z, [0, 0, 0], [1, 1, 1]), 1e-13, 'prior');

  const start = standardNormalMixture(2, { components: 4, spread: 2, seed: 5, variance: 0.5 });
  assert.deepEqual([...start.weights], [0.25, 0.25, 0.25, 0.25]);
  assert.ok(start.variances.every((v) => v === 0.5));
  assert.equal(new Set(start.means).size, 8);
  assert.deepEqual(standardNormalMixture(2, { components: 4, spread: 2, seed: 5, variance: 0.5 }), start);
  assert.notDeepEqual(standardNormalMixture(2, { components: 4, spread: 2, seed: 6 }).means, start.means);
});

test('fitMixtureEM: recovers a well-separated 3-component mixture; the log-likelihood never decreases', () => {
  const truth = gaussianMixture({
    dim: 2,
    weights: [0.4, 0.35, 0.25],
    means: [-4, 0, 4, 0, 0, 5],
    variances: [0.49, 0.25, 0.3, 0.4, 0.2, 0.36],
  });
  const n = 5000;
  const { points, components } = sampleMixture(truth, n, 21);
  // a rough start: means a unit off, unit variances, equal weights
  const init = gaussianMixture({ dim: 2, weights: [1 / 3, 1 / 3, 1 / 3], means: [-3, 1, 3, -1, 1, 4], variances: [1, 1, 1, 1, 1, 1] });
  const fit = fitMixtureEM(points, n, { init, iterations: 200 });
  const m = fit.mixture;
  assert.ok(fit.iterations > 1 && fit.iterations < 200, `iterations ${fit.iterations}`);
  assert.equal(fit.logLikelihoods.length, fit.iterations);
  for (let t = 1; t < fit.logLikelihoods.length; t++) {
    assert.ok(fit.logLikelihoods[t] >= fit.logLikelihoods[t - 1] - 1e-12, `iteration ${t}: ${fit.logLikelihoods[t]} < ${fit.logLikelihoods[t - 1]}`);
  }
  close(m.weights.reduce((s, w) => s + w, 0), 1, 1e-12, 'weight sum');
  for (let k = 0; k < 3; k++) {
    close(m.weights[k], truth.weights[k], 0.02, `weight ${k}`);
    for (let j = 0; j < 2; j++) {
      close(m.means[2 * k + j], truth.means[2 * k + j], 0.05, `mean ${k},${j}`);
      const v = truth.variances[2 * k + j];
      close(m.variances[2 * k + j], v, 0.1 * v, `variance ${k},${j}`);
    }
    // separated by > 10 sd, responsibilities are 0 or 1: EM reproduces the labelled estimates
    const rows = [...components.keys()].filter((i) => components[i] === k);
    for (let j = 0; j < 2; j++) {
      const xs = rows.map((i) => points[2 * i + j]);
      const mean = xs.reduce((s, x) => s + x, 0) / rows.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / rows.length;
      close(m.means[2 * k + j], mean, 1e-6, `labelled mean ${k},${j}`);
      close(m.variances[2 * k + j], variance, 1e-6, `labelled variance ${k},${j}`);
    }
  }
  // the fitted mixture's mean log-density is the last recorded value
  const ld = mixtureLogDensity(m, points, n);
  close(ld.reduce((s, v) => s + v, 0) / n, fit.logLikelihoods[fit.logLikelihoods.length - 1], 1e-10, 'objective');
});

test('weighted EM: draws from N(0, 4) weighted by N(1, 1) / N(0, 4) fit N(1, 1)', () => {
  const n = 20000;
  const proposal = gaussianMixture({ dim: 1, weights: [1], means: [0], variances: [4] });
  const { points } = sampleMixture(proposal, n, 31);
  const ratio = Float64Array.from(points, (x) => Math.exp(logNormalDiag([x], [1], [1]) - logNormalDiag([x], [0], [4])));
  const fit = fitMixtureEM(points, n, { init: proposal, sampleWeights: ratio });
  const m = fit.mixture;
  close(m.means[0], 1, 0.05, 'mean');
  close(m.variances[0], 1, 0.05, 'variance');
  // one component: the M-step is the weighted mean and variance in closed form
  let sw = 0;
  let sx = 0;
  for (let i = 0; i < n; i++) {
    sw += ratio[i];
    sx += ratio[i] * points[i];
  }
  const mean = sx / sw;
  let sv = 0;
  for (let i = 0; i < n; i++) sv += ratio[i] * (points[i] - mean) ** 2;
  close(m.means[0], mean, 1e-12, 'closed-form mean');
  close(m.variances[0], sv / sw, 1e-12, 'closed-form variance');
  // scaling the weights changes nothing
  assert.deepEqual(fitMixtureEM(points, n, { init: proposal, sampleWeights: ratio.map((w) => w * 8) }).mixture, m);
});

test('fitMixtureEM: sample weights of all ones are exactly the unweighted fit', () => {
  const data = sampleMixture(twoComponents(), 400, 41).points;
  const init = standardNormalMixture(2, { components: 2, seed: 1 });
  const plain = fitMixtureEM(data, 400, { init, iterations: 15 });
  const ones = fitMixtureEM(data, 400, { init, iterations: 15, sampleWeights: new Array(400).fill(1) });
  assert.deepEqual(ones, plain);
  // the start is copied, not modified
  assert.deepEqual(init, standardNormalMixture(2, { components: 2, seed: 1 }));
});

test('fitMixtureEM: coincident points floor the variance at minVariance; a vanished component keeps its parameters', () => {
  const pts = new Array(50).fill([2, -3]).flat();
  const init = gaussianMixture({ dim: 2, weights: [0.5, 0.5], means: [0, 0, 1, 1], variances: [1, 1, 2, 2] });
  const fit = fitMixtureEM(pts, 50, { init, minVariance: 1e-4 });
  const m = fit.mixture;
  assert.ok(m.variances.every((v) => v === 1e-4), `variances ${[...m.variances]}`);
  for (let k = 0; k < 2; k++) {
    close(m.means[2 * k], 2, 1e-12, `mean ${k},0`);
    close(m.means[2 * k + 1], -3, 1e-12, `mean ${k},1`);
  }
  assert.ok(fit.logLikelihoods.every(Number.isFinite));

  // a component 100 sd from every point gets no responsibility: it keeps its mean and
  // variance and a weight of about 1e-12, so it stays alive and log q stays finite
  const data = sampleMixture(gaussianMixture({ dim: 1, weights: [1], means: [0], variances: [1] }), 200, 51).points;
  const start = gaussianMixture({ dim: 1, weights: [0.5, 0.5], means: [0.2, 100], variances: [1, 0.5] });
  const res = fitMixtureEM(data, 200, { init: start }).mixture;
  assert.equal(res.means[1], 100);
  assert.equal(res.variances[1], 0.5);
  assert.ok(res.weights[1] > 0 && res.weights[1] < 1e-11, `weight ${res.weights[1]}`);
  close(res.weights[0] + res.weights[1], 1, 1e-15, 'weight sum');
});

test('smoothMixture: rate 1 is the refit, rate 0.5 the midpoint, and the weights still sum to 1', () => {
  const prev = gaussianMixture({ dim: 2, weights: [0.2, 0.8], means: [0, 0, 4, 4], variances: [1, 1, 1, 1] });
  const fresh = gaussianMixture({ dim: 2, weights: [0.6, 0.4], means: [1, -1, 3, 5], variances: [0.5, 2, 3, 0.25] });
  assert.deepEqual(smoothMixture(prev, fresh, 1), fresh);
  const mid = smoothMixture(prev, fresh, 0.5);
  for (const f of ['weights', 'means', 'variances'] as const) {
    mid[f].forEach((v, i) => close(v, (prev[f][i] + fresh[f][i]) / 2, 1e-15, `${f}[${i}]`));
  }
  const small = smoothMixture(prev, fresh, 0.1);
  close(small.weights[0] + small.weights[1], 1, 1e-15, 'weight sum');
  close(small.variances[3], 0.9 + 0.025, 1e-15, 'variance');
  // the inputs are left alone
  assert.deepEqual([...prev.weights], [0.2, 0.8]);
});

test('bad inputs are refused with the function and the argument named', () => {
  const spec = { dim: 2, weights: [0.5, 0.5], means: [0, 0, 1, 1], variances: [1, 1, 1, 1] };
  assert.throws(() => gaussianMixture({ ...spec, weights: [] }), /gaussianMixture: weights must be a non-empty array of mixing weights .*got no components/);
  assert.throws(() => gaussianMixture({ ...spec, weights: [0.5, 0.4] }), /gaussianMixture: weights must be mixing weights summing to 1 \(within 1e-6; normalise them yourself\), got a sum of 0\.9/);
  assert.throws(() => gaussianMixture({ ...spec, weights: [1.5, -0.5] }), /gaussianMixture: weights\[1\] must be a finite number >= 0, got -0\.5/);
  assert.throws(() => gaussianMixture({ ...spec, weights: [NaN, 1] }), /gaussianMixture: weights\[0\] must be a finite number >= 0, got NaN/);
  assert.throws(() => gaussianMixture({ ...spec, variances: [1, 1, 1, -1] }), /gaussianMixture: variances\[3\] must be a finite number > 0, got -1/);
  assert.throws(() => gaussianMixture({ ...spec, variances: [1, Infinity, 1, 1] }), /gaussianMixture: variances\[1\] must be a finite number > 0, got Infinity/);
  assert.throws(() => gaussianMixture({ ...spec, variances: [1, 0, 1, 1] }), /gaussianMixture: variances\[1\] must be a finite number > 0, got 0/);
  assert.throws(() => gaussianMixture({ ...spec, means: [0, 0, 1] }), /gaussianMixture: means must hold K\*dim = 2\*2 = 4 values, got 3/);
  assert.throws(() => gaussianMixture({ ...spec, means: [0, NaN, 1, 1] }), /gaussianMixture: means\[1\] must be a finite number, got NaN/);
  assert.throws(() => gaussianMixture({ ...spec, dim: 0 }), /gaussianMixture: dim must be a positive integer, got 0/);
  assert.throws(() => gaussianMixture({ ...spec, varainces: [1] } as never), /gaussianMixture: unknown option 'varainces'/);

  assert.throws(() => standardNormalMixture(0), /standardNormalMixture: dim must be a positive integer, got 0/);
  assert.throws(() => standardNormalMixture(2, { components: 1.5 }), /standardNormalMixture: opts.components must be a positive integer, got 1.5/);
  assert.throws(() => standardNormalMixture(2, { spread: -1 }), /standardNormalMixture: opts.spread must be a finite number >= 0, got -1/);
  assert.throws(() => standardNormalMixture(2, { variance: 0 }), /standardNormalMixture: opts.variance must be a finite number > 0, got 0/);
  assert.throws(() => standardNormalMixture(2, { sead: 1 } as never), /standardNormalMixture: unknown option 'sead'/);

  const m = gaussianMixture(spec);
  assert.throws(() => mixtureLogDensity(m, [0, 0, 1], 2), /mixtureLogDensity: points must hold n\*dim = 2\*2 = 4 values, got 3/);
  assert.throws(() => mixtureLogDensity(m, [0, NaN], 1), /mixtureLogDensity: points row 0 entry 1 must be a finite number, got NaN/);
  assert.throws(() => mixtureLogDensity(m, [0, 0], -1), /mixtureLogDensity: n must be an integer >= 0/);
  assert.throws(() => mixtureLogDensity({ ...m, variances: new Float64Array([1, 1, 1, 0]) }, [0, 0], 1), /mixtureLogDensity: m.variances\[3\] must be a finite number > 0, got 0/);
  assert.throws(() => mixtureLogDensity({ ...m, weights: new Float64Array([0.7, 0.7]) }, [0, 0], 1), /mixtureLogDensity: m.weights must be mixing weights summing to 1/);

  assert.throws(() => sampleMixture(m, 2.5, 1), /sampleMixture: n must be an integer >= 0, got 2.5/);
  assert.throws(() => sampleMixture(m, 2, NaN), /sampleMixture: random must be an Rng or a finite seed, got NaN/);
  assert.throws(() => sampleMixture(m, 2, {} as never), /sampleMixture: random must be an Rng or a finite seed/);

  const pts = [0, 0, 1, 1, 2, 2];
  assert.throws(() => fitMixtureEM(pts, 3, undefined as never), /fitMixtureEM: opts must be an object with at least \{ init \}/);
  assert.throws(() => fitMixtureEM(pts, 3, {} as never), /fitMixtureEM: opts.init must be a mixture to start from/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: { ...m, variances: new Float64Array([1, -2, 1, 1]) } }), /fitMixtureEM: opts.init.variances\[1\] must be a finite number > 0, got -2/);
  assert.throws(() => fitMixtureEM(pts, 0, { init: m }), /fitMixtureEM: n must be an integer >= 1/);
  assert.throws(() => fitMixtureEM(pts, 2, { init: m }), /fitMixtureEM: points must hold n\*dim = 2\*2 = 4 values, got 6/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: m, sampleWeights: [1, 1] }), /fitMixtureEM: opts.sampleWeights must hold one weight per point \(3\), got 2/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: m, sampleWeights: [1, -1, 1] }), /fitMixtureEM: opts.sampleWeights\[1\] must be a finite number >= 0, got -1/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: m, sampleWeights: [1, NaN, 1] }), /fitMixtureEM: opts.sampleWeights\[1\] must be a finite number >= 0, got NaN/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: m, sampleWeights: [0, 0, 0] }), /fitMixtureEM: opts.sampleWeights must be weights that are not all zero, got 3 zeros/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: m, iterations: 0 }), /fitMixtureEM: opts.iterations must be a positive integer, got 0/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: m, tol: -1 }), /fitMixtureEM: opts.tol must be a finite number >= 0, got -1/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: m, minVariance: 0 }), /fitMixtureEM: opts.minVariance must be a finite number > 0, got 0/);
  assert.throws(() => fitMixtureEM(pts, 3, { init: m, iters: 5 } as never), /fitMixtureEM: unknown option 'iters'/);

  const other = standardNormalMixture(3, { components: 2 });
  assert.throws(() => smoothMixture(m, m, 0), /smoothMixture: rate must be in \(0, 1\], got 0/);
  assert.throws(() => smoothMixture(m, m, 1.5), /smoothMixture: rate must be in \(0, 1\], got 1.5/);
  assert.throws(() => smoothMixture(m, m, NaN), /smoothMixture: rate must be in \(0, 1\], got NaN/);
  assert.throws(() => smoothMixture(m, other, 0.5), /smoothMixture: fresh.dim must be previous.dim = 2, got 3/);
  assert.throws(() => smoothMixture(m, standardNormalMixture(2, { components: 3 }), 0.5), /smoothMixture: fresh must be a mixture with the same number of components as previous \(2\), got 3/);
  assert.throws(() => smoothMixture({ ...m, weights: new Float64Array([]) }, m, 0.5), /smoothMixture: previous.weights must be a non-empty array/);
});
