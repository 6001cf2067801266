import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optimalTransportLp, earthMoversDistance, kantorovichRubinsteinDual, wasserstein1d, solveAssignment, wassersteinSamples, wassersteinSamples1d, costMatrix, euclidean, lipschitzExtension } from '../../../kernel-helpers/src/theory';
import { rng } from '../../../kernel-helpers/src/core/random';

const close = (x: number, y: number, tol: number, what: string) => assert.ok(Math.abs(x - y) <= tol, `${what}: ${x} vs ${y} (tol ${tol})`);

function randomMeasure(r: ReturnType<typeof rng>, n: number, dim: number): { pts: number[][]; w: number[] } {
  const pts = Array.from({ length: n }, () => Array.from({ length: dim }, () => 4 * r.uniform() - 2));
  const raw = Array.from({ length: n }, () => 0.1 + r.uniform());
  const s = raw.reduce((p, q) => p + q, 0);
  return { pts, w: raw.map((x) => x / s) };
}

test('a hand-solved transport: moving one unit of mass by distance 3 costs 3', async () => {
  const r = await earthMoversDistance([[0, 0]], [1], [[3, 0]], [1]);
  close(r.cost, 3, 1e-12, 'cost');
  assert.deepEqual(r.plan, [[1]]);
});

test('a two-point example with a known plan: mass is moved to its nearest free target', async () => {
  // a = (1/2, 1/2) at 0 and 1; b = (1/2, 1/2) at 1 and 2: shift by 1 costs 1... or
  // keep the mass at 1 in place and move 0 -> 2, also 1: W1 = 1 either way (non-unique plan).
  const r = await earthMoversDistance([[0], [1]], [0.5, 0.5], [[1], [2]], [0.5, 0.5]);
  close(r.cost, 1, 1e-10, 'cost');
  // Marginals of whichever plan the solver returns.
  close(r.plan[0][0] + r.plan[0][1], 0.5, 1e-10, 'row 0');
  close(r.plan[0][1] + r.plan[1][1], 0.5, 1e-10, 'col 1');
});

test('primal LP and Kantorovich-Rubinstein dual agree to solver precision on random 2D measures', async () => {
  const r = rng(7);
  for (let trial = 0; trial < 5; trial++) {
    const P = randomMeasure(r, 4 + trial, 2);
    const Q = randomMeasure(r, 6 - (trial % 3), 2);
    const primal = await earthMoversDistance(P.pts, P.w, Q.pts, Q.w);
    const dual = await kantorovichRubinsteinDual(P.pts, P.w, Q.pts, Q.w);
    close(primal.cost, dual.value, 1e-8, `trial ${trial} primal vs dual`);
    // The potential is 1-Lipschitz on the support points...
    const all = [...P.pts, ...Q.pts];
    const f = [...dual.fX, ...dual.fY];
    for (let k = 0; k < all.length; k++) for (let l = 0; l < all.length; l++) assert.ok(f[k] - f[l] <= euclidean(all[k], all[l]) + 1e-8);
    // ...and complementary slackness: wherever the plan moves mass, f(x) - f(y) = d(x, y).
    for (let i = 0; i < P.pts.length; i++)
      for (let j = 0; j < Q.pts.length; j++)
        if (primal.plan[i][j] > 1e-7) close(dual.fX[i] - dual.fY[j], euclidean(P.pts[i], Q.pts[j]), 1e-7, `slackness ${i},${j}`);
    // The plan's marginals are the given masses.
    P.w.forEach((m, i) => close(primal.plan[i].reduce((s, x) => s + x, 0), m, 1e-9, `row ${i}`));
    Q.w.forEach((m, j) => close(primal.plan.reduce((s, row) => s + row[j], 0), m, 1e-9, `col ${j}`));
  }
});

test('in 1D the closed form integral |F - G| equals the primal LP and the dual LP', async () => {
  const r = rng(11);
  for (let trial = 0; trial < 4; trial++) {
    const P = randomMeasure(r, 5, 1);
    const Q = randomMeasure(r, 7, 1);
    const closed = wasserstein1d(P.pts.map((p) => p[0]), P.w, Q.pts.map((p) => p[0]), Q.w);
    const primal = await earthMoversDistance(P.pts, P.w, Q.pts, Q.w);
    const dual = await kantorovichRubinsteinDual(P.pts, P.w, Q.pts, Q.w);
    close(closed, primal.cost, 1e-9, 'closed vs primal');
    close(closed, dual.value, 1e-9, 'closed vs dual');
  }
});

