/**
 * The Dirac-GAN (Mescheder, Geiger, Nowozin 2018): data is a point mass at 0, the generator a
 * point mass at theta, the discriminator D(x) = psi * x. With the non-saturating loss and
 * f(t) = softplus(t):
 *   L_D(theta, psi) = softplus(-D(0)) + softplus(D(theta)) + (gamma / 2) psi^2   (R1: |grad_x D(0)|^2 = psi^2)
 *   L_G(theta, psi) = softplus(-D(theta)) = softplus(-psi * theta)
 * The unique equilibrium is (theta, psi) = (0, 0). Without the penalty the Jacobian there has
 * the eigenvalues +-i/2 (pure rotation) and no learning-rate pair makes plain simultaneous
 * gradient descent converge; with gamma > 0 the discriminator has a stable best response,
 * which is the assumption under which the TTUR theorem holds.
 */
import type { TwoPlayerGame } from './twoPlayerGame';
import { checkNonNegative } from '../../core/args';

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

export interface DiracGameOptions {
  theta0?: number;
  psi0?: number;
  /** R1 weight gamma (>= 0). */
  gamma?: number;
  /** Standard deviation of Gaussian noise added to each gradient (default 0). */
  noise?: number;
}

export function diracGame(opts: DiracGameOptions = {}): TwoPlayerGame {
  const { theta0 = 1, psi0 = 0, gamma = 0.5, noise = 0 } = opts;
  checkNonNegative('diracGame', 'gamma', gamma);
  checkNonNegative('diracGame', 'noise', noise);
  return {
    name: `Dirac-GAN (gamma=${gamma})`,
    init: () => ({ g: [theta0], d: [psi0] }),
    // d/dtheta softplus(-psi theta) = -psi * sigmoid(-psi theta)
    gradG: (g, d, r) => [-d[0] * sigmoid(-d[0] * g[0]) + noise * r.normal()],
    // d/dpsi [softplus(psi theta) + gamma/2 psi^2] = theta * sigmoid(psi theta) + gamma psi
    gradD: (g, d, r) => [g[0] * sigmoid(d[0] * g[0]) + gamma * d[0] + noise * r.normal()],
    error: (g, d) => Math.hypot(g[0], d[0]),
  };
}

/**
 * The linearisation at (0, 0) of one simultaneous gradient step with rates (lrG, lrD):
 *   [theta', psi'] = M [theta, psi],  M = [[1, lrG/2], [-lrD/2, 1 - lrD*gamma]].
 * Returns M and its eigenvalues (re, im). The step converges locally iff both |lambda| < 1;
 * for complex eigenvalues |lambda|^2 = det M = 1 - lrD*gamma + lrG*lrD/4, so the condition is
 * lrG < 4*gamma whatever lrD is, and a larger lrD shrinks |lambda| until the real part goes.
 */
export function diracStepMatrix(lrG: number, lrD: number, gamma: number): {
  matrix: [[number, number], [number, number]];
  eigenvalues: { re: number; im: number }[];
  spectralRadius: number;
} {
  for (const [v, n] of [[lrG, 'lrG'], [lrD, 'lrD'], [gamma, 'gamma']] as [number, string][]) {
    checkNonNegative('diracStepMatrix', n, v);
  }
  const m: [[number, number], [number, number]] = [
    [1, lrG / 2],
    [-lrD / 2, 1 - lrD * gamma],
  ];
  const eigenvalues = eigenvalues2x2(m);
  return { matrix: m, eigenvalues, spectralRadius: Math.max(...eigenvalues.map((e) => Math.hypot(e.re, e.im))) };
}

/** Eigenvalues of a real 2x2 matrix, as complex numbers. */
export function eigenvalues2x2(m: [[number, number], [number, number]]): { re: number; im: number }[] {
  const tr = m[0][0] + m[1][1];
  const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
  const disc = (tr * tr) / 4 - det;
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    return [
      { re: tr / 2 + s, im: 0 },
      { re: tr / 2 - s, im: 0 },
    ];
  }
  const s = Math.sqrt(-disc);
  return [
    { re: tr / 2, im: s },
    { re: tr / 2, im: -s },
  ];
}

/**
 * Jacobian at the equilibrium of the continuous-time gradient field of the Dirac-GAN under
 * a relativistic paired loss with zero-centred penalties (R3GAN): D(x) = psi x, the real point
 * at 0 and the fake at theta, so D(fake) - D(real) = psi theta, which is the same value as the
 * classic loss; R1 penalises |grad_x D|^2 at the real point and R2 at the fake point, both
 * equal psi^2 here. Field v = -(dL_G/dtheta, dL_D/dpsi) linearised:
 *   J = [[0, f'(0)], [-f'(0), -(gammaR1 + gammaR2)]],  f'(0) = 1/2 for softplus.
 */
export function rpganDiracJacobian(gammaR1: number, gammaR2: number): [[number, number], [number, number]] {
  checkNonNegative('rpganDiracJacobian', 'gammaR1', gammaR1);
  checkNonNegative('rpganDiracJacobian', 'gammaR2', gammaR2);
  return [
    [0, 0.5],
    [-0.5, -(gammaR1 + gammaR2)],
  ];
}
