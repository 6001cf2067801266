/**
 * Ground metrics and the cost matrices built from them. W1 uses the metric itself as the
 * cost, c(x, y) = d(x, y); that is what makes the Kantorovich-Rubinstein dual hold.
 */
import { checkPoints } from './checks';

/** A point in R^d as its coordinates. */
export type Coordinates = readonly number[];

export type Metric = (x: Coordinates, y: Coordinates) => number;

export const euclidean: Metric = (x, y) => {
  let s = 0;
  for (let k = 0; k < x.length; k++) {
    const d = x[k] - y[k];
    s += d * d;
  }
  return Math.sqrt(s);
};

/** C[i][j] = d(x_i, y_j). */
export function costMatrix(xs: readonly Coordinates[], ys: readonly Coordinates[], metric: Metric = euclidean): number[][] {
  const d = checkPoints('costMatrix', 'xs', xs);
  checkPoints('costMatrix', 'ys', ys, d);
  return xs.map((x) => ys.map((y) => metric(x, y)));
}
