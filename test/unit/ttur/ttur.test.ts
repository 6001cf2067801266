import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayAdam as adam, arraySgd as sgd, saddleToy, saddleGradient, saddleValue, simulateTwoTimescale, stepsToConverge, diracGame, diracStepMatrix, eigenvalues2x2, rpganDiracJacobian, gaussianGame2d, gaussianGame2dLosses, ratioSweep, summariseSweep, logSpacedRatios } from '../../../kernel-helpers/src/theory';
import type { Rng } from '../../../kernel-helpers/src/core/random';

test('negative or non-finite learning rates are rejected with the argument named', () => {
  assert.throws(() => sgd(-0.1), /lr must be a finite number >= 0/);
  assert.throws(() => adam(-1e-4), /lr must be a finite number >= 0/);
  assert.throws(() => simulateTwoTimescale(saddleToy(), { lrG: -1, lrD: 0.1, steps: 1 }), /lrG must be/);
  assert.throws(() => simulateTwoTimescale(saddleToy(), { lrG: 0.1, lrD: -0.1, steps: 1 }), /lrD must be/);
  assert.throws(() => ratioSweep({ game: () => saddleToy(), ratios: [1], lrG: { sgd: -1 }, steps: 1, tol: 1 }), /lrG.sgd/);
  assert.throws(() => diracGame({ gamma: -1 }), /gamma must be/);
  assert.throws(() => gaussianGame2d({ gamma: -0.5 }), /gamma must be/);
  assert.throws(() => adam(1e-3, { beta1: 1 }), /beta1/);
});

test('adam on a quadratic converges and its first step has size lr', () => {
  const p = [3];
  const o = adam(0.1, { beta1: 0.9, beta2: 0.999 });
  o.step(p, [2 * p[0]]);
  assert.ok(Math.abs(p[0] - 2.9) < 1e-6, `first Adam step moves by lr, got ${p[0]}`);
  for (let i = 0; i < 2000; i++) o.step(p, [2 * p[0]]);
  assert.ok(Math.abs(p[0]) < 0.05, `converged to ${p[0]}`);
});

test('saddle toy gradient matches finite differences and (0,0) is a local Nash point', () => {
  for (const [x, y] of [[0.3, -2], [1.5, 4], [-0.7, 0.2]]) {
    const h = 1e-5;
    const [gx, gy] = saddleGradient(x, y);
    assert.ok(Math.abs(gx - (saddleValue(x + h, y) - saddleValue(x - h, y)) / (2 * h)) < 1e-4);
    assert.ok(Math.abs(gy - (saddleValue(x, y + h) - saddleValue(x, y - h)) / (2 * h)) < 1e-4);
  }
  assert.ok(saddleValue(0.1, 0) > saddleValue(0, 0) && saddleValue(0, 0.1) < saddleValue(0, 0));
});

test('noise-free simultaneous descent-ascent reaches the saddle; the run records its steps', () => {
  const run = simulateTwoTimescale(saddleToy({ noise: 0 }), { lrG: 0.004, lrD: 0.04, steps: 400 });
  assert.equal(run.step.length, 401);
  assert.ok(run.error[400] < 1e-3, `error ${run.error[400]}`);
  assert.ok(Number.isFinite(stepsToConverge(run, 0.01)));
  // A generator rate above the stability bound 2/200 of the x-curvature diverges.
  const bad = simulateTwoTimescale(saddleToy({ noise: 0 }), { lrG: 0.02, lrD: 0.02, steps: 400 });
  assert.equal(bad.diverged, true);
  assert.equal(stepsToConverge(bad, 0.01), Infinity);
});

test('Dirac step matrix: eigenvalues from the closed form, convergence iff lrG < 4 gamma', () => {
  const ev = eigenvalues2x2([[0, 1], [-1, 0]]);
  assert.deepEqual(ev.map((e) => [e.re, Math.abs(e.im)]), [[0, 1], [0, 1]]);
  const ok = diracStepMatrix(0.2, 0.4, 0.1); // lrG = 0.2 < 0.4
  const bad = diracStepMatrix(0.5, 0.4, 0.1); // lrG = 0.5 > 0.4
  assert.ok(ok.spectralRadius < 1 && bad.spectralRadius > 1);
  // |lambda|^2 = det for a complex pair
  const det = 1 - 0.4 * 0.1 + (0.2 * 0.4) / 4;
  assert.ok(Math.abs(ok.spectralRadius ** 2 - det) < 1e-12);
  // The simulated game agrees with the linearisation.
  const conv = simulateTwoTimescale(diracGame({ gamma: 0.1, theta0: 0.05 }), { lrG: 0.2, lrD: 0.4, steps: 3000 });
  const div = simulateTwoTimescale(diracGame({ gamma: 0.1, theta0: 0.05 }), { lrG: 0.5, lrD: 0.4, steps: 3000 });
  assert.ok(conv.error[conv.error.length - 1] < 1e-3);
  assert.ok(div.error[div.error.length - 1] > 0.05);
});

