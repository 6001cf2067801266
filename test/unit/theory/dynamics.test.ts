import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateBilinear, bilinearFlow, bilinearUpdateMatrix, BILINEAR_JACOBIAN, radius, eigenvalues, modulus, spectralRadius, numericalJacobian, integrateRk4 } from '../../../kernel-helpers/src/theory';

test('simultaneous GDA: radius grows by exactly sqrt(1 + eta^2) per step', () => {
  for (const eta of [0.05, 0.2, 1]) {
    const traj = simulateBilinear({ method: 'simultaneous', eta, steps: 50, start: [1, 0.5] });
    for (let t = 1; t < traj.length; t++) {
      const ratio = radius(traj[t]) / radius(traj[t - 1]);
      assert.ok(Math.abs(ratio - Math.sqrt(1 + eta * eta)) < 1e-12, `eta ${eta} step ${t}: ${ratio}`);
    }
  }
});

test('continuous flow stays on the circle (RK4), with period 2 pi', () => {
  const n = 1000;
  const traj = bilinearFlow([1, 0], (2 * Math.PI) / n, n);
  for (const p of traj) assert.ok(Math.abs(radius(p) - 1) < 1e-9);
  assert.ok(Math.hypot(traj[n][0] - 1, traj[n][1]) < 1e-9);
});

test('alternating stays bounded, extragradient and optimistic converge', () => {
  const eta = 0.1;
  const alt = simulateBilinear({ method: 'alternating', eta, steps: 5000, start: [1, 0] });
  const rs = alt.map(radius);
  assert.ok(Math.max(...rs) < 1.1 && Math.min(...rs) > 0.9, `alternating radius range ${Math.min(...rs)}..${Math.max(...rs)}`);
  const eg = simulateBilinear({ method: 'extragradient', eta, steps: 2000, start: [1, 0] });
  assert.ok(radius(eg[2000]) < 1e-3, `extragradient ${radius(eg[2000])}`);
  const og = simulateBilinear({ method: 'optimistic', eta, steps: 2000, start: [1, 0] });
  assert.ok(radius(og[2000]) < 1e-3, `optimistic ${radius(og[2000])}`);
});

test('the update matrices reproduce the simulated iterates, and their eigenvalues explain the behaviour', () => {
  const eta = 0.3;
  for (const method of ['simultaneous', 'alternating', 'extragradient'] as const) {
    const M = bilinearUpdateMatrix(method, eta);
    const [, z1] = simulateBilinear({ method, eta, steps: 1, start: [0.7, -0.2] });
    const m = [M[0][0] * 0.7 + M[0][1] * -0.2, M[1][0] * 0.7 + M[1][1] * -0.2];
    assert.ok(Math.abs(m[0] - z1[0]) < 1e-15 && Math.abs(m[1] - z1[1]) < 1e-15, method);
  }
  // Optimistic: (z1, z0) = M (z0, z0) for the first step.
  const M = bilinearUpdateMatrix('optimistic', eta);
  const og = simulateBilinear({ method: 'optimistic', eta, steps: 3, start: [0.7, -0.2] });
  let s = [0.7, -0.2, 0.7, -0.2];
  for (let t = 1; t <= 3; t++) {
    s = M.map((row) => row.reduce((acc, v, j) => acc + v * s[j], 0));
    assert.ok(Math.abs(s[0] - og[t][0]) < 1e-14 && Math.abs(s[1] - og[t][1]) < 1e-14, `optimistic step ${t}`);
  }
  assert.ok(Math.abs(spectralRadius(bilinearUpdateMatrix('simultaneous', eta)) - Math.sqrt(1 + eta * eta)) < 1e-12);
  assert.ok(Math.abs(spectralRadius(bilinearUpdateMatrix('alternating', eta)) - 1) < 1e-12);
  assert.ok(Math.abs(spectralRadius(bilinearUpdateMatrix('extragradient', eta)) - Math.sqrt(1 - eta * eta + eta ** 4)) < 1e-12);
  assert.ok(spectralRadius(bilinearUpdateMatrix('optimistic', eta)) < 1);
  const ev = eigenvalues(BILINEAR_JACOBIAN);
  assert.deepEqual(ev.map((z) => [Math.abs(z.re) < 1e-12, Math.round(z.im)]), [[true, -1], [true, 1]]);
});

test('numerical Jacobian and eigenvalues of a known matrix', () => {
  const J = numericalJacobian(([x, y]) => [2 * x + y * y, Math.sin(x) * 3 - y], [0, 1]);
  assert.ok(Math.abs(J[0][0] - 2) < 1e-8 && Math.abs(J[0][1] - 2) < 1e-8 && Math.abs(J[1][0] - 3) < 1e-8 && Math.abs(J[1][1] + 1) < 1e-8);
  const ev = eigenvalues([[2, 0], [0, -3]]);
  assert.deepEqual(ev.map((z) => z.re), [-3, 2]);
  assert.equal(modulus({ re: 3, im: 4 }), 5);
  assert.throws(() => eigenvalues([[1, 2]]), /square/);
});

test('bad step sizes and methods give clear errors', () => {
  assert.throws(() => simulateBilinear({ method: 'simultaneous', eta: 0, steps: 1, start: [1, 0] }), /simulateBilinear: eta must be a finite number > 0, got 0/);
  assert.throws(() => simulateBilinear({ method: 'simultaneous', eta: -0.1, steps: 1, start: [1, 0] }), /eta must be/);
  assert.throws(() => simulateBilinear({ method: 'adam' as any, eta: 0.1, steps: 1, start: [1, 0] }), /method must be one of/);
  assert.throws(() => simulateBilinear({ method: 'alternating', eta: 0.1, steps: 1.5, start: [1, 0] }), /steps must be an integer >= 0, got 1.5/);
  assert.throws(() => integrateRk4((z) => z, [1], Infinity, 3), /integrateRk4: dt must be a finite number > 0, got Infinity/);
});
