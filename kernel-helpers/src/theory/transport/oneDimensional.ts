/**
 * W1 on the real line has a closed form: the area between the two cumulative distribution
 * functions, W1 = integral |F(t) - G(t)| dt. For discrete measures F - G is piecewise
 * constant between consecutive support points, so the integral is a finite sum.
 */
import { checkBalanced, checkMassPerPoint } from './checks';
import { checkFinite } from '../../core/args';

export function wasserstein1d(xs: readonly number[], a: readonly number[], ys: readonly number[], b: readonly number[]): number {
  const who = 'wasserstein1d';
  checkMassPerPoint(who, ['xs', 'a'], xs, a);
  checkMassPerPoint(who, ['ys', 'b'], ys, b);
  checkBalanced(who, ['a', 'b'], a, b);
  [xs, ys].forEach((v, s) =>
    v.forEach((t, i) => {
      checkFinite(who, `${s === 0 ? 'xs' : 'ys'}[${i}]`, t);
    }),
  );
  // Signed mass events along the line: +a at x_i, -b at y_j; F - G is their running sum.
  const events: [number, number][] = [...xs.map((t, i): [number, number] => [t, a[i]]), ...ys.map((t, j): [number, number] => [t, -b[j]])];
  events.sort((p, q) => p[0] - q[0]);
  let diff = 0;
  let area = 0;
  for (let k = 0; k < events.length; k++) {
    diff += events[k][1];
    if (k + 1 < events.length) area += Math.abs(diff) * (events[k + 1][0] - events[k][0]);
  }
  return area;
}

/** The empirical CDF difference F(t) - G(t) at the given points, for plotting the area. */
export function cdfDifference(xs: readonly number[], a: readonly number[], ys: readonly number[], b: readonly number[], at: readonly number[]): number[] {
  return at.map((t) => {
    let f = 0;
    xs.forEach((x, i) => {
      if (x <= t) f += a[i];
    });
    ys.forEach((y, j) => {
      if (y <= t) f -= b[j];
    });
    return f;
  });
}