test('RpGAN Dirac Jacobian: no penalty rotates, R1 + R2 damps twice as hard as R1', () => {
  const none = eigenvalues2x2(rpganDiracJacobian(0, 0));
  assert.ok(none.every((e) => e.re === 0 && Math.abs(Math.abs(e.im) - 0.5) < 1e-12));
  const r1 = eigenvalues2x2(rpganDiracJacobian(0.2, 0));
  const r12 = eigenvalues2x2(rpganDiracJacobian(0.2, 0.2));
  assert.ok(Math.abs(r1[0].re + 0.1) < 1e-12 && Math.abs(r12[0].re + 0.2) < 1e-12);
});

function replay(values: number[]): Rng {
  let i = 0;
  const self: Rng = {
    uniform: () => 0.5,
    normal: () => values[i++ % values.length],
    int: () => 0,
    fork: () => self,
  };
  return self;
}

test('Gaussian 2D game gradients match finite differences of its losses', () => {
  const opts = { gamma: 0.7, batch: 3 };
  const game = gaussianGame2d(opts);
  const g = [0.3, -0.2, 0.8, 1.2];
  const d = [0.4, -0.3, 0.2, -0.1, 0.05];
  const normals = [0.1, -1.2, 0.7, 0.3, -0.4, 1.1, 0.9, -0.8, 0.2, -0.5, 1.3, 0.6];
  // gradD draws, per sample: real (2 normals), then fake z (2 normals)
  const zsD = [0, 1, 2].map((k) => ({ real: [normals[4 * k], normals[4 * k + 1]] as [number, number], fakeZ: [normals[4 * k + 2], normals[4 * k + 3]] as [number, number] }));
  const gd = game.gradD(g, d, replay(normals));
  const h = 1e-6;
  for (let j = 0; j < d.length; j++) {
    const dp = d.slice(); dp[j] += h;
    const dm = d.slice(); dm[j] -= h;
    const fd = (gaussianGame2dLosses(g, dp, zsD, opts).lossD - gaussianGame2dLosses(g, dm, zsD, opts).lossD) / (2 * h);
    assert.ok(Math.abs(fd - gd[j]) < 1e-6, `dL_D/dd[${j}]: ${gd[j]} vs ${fd}`);
  }
  // gradG draws, per sample: fake z (2 normals)
  const zsG = [0, 1, 2].map((k) => ({ real: [0, 0] as [number, number], fakeZ: [normals[2 * k], normals[2 * k + 1]] as [number, number] }));
  const gg = game.gradG(g, d, replay(normals));
  for (let j = 0; j < g.length; j++) {
    const gp = g.slice(); gp[j] += h;
    const gm = g.slice(); gm[j] -= h;
    const fd = (gaussianGame2dLosses(gp, d, zsG, opts).lossG - gaussianGame2dLosses(gm, d, zsG, opts).lossG) / (2 * h);
    assert.ok(Math.abs(fd - gg[j]) < 1e-6, `dL_G/dg[${j}]: ${gg[j]} vs ${fd}`);
  }
});

test('ratio sweep on the Gaussian game: a faster discriminator converges sooner than a slower one', () => {
  const rows = ratioSweep({ game: () => gaussianGame2d(), ratios: [0.5, 4], lrG: { sgd: 0.05 }, steps: 1500, tol: 0.15, seeds: [0, 1] });
  assert.equal(rows.length, 4);
  const s = summariseSweep(rows);
  const slow = s.find((r) => r.ratio === 0.5)!;
  const fast = s.find((r) => r.ratio === 4)!;
  assert.ok(fast.medianSteps < slow.medianSteps, `ratio 4: ${fast.medianSteps} steps, ratio 0.5: ${slow.medianSteps}`);
  assert.equal(fast.convergedShare, 1);
  assert.deepEqual(logSpacedRatios(0.25, 16, 4), [0.25, 1, 4, 16]);
});
