/**
 * The Kantorovich-Rubinstein dual of W1, solved as its own linear program:
 *
 *   W1(mu, nu) = max_{f 1-Lipschitz}  sum_i a_i f(x_i) - sum_j b_j f(y_j).
 *
 * On finitely many points "1-Lipschitz" is the finite set of constraints
 * |f(z_k) - f(z_l)| <= d(z_k, z_l) over all pairs of support points z (both sets together),
 * and any such f extends to a 1-Lipschitz function on the whole space (McShane), so this LP
 * is exactly the dual. f is defined up to a constant; the solver pins f(x_0) = 0.
 */
import { checkBalanced, checkMassPerPoint, checkPoints } from './checks';
import { lpTerm, solveLp } from './lpSolver';
import { Coordinates, Metric, euclidean } from './metric';

export interface KantorovichPotential {
  /** The dual optimum sum_i a_i f(x_i) - sum_j b_j f(y_j). */
  value: number;
  /** f at the source points xs. */
  fX: number[];
  /** f at the target points ys. */
  fY: number[];
}

export async function kantorovichRubinsteinDual(
  xs: readonly Coordinates[],
  a: readonly number[],
  ys: readonly Coordinates[],
  b: readonly number[],
  metric: Metric = euclidean,
): Promise<KantorovichPotential> {
  const who = 'kantorovichRubinsteinDual';
  const dim = checkPoints(who, 'xs', xs);
  checkPoints(who, 'ys', ys, dim);
  checkMassPerPoint(who, ['xs', 'a'], xs, a);
  checkMassPerPoint(who, ['ys', 'b'], ys, b);
  checkBalanced(who, ['a', 'b'], a, b);
  const pts: Coordinates[] = [...xs, ...ys];
  const names = pts.map((_, k) => (k < xs.length ? `fx_${k}` : `fy_${k - xs.length}`));
  const obj: string[] = [];
  a.forEach((m, i) => obj.push(lpTerm(m, names[i], obj.length === 0)));
  b.forEach((m, j) => obj.push(lpTerm(-m, names[xs.length + j], obj.length === 0)));
  const lines = ['Maximize', ` obj: ${obj.join(' ')}`, 'Subject To'];
  let row = 0;
  for (let k = 0; k < pts.length; k++) {
    for (let l = k + 1; l < pts.length; l++) {
      const d = metric(pts[k], pts[l]);
      if (!Number.isFinite(d) || d < 0) throw new Error(`${who}: metric returned ${d} for a pair of points; it must be finite and >= 0`);
      // f_k - f_l <= d and f_l - f_k <= d: the Lipschitz condition on this pair.
      lines.push(` L${row++}: ${names[k]} - ${names[l]} <= ${d.toPrecision(17)}`);
      lines.push(` L${row++}: ${names[l]} - ${names[k]} <= ${d.toPrecision(17)}`);
    }
  }
  lines.push('Bounds', ` ${names[0]} = 0`);
  for (let k = 1; k < pts.length; k++) lines.push(` ${names[k]} free`);
  lines.push('End');
  const sol = await solveLp(lines.join('\n'), who);
  const f = names.map((nm) => sol.columns[nm] ?? 0);
  return { value: sol.objective, fX: f.slice(0, xs.length), fY: f.slice(xs.length) };
}

/**
 * The largest 1-Lipschitz extension of potential values f_k given at points z_k
 * (McShane 1934): F(z) = min_k f_k + d(z, z_k). It agrees with f on the points when f is
 * 1-Lipschitz there, and is 1-Lipschitz everywhere: a picture of the optimal critic.
 */
export function lipschitzExtension(points: readonly Coordinates[], values: readonly number[], metric: Metric = euclidean): (z: Coordinates) => number {
  const who = 'lipschitzExtension';
  checkPoints(who, 'points', points);
  if (values.length !== points.length) throw new Error(`${who}: values must have one entry per point (${points.length}), got ${values.length}`);
  return (z) => {
    let best = Infinity;
    for (let k = 0; k < points.length; k++) best = Math.min(best, values[k] + metric(z, points[k]));
    return best;
  };
}
