/**
 * The Dirac-GAN of Mescheder, Geiger & Nowozin (2018, "Which training methods for GANs do
 * actually converge?"): data is a point mass at 0, the generator a point mass at theta, the
 * discriminator linear, D_psi(x) = psi x. With their convention
 *   L(theta, psi) = f(psi theta) + f(0),   f(t) = -log(1 + exp(-t))  (standard GAN),
 * the generator descends L in theta and the discriminator ascends it in psi. The unique
 * equilibrium is (0, 0). The Jacobian there is [[0, -f'(0)], [f'(0), -c]] where c is the
 * damping a regulariser adds: c = 0 (GAN, non-saturating, WGAN) gives eigenvalues +-i f'(0)
 * and no convergence; a zero-centred penalty gamma (R1 on data, R2 on generated samples,
 * both gamma/2 psi^2 here because grad_x D = psi everywhere) gives (-gamma +- sqrt(gamma^2 -
 * 4 f'(0)^2)) / 2; instance noise of std sigma gives c = -2 f''(0) sigma^2.
 * z = [theta, psi] throughout.
 */
import { argumentError, checkFinite, checkNonNegative, checkNonNegativeInt, checkOneOf, checkPositive } from '../../core/args';
import { ComplexNumber } from './eigen';
import { integrateRk4, VectorField } from './ode';

export type DiracGanKind = 'gan' | 'nsgan' | 'wgan' | 'wgan-gp' | 'r1' | 'r2' | 'instance-noise';
export const DIRAC_GAN_KINDS: readonly DiracGanKind[] = ['gan', 'nsgan', 'wgan', 'wgan-gp', 'r1', 'r2', 'instance-noise'];

export interface DiracGanOptions {
  /** Penalty weight for 'r1', 'r2', 'wgan-gp' (default 1). */
  gamma?: number;
  /** Instance-noise standard deviation for 'instance-noise' (default 1). */
  sigma?: number;
  /** WGAN weight-clipping bound: psi is kept in [-clip, clip] (default 1). */
  clip?: number;
  /** Target gradient norm of WGAN-GP (default 1). */
  gradTarget?: number;
}

/** f(t) = -log(1 + e^-t) and its derivatives: f'(t) = sigmoid(-t), f''(t) = -sigmoid(t) sigmoid(-t). */
const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));
export const diracF = (t: number) => -Math.log1p(Math.exp(-t));
export const diracFPrime = (t: number) => sigmoid(-t);
export const diracFSecond = (t: number) => -sigmoid(t) * sigmoid(-t);
/** f'(0) = 1/2 for the standard GAN loss; 1 for WGAN (f(t) = t). */
export const DIRAC_F_PRIME_0 = 0.5;

const DIRAC_UPDATES = ['simultaneous', 'alternating', 'flow'] as const;

function resolved(who: string, opts: DiracGanOptions) {
  const { gamma = 1, sigma = 1, clip = 1, gradTarget = 1 } = opts;
  checkNonNegative(who, 'gamma', gamma);
  checkNonNegative(who, 'sigma', sigma);
  checkPositive(who, 'clip', clip);
  checkNonNegative(who, 'gradTarget', gradTarget);
  return { gamma, sigma, clip, gradTarget };
}

/** Standard-normal quadrature nodes/weights (trapezoid on [-8, 8], exact to ~1e-15 for these smooth integrands). */
const NOISE_NODES: { t: number; w: number }[] = (() => {
  const n = 161;
  const h = 16 / (n - 1);
  return Array.from({ length: n }, (_, i) => {
    const t = -8 + i * h;
    return { t, w: (h * Math.exp(-0.5 * t * t)) / Math.sqrt(2 * Math.PI) };
  });
})();

/** The training vector field (theta', psi') of the given variant. */
export function diracGanField(kind: DiracGanKind, opts: DiracGanOptions = {}): VectorField {
  checkOneOf('diracGanField', 'kind', kind, DIRAC_GAN_KINDS);
  const { gamma, sigma, gradTarget } = resolved('diracGanField', opts);
  switch (kind) {
    case 'gan':
      return ([th, ps]) => [-ps * diracFPrime(ps * th), th * diracFPrime(ps * th)];
    case 'nsgan':
      // The generator minimises -f(-psi theta) instead of f(psi theta).
      return ([th, ps]) => [-ps * diracFPrime(-ps * th), th * diracFPrime(ps * th)];
    case 'wgan':
      return ([th, ps]) => [-ps, th];
    case 'wgan-gp':
      // Penalty gamma/2 (|grad_x D| - g0)^2 = gamma/2 (|psi| - g0)^2.
      return ([th, ps]) => [-ps, th - gamma * (Math.abs(ps) - gradTarget) * Math.sign(ps)];
    case 'r1':
    case 'r2':
      return ([th, ps]) => [-ps * diracFPrime(ps * th), th * diracFPrime(ps * th) - gamma * ps];
    case 'instance-noise':
      // L = E f(psi (theta + e1)) + E f(-psi e2), e1, e2 ~ N(0, sigma^2).
      return ([th, ps]) => {
        let dth = 0;
        let dps = 0;
        for (const { t, w } of NOISE_NODES) {
          const e = sigma * t;
          dth -= w * ps * diracFPrime(ps * (th + e));
          dps += w * ((th + e) * diracFPrime(ps * (th + e)) - e * diracFPrime(-ps * e));
        }
        return [dth, dps];
      };
  }
}

