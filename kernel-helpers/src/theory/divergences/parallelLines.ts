/**
 * Example 1 of Arjovsky, Chintala & Bottou (2017, "Wasserstein GAN"): Z ~ U[0, 1],
 * P_0 is the law of (0, Z) and P_theta the law of (theta, Z): two parallel segments.
 * For theta != 0 the supports are disjoint, so JS = log 2, KL = +Infinity and TV = 1 whatever
 * theta is (no gradient towards theta = 0), while W1 = |theta| shrinks smoothly.
 */
import { checkFinite, checkPositiveInt } from '../../core/args';

export interface ParallelLinesDistances {
  theta: number;
  w1: number;
  js: number;
  kl: number;
  reverseKl: number;
  tv: number;
}

export function parallelLines(theta: number): ParallelLinesDistances {
  checkFinite('parallelLines', 'theta', theta);
  const apart = theta !== 0;
  return {
    theta,
    w1: Math.abs(theta),
    js: apart ? Math.LN2 : 0,
    kl: apart ? Infinity : 0,
    reverseKl: apart ? Infinity : 0,
    tv: apart ? 1 : 0,
  };
}

/**
 * The same distances computed from data rather than closed form: both segments discretised
 * into n points (y_j = (j + 1/2)/n), placed on the union of their supports, then passed to
 * the discrete divergences; W1 from the optimal matching of equally weighted points, which on
 * two parallel segments pairs equal heights (each pair costs |theta|).
 */
export function parallelLinesDiscrete(theta: number, n = 50): { support: [number, number][]; p0: number[]; pTheta: number[] } {
  checkFinite('parallelLinesDiscrete', 'theta', theta);
  checkPositiveInt('parallelLinesDiscrete', 'n', n);
  const ys = Array.from({ length: n }, (_, j) => (j + 0.5) / n);
  if (theta === 0) {
    return { support: ys.map((y) => [0, y] as [number, number]), p0: ys.map(() => 1 / n), pTheta: ys.map(() => 1 / n) };
  }
  const support = [...ys.map((y) => [0, y] as [number, number]), ...ys.map((y) => [theta, y] as [number, number])];
  const p0 = support.map((_, i) => (i < n ? 1 / n : 0));
  const pTheta = support.map((_, i) => (i < n ? 0 : 1 / n));
  return { support, p0, pTheta };
}
