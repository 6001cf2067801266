/**
 * A 2D GAN small enough for closed-form gradients and minibatch noise: data N(mu*, s*^2 I)
 * in the plane, a generator x = mu + s (.) z with z ~ N(0, I) (parameters g = [mu1, mu2, s1, s2]),
 * a discriminator with linear and quadratic features
 *   D(x) = w . x + (1/2) sum_k a_k x_k^2 + b     (parameters d = [w1, w2, a1, a2, b]),
 * the non-saturating loss and R1 on real data:
 *   L_D = E softplus(-D(x_r)) + E softplus(D(x_f)) + (gamma/2) E |w + a (.) x_r|^2
 *   L_G = E softplus(-D(x_f)).
 * Every gradient is a minibatch estimate, so this is a genuinely stochastic two-player game.
 * The equilibrium is mu = mu*, |s| = s*, w = a = 0; the error is the 2-Wasserstein distance
 * between N(mu, diag s^2) and N(mu*, s*^2 I).
 */
import type { Rng } from '../../core/random';
import type { TwoPlayerGame } from './twoPlayerGame';
import { checkNonNegative, checkPositive, checkPositiveInt } from '../../core/args';

export interface GaussianGame2dOptions {
  target?: { mean: [number, number]; std: number };
  /** Minibatch size of both players' gradient estimates (default 32). */
  batch?: number;
  /** R1 weight (default 1). */
  gamma?: number;
  /** Initial generator mean and std (default [0, 0] and 1). */
  init?: { mean: [number, number]; std: number };
}

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

function disc(d: number[], x0: number, x1: number): number {
  return d[0] * x0 + d[1] * x1 + 0.5 * (d[2] * x0 * x0 + d[3] * x1 * x1) + d[4];
}

export function gaussianGame2d(opts: GaussianGame2dOptions = {}): TwoPlayerGame {
  const { target = { mean: [1.5, -1], std: 0.5 }, batch = 32, gamma = 1, init = { mean: [0, 0], std: 1 } } = opts;
  checkPositiveInt('gaussianGame2d', 'batch', batch);
  checkNonNegative('gaussianGame2d', 'gamma', gamma);
  checkPositive('gaussianGame2d', 'target.std', target.std);
  const [m0, m1] = target.mean;
  const s = target.std;
  return {
    name: 'Gaussian 2D game',
    init: () => ({ g: [init.mean[0], init.mean[1], init.std, init.std], d: [0, 0, 0, 0, 0] }),
    gradD(g: number[], d: number[], r: Rng): number[] {
      const out = [0, 0, 0, 0, 0];
      for (let i = 0; i < batch; i++) {
        // real sample: d softplus(-D)/dD = -sigmoid(-D)
        const r0 = m0 + s * r.normal();
        const r1 = m1 + s * r.normal();
        const cr = -sigmoid(-disc(d, r0, r1));
        // fake sample: d softplus(D)/dD = sigmoid(D)
        const f0 = g[0] + g[2] * r.normal();
        const f1 = g[1] + g[3] * r.normal();
        const cf = sigmoid(disc(d, f0, f1));
        // R1: grad_x D(x_r) = w + a (.) x_r
        const q0 = d[0] + d[2] * r0;
        const q1 = d[1] + d[3] * r1;
        out[0] += cr * r0 + cf * f0 + gamma * q0;
        out[1] += cr * r1 + cf * f1 + gamma * q1;
        out[2] += 0.5 * (cr * r0 * r0 + cf * f0 * f0) + gamma * q0 * r0;
        out[3] += 0.5 * (cr * r1 * r1 + cf * f1 * f1) + gamma * q1 * r1;
        out[4] += cr + cf;
      }
      return out.map((v) => v / batch);
    },
    gradG(g: number[], d: number[], r: Rng): number[] {
      const out = [0, 0, 0, 0];
      for (let i = 0; i < batch; i++) {
        const z0 = r.normal();
        const z1 = r.normal();
        const f0 = g[0] + g[2] * z0;
        const f1 = g[1] + g[3] * z1;
        // d softplus(-D(x))/dx = -sigmoid(-D) * (w + a (.) x)
        const c = -sigmoid(-disc(d, f0, f1));
        const gx0 = c * (d[0] + d[2] * f0);
        const gx1 = c * (d[1] + d[3] * f1);
        out[0] += gx0;
        out[1] += gx1;
        out[2] += gx0 * z0;
        out[3] += gx1 * z1;
      }
      return out.map((v) => v / batch);
    },
    error: (g) => Math.sqrt((g[0] - m0) ** 2 + (g[1] - m1) ** 2 + (Math.abs(g[2]) - s) ** 2 + (Math.abs(g[3]) - s) ** 2),
  };
}

/** The expected losses the gradients above estimate, by Monte Carlo with a fixed stream (for gradient checks). */
export function gaussianGame2dLosses(
  g: number[],
  d: number[],
  zs: { real: [number, number]; fakeZ: [number, number] }[],
  opts: GaussianGame2dOptions = {},
): { lossD: number; lossG: number } {
  const { target = { mean: [1.5, -1], std: 0.5 }, gamma = 1 } = opts;
  const sp = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
  let lossD = 0;
  let lossG = 0;
  for (const { real, fakeZ } of zs) {
    const r0 = target.mean[0] + target.std * real[0];
    const r1 = target.mean[1] + target.std * real[1];
    const f0 = g[0] + g[2] * fakeZ[0];
    const f1 = g[1] + g[3] * fakeZ[1];
    const q0 = d[0] + d[2] * r0;
    const q1 = d[1] + d[3] * r1;
    lossD += sp(-disc(d, r0, r1)) + sp(disc(d, f0, f1)) + (gamma / 2) * (q0 * q0 + q1 * q1);
    lossG += sp(-disc(d, f0, f1));
  }
  return { lossD: lossD / zs.length, lossG: lossG / zs.length };
}
