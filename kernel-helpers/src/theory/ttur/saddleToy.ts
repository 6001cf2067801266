/**
 * The saddle toy of the TTUR paper (Heusel et al. 2017):
 *   f(x, y) = (1 + x^2)(100 - y^2),
 * x (the "generator") minimises f and y (the "discriminator") maximises it. For |y| < 10 the
 * point (0, 0) is a local Nash equilibrium: f(., 0) = 100(1 + x^2) has its minimum at x = 0
 * and f(0, .) = 100 - y^2 its maximum at y = 0. The curvatures differ by a factor of 100
 * (d2f/dx2 = 200, d2f/dy2 = -2 at the origin), which is what makes one shared learning rate
 * a bad compromise; beyond |y| = 10 the x-problem turns into a maximisation and x runs away.
 * Gradients carry additive Gaussian noise, the M terms of the stochastic approximation.
 */
import type { TwoPlayerGame } from './twoPlayerGame';
import { checkFinite, checkNonNegative } from '../../core/args';

export function saddleValue(x: number, y: number): number {
  return (1 + x * x) * (100 - y * y);
}

/** Exact gradient [df/dx, df/dy]. */
export function saddleGradient(x: number, y: number): [number, number] {
  return [2 * x * (100 - y * y), -2 * y * (1 + x * x)];
}

export interface SaddleToyOptions {
  x0?: number;
  y0?: number;
  /** Standard deviation of the Gaussian noise added to each gradient (default 1). */
  noise?: number;
}

export function saddleToy(opts: SaddleToyOptions = {}): TwoPlayerGame {
  const { x0 = 1, y0 = 5, noise = 1 } = opts;
  checkNonNegative('saddleToy', 'noise', noise);
  checkFinite('saddleToy', 'x0', x0);
  checkFinite('saddleToy', 'y0', y0);
  return {
    name: 'saddle (1+x^2)(100-y^2)',
    init: () => ({ g: [x0], d: [y0] }),
    gradG: (g, d, r) => [saddleGradient(g[0], d[0])[0] + noise * r.normal()],
    // The discriminator maximises f, i.e. minimises -f.
    gradD: (g, d, r) => [-saddleGradient(g[0], d[0])[1] + noise * r.normal()],
    error: (g, d) => Math.hypot(g[0], d[0]),
  };
}
