import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diracGanField, diracGanEquilibriumEigenvalues, simulateDiracGan, criticalGamma, numericalJacobian, eigenvalues, DIRAC_GAN_KINDS, diracF, diracFPrime, diracFSecond } from '../../../kernel-helpers/src/theory';

const close = (a: number, b: number, tol: number, msg = '') => assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);

test('f, f\', f\'\' are consistent (finite differences)', () => {
  for (const t of [-3, 0, 1.5]) {
    const h = 1e-5;
    close((diracF(t + h) - diracF(t - h)) / (2 * h), diracFPrime(t), 1e-8);
    close((diracFPrime(t + h) - diracFPrime(t - h)) / (2 * h), diracFSecond(t), 1e-8);
  }
});

test('the GAN field is the descent-ascent gradient of L = f(psi theta) + f(0)', () => {
  const L = (th: number, ps: number) => diracF(ps * th) + diracF(0);
  const v = diracGanField('gan');
  const h = 1e-6;
  for (const [th, ps] of [[0.5, -1], [1.2, 0.7]]) {
    const [dth, dps] = v([th, ps]);
    close(dth, -(L(th + h, ps) - L(th - h, ps)) / (2 * h), 1e-8);
    close(dps, (L(th, ps + h) - L(th, ps - h)) / (2 * h), 1e-8);
  }
});

test('Jacobian eigenvalues at (0,0): numerical (mathjs eigs) = closed form for every kind with an equilibrium', () => {
  const configs = [{}, { gamma: 0.3 }, { gamma: 1 }, { gamma: 2.5 }, { sigma: 0.5 }, { sigma: 2.5 }];
  for (const kind of DIRAC_GAN_KINDS) {
    if (kind === 'wgan-gp') continue;
    for (const opts of configs) {
      const field = diracGanField(kind, opts);
      const num = eigenvalues(numericalJacobian(field, [0, 0], 1e-4));
      const closed = diracGanEquilibriumEigenvalues(kind, opts)!;
      for (let i = 0; i < 2; i++) {
        // Tolerance 1e-3: a defective (critically damped) pair splits like sqrt of the FD error.
        close(num[i].re, closed[i].re, 1e-3, `${kind} ${JSON.stringify(opts)} re`);
        close(num[i].im, closed[i].im, 1e-3, `${kind} ${JSON.stringify(opts)} im`);
      }
    }
  }
  assert.equal(diracGanEquilibriumEigenvalues('wgan-gp'), null);
});

test('unregularised: eigenvalues +-i f\'(0); zero-centred penalty: (-gamma +- sqrt(gamma^2 - 4 f\'(0)^2))/2', () => {
  const ev = diracGanEquilibriumEigenvalues('gan')!;
  assert.deepEqual(ev, [{ re: 0, im: -0.5 }, { re: 0, im: 0.5 }]);
  assert.equal(criticalGamma(), 1);
  const crit = diracGanEquilibriumEigenvalues('r1', { gamma: 1 })!;
  assert.deepEqual(crit.map((z) => [z.re, z.im]), [[-0.5, 0], [-0.5, 0]]);
  const over = diracGanEquilibriumEigenvalues('r2', { gamma: 3 })!;
  close(over[0].re, (-3 - Math.sqrt(8)) / 2, 1e-15);
  close(over[1].re, (-3 + Math.sqrt(8)) / 2, 1e-15);
});

test('simulation matches the eigenvalues: flow decays like exp(Re(lambda) t); unregularised flow keeps its radius', () => {
  // R1, gamma = 0.5 (under-damped): distance decays at rate gamma/2 = 0.25 (envelope).
  const T = 40;
  const dt = 0.01;
  const r1 = simulateDiracGan({ kind: 'r1', gamma: 0.5, start: [0.01, 0], h: dt, steps: T / dt, update: 'flow' });
  const d = (z: number[]) => Math.hypot(z[0], z[1]);
  // Near the equilibrium the linearisation rules: log distance ratio over T ~ -0.25 T (up to the oscillation's phase factor).
  const rate = Math.log(d(r1[r1.length - 1]) / d(r1[0])) / T;
  close(rate, -0.25, 0.03, 'R1 decay rate');
  // Critical damping, gamma = 1: both eigenvalues -0.5 -> no oscillation: theta never changes sign.
  const crit = simulateDiracGan({ kind: 'r1', gamma: 1, start: [0.01, 0], h: dt, steps: 3000, update: 'flow' });
  assert.ok(crit.every((z) => z[0] >= 0), 'critically damped trajectory overshoots');
  const under = simulateDiracGan({ kind: 'r1', gamma: 0.5, start: [0.01, 0], h: dt, steps: 3000, update: 'flow' });
  assert.ok(under.some((z) => z[0] < -1e-4), 'under-damped trajectory should overshoot');
  // Unregularised GAN flow: L is conserved? No, but theta^2 + psi^2 is (d/dt (th^2+ps^2) = 0).
  const gan = simulateDiracGan({ kind: 'gan', start: [1, 0], h: dt, steps: 2000, update: 'flow' });
  for (const z of gan) close(d(z), 1, 1e-8);
});

test('discrete updates: simultaneous GAN diverges, R1 converges, WGAN with clipping does not converge', () => {
  const d = (z: number[]) => Math.hypot(z[0], z[1]);
  const gan = simulateDiracGan({ kind: 'gan', start: [1, 0], h: 0.1, steps: 2000 });
  assert.ok(d(gan[2000]) > d(gan[0]), 'simultaneous GAN should move away');
  const r1 = simulateDiracGan({ kind: 'r1', gamma: 1, start: [1, 0], h: 0.1, steps: 2000 });
  assert.ok(d(r1[2000]) < 1e-6, `R1 ${d(r1[2000])}`);
  const r2alt = simulateDiracGan({ kind: 'r2', gamma: 0.3, start: [1, 0], h: 0.1, steps: 3000, update: 'alternating' });
  assert.ok(d(r2alt[3000]) < 1e-3, `R2 alternating ${d(r2alt[3000])}`);
  const noise = simulateDiracGan({ kind: 'instance-noise', sigma: 1, start: [1, 0], h: 0.1, steps: 3000 });
  assert.ok(d(noise[3000]) < 1e-2, `instance noise ${d(noise[3000])}`);
  const wgan = simulateDiracGan({ kind: 'wgan', clip: 1, start: [1, 0], h: 0.1, steps: 2000, update: 'alternating' });
  assert.ok(wgan.every((z) => Math.abs(z[1]) <= 1));
  assert.ok(d(wgan[2000]) > 0.5, 'WGAN should keep oscillating');
  const gp = simulateDiracGan({ kind: 'wgan-gp', gamma: 1, start: [1, 0], h: 0.05, steps: 4000, update: 'alternating' });
  assert.ok(Math.max(...gp.slice(3000).map((z) => Math.abs(z[0]))) > 0.05, 'WGAN-GP does not settle at theta = 0');
});

test('bad parameters give clear errors', () => {
  assert.throws(() => diracGanField('r1', { gamma: -1 }), /gamma must be a finite number >= 0, got -1/);
  assert.throws(() => diracGanField('instance-noise', { sigma: NaN }), /sigma must be/);
  assert.throws(() => simulateDiracGan({ kind: 'gan', start: [1, 0], h: 0, steps: 10 }), /simulateDiracGan: h must be a finite number > 0, got 0/);
  assert.throws(() => simulateDiracGan({ kind: 'wgan', clip: 0, start: [1, 0], h: 0.1, steps: 10 }), /clip must be/);
  assert.throws(() => diracGanField('lsgan' as any), /kind must be one of/);
});