test('wasserstein1d of a point mass shifted by t is |t|; of two uniform samples, the sorted matching', () => {
  close(wasserstein1d([0.3], [1], [-1.2], [1]), 1.5, 1e-15, 'shift');
  const xs = [0, 1, 5];
  const ys = [2, -1, 3];
  const w = [1 / 3, 1 / 3, 1 / 3];
  close(wasserstein1d(xs, w, ys, w), wassersteinSamples1d(xs, ys), 1e-12, 'sorted matching');
});

test('Hungarian assignment equals brute force over all permutations', () => {
  const r = rng(3);
  function* perms(n: number): Generator<number[]> {
    if (n === 1) return yield [0];
    for (const p of perms(n - 1)) for (let k = 0; k < n; k++) yield [...p.slice(0, k), n - 1, ...p.slice(k)];
  }
  for (let n = 1; n <= 6; n++) {
    const C = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(10 * r.uniform()) / 2));
    let best = Infinity;
    for (const p of perms(n)) best = Math.min(best, p.reduce((s, j, i) => s + C[i][j], 0));
    const h = solveAssignment(C);
    close(h.cost, best, 1e-12, `n=${n}`);
    assert.deepEqual([...h.assignment].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
});

test('exact W1 between sample sets by matching equals the transport LP with uniform weights', async () => {
  const r = rng(5);
  const n = 12;
  const xs = Array.from({ length: n }, () => [r.normal(), r.normal()]);
  const ys = Array.from({ length: n }, () => [2 + r.normal(), r.normal()]);
  const w = new Array(n).fill(1 / n);
  const byMatching = wassersteinSamples(xs, ys);
  const lp = await optimalTransportLp(costMatrix(xs, ys), w, w);
  close(byMatching.distance, lp.cost, 1e-9, 'matching vs LP');
  // and W1 to itself is 0
  close(wassersteinSamples(xs, xs).distance, 0, 1e-15, 'self');
});

test('bad input: errors name the argument', async () => {
  await assert.rejects(optimalTransportLp([[0, 1]], [1], [0.5, 0.4]), /do not balance.*a sums to 1.*b sums to 0\.9/);
  await assert.rejects(optimalTransportLp([[0, -1]], [1], [0.5, 0.5]), /optimalTransportLp: cost\[0\]\[1\] must be >= 0 \(a transport cost\), got -1/);
  await assert.rejects(optimalTransportLp([[0, 1], [1]], [0.5, 0.5], [0.5, 0.5]), /cost row 1 must have 2 entries, got 1/);
  await assert.rejects(optimalTransportLp([[0, 1]], [-1], [0.5, 0.5]), /a\[0\] must be a finite non-negative mass/);
  await assert.rejects(kantorovichRubinsteinDual([[0]], [1], [[1]], [2]), /do not balance/);
  assert.throws(() => solveAssignment([[0, 1, 2], [1, 0, 2]]), /cost must be square/);
  assert.throws(() => solveAssignment([[0, 1], [-2, 0]]), /solveAssignment: cost\[1\]\[0\] must be >= 0 \(a transport cost\), got -2/);
  assert.throws(() => wassersteinSamples([[0, 0]], [[1, 1], [2, 2]]), /equal size/);
  assert.throws(() => wasserstein1d([0], [1], [1, 2], [0.5, 0.6]), /do not balance/);
});

test('the McShane extension of the dual potential matches it on the points and is 1-Lipschitz', async () => {
  const xs = [[0, 0], [1, 2], [-1, 1]];
  const ys = [[2, 0], [0, -2]];
  const a = [0.5, 0.25, 0.25];
  const b = [0.5, 0.5];
  const dual = await kantorovichRubinsteinDual(xs, a, ys, b);
  const F = lipschitzExtension([...xs, ...ys], [...dual.fX, ...dual.fY]);
  [...xs, ...ys].forEach((p, k) => close(F(p), [...dual.fX, ...dual.fY][k], 1e-8, `F at point ${k}`));
  const r = rng(4);
  for (let t = 0; t < 200; t++) {
    const p = [3 * r.normal(), 3 * r.normal()];
    const q = [3 * r.normal(), 3 * r.normal()];
    assert.ok(Math.abs(F(p) - F(q)) <= euclidean(p, q) + 1e-9);
  }
  assert.throws(() => lipschitzExtension(xs, [1, 2]), /lipschitzExtension: values must have one entry per point \(3\), got 2/);
});