/**
 * Closed-form eigenvalues of the field's Jacobian at the equilibrium (0, 0); null for WGAN-GP,
 * whose field is not differentiable at psi = 0 and whose psi-nullcline at theta = 0 is
 * psi = +-gradTarget, so (0, 0) is not an equilibrium.
 */
export function diracGanEquilibriumEigenvalues(kind: DiracGanKind, opts: DiracGanOptions = {}): ComplexNumber[] | null {
  checkOneOf('diracGanEquilibriumEigenvalues', 'kind', kind, DIRAC_GAN_KINDS);
  const { gamma, sigma } = resolved('diracGanEquilibriumEigenvalues', opts);
  if (kind === 'wgan-gp') return null;
  const fp = kind === 'wgan' ? 1 : DIRAC_F_PRIME_0;
  const damping = kind === 'r1' || kind === 'r2' ? gamma : kind === 'instance-noise' ? -2 * diracFSecond(0) * sigma * sigma : 0;
  // lambda^2 + damping lambda + fp^2 = 0
  const disc = damping * damping - 4 * fp * fp;
  if (disc >= 0) {
    const r = Math.sqrt(disc);
    return [
      { re: (-damping - r) / 2, im: 0 },
      { re: (-damping + r) / 2, im: 0 },
    ];
  }
  const i = Math.sqrt(-disc) / 2;
  return [
    { re: -damping / 2 + 0, im: -i },
    { re: -damping / 2 + 0, im: i },
  ];
}

/** The penalty at which a zero-centred penalty critically damps the equilibrium: gamma = 2 |f'(0)|. */
export function criticalGamma(fPrime0 = DIRAC_F_PRIME_0): number {
  return 2 * Math.abs(fPrime0);
}

export type DiracUpdate = 'simultaneous' | 'alternating' | 'flow';

export interface DiracGanRun extends DiracGanOptions {
  kind: DiracGanKind;
  /** Start [theta, psi]. */
  start: [number, number];
  /** Learning rate of the gradient steps, or the time step of the flow. */
  h: number;
  steps: number;
  /** 'simultaneous' (default): both players step on the same field; 'alternating': discriminator first, then the generator against the new discriminator; 'flow': RK4 on the continuous field. */
  update?: DiracUpdate;
}

/** Trajectory [theta, psi] of steps + 1 points. */
export function simulateDiracGan(run: DiracGanRun): [number, number][] {
  const { kind, start, h, steps, update = 'simultaneous' } = run;
  checkOneOf('simulateDiracGan', 'kind', kind, DIRAC_GAN_KINDS);
  checkPositive('simulateDiracGan', 'h', h);
  checkNonNegativeInt('simulateDiracGan', 'steps', steps);
  if (!Array.isArray(start) || start.length !== 2) throw argumentError('simulateDiracGan', 'start', 'a point [theta, psi]', start);
  checkFinite('simulateDiracGan', 'start[0]', start[0]);
  checkFinite('simulateDiracGan', 'start[1]', start[1]);
  checkOneOf('simulateDiracGan', 'update', update, DIRAC_UPDATES);
  const { clip } = resolved('simulateDiracGan', run);
  const field = diracGanField(kind, run);
  const project = (z: number[]): [number, number] => [z[0], kind === 'wgan' ? Math.max(-clip, Math.min(clip, z[1])) : z[1]];
  const out: [number, number][] = [project([...start])];
  let z = out[0];
  if (update === 'flow') {
    for (let t = 0; t < steps; t++) {
      z = project(integrateRk4(field, z, h, 1)[1]);
      out.push(z);
    }
    return out;
  }
  for (let t = 0; t < steps; t++) {
    if (update === 'simultaneous') {
      const v = field(z);
      z = project([z[0] + h * v[0], z[1] + h * v[1]]);
    } else {
      const psi = project([z[0], z[1] + h * field(z)[1]])[1];
      z = [z[0] + h * field([z[0], psi])[0], psi];
    }
    out.push(z);
  }
  return out;
}
