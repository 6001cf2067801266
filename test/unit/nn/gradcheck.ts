/**
 * Finite-difference check of d(value)/d(variables) for scalar functions of a net's
 * variables, in float32: fourth-order central differences along random directions v,
 *   [8 (P(h) - P(-h)) - (P(2h) - P(-2h))] / 12h  vs  <grad P, v>,  P(t) = P(theta + t v),
 * plus per-coordinate checks. For piecewise-linear nets (ReLU family), whose penalty jumps
 * where an activation pattern flips, use `order: 2` with a small h so no kink is crossed. Directional checks see every parameter at once. Truncation
 * error is O(h^4), so h can be large enough that float32 rounding (O(eps_f32 |P| / h))
 * stays small; probes are compared relative to the larger of the two values, with a floor
 * proportional to the largest probe (rounding noise scales with the function, not the probe).
 */
import * as tf from '@tensorflow/tfjs-core';
import { rng } from '../../../kernel-helpers/src/core/random';

export interface GradCheckResult {
  /** Largest |fd - analytic| / max(|fd|, |analytic|, floor) over the probes. */
  worstRelError: number;
  probes: { fd: number; analytic: number }[];
}

export function gradCheck(
  value: () => tf.Scalar,
  vars: tf.Variable[],
  opts: { h?: number; order?: 2 | 4; directions?: number; seed?: number; floor?: number; maxCoordinates?: number } = {},
): GradCheckResult {
  const h = opts.h ?? 1e-2;
  const floor = opts.floor ?? 1e-3;
  const r = rng(opts.seed ?? 1);
  const { value: v0, grads } = tf.variableGrads(value, vars);
  v0.dispose();
  const g = vars.map((v) => Array.from(grads[v.name]?.dataSync() ?? new Float32Array(v.size)));
  tf.dispose(Object.values(grads));
  const theta = vars.map((v) => Array.from(v.dataSync()));
  const evalAt = (dir: number[][], t: number): number => {
    vars.forEach((v, i) => v.assign(tf.tidy(() => tf.tensor(theta[i].map((x, j) => x + t * dir[i][j]), v.shape))));
    const p = tf.tidy(() => value().dataSync()[0]);
    return p;
  };
  const probes: { fd: number; analytic: number }[] = [];
  const dirs: number[][][] = [];
  for (let k = 0; k < (opts.directions ?? 3); k++) {
    // Unit-norm random direction over all parameters.
    const d = theta.map((th) => th.map(() => r.normal()));
    const n = Math.sqrt(d.flat().reduce((s, x) => s + x * x, 0));
    dirs.push(d.map((row) => row.map((x) => x / n)));
  }
  // Coordinate directions: the first entry of every variable (of evenly spread variables
  // when `maxCoordinates` is smaller than their number).
  const m = Math.min(vars.length, opts.maxCoordinates ?? vars.length);
  const chosen = new Set(Array.from({ length: m }, (_, k) => Math.floor((k * vars.length) / m)));
  for (const i of chosen) dirs.push(theta.map((th, j) => th.map((_, q) => (j === i && q === 0 ? 1 : 0))));
  for (const d of dirs) {
    const fd =
      opts.order === 2
        ? (evalAt(d, h) - evalAt(d, -h)) / (2 * h)
        : (8 * (evalAt(d, h) - evalAt(d, -h)) - (evalAt(d, 2 * h) - evalAt(d, -2 * h))) / (12 * h);
    const analytic = g.reduce((s, gi, i) => s + gi.reduce((a, x, j) => a + x * d[i][j], 0), 0);
    probes.push({ fd, analytic });
  }
  vars.forEach((v, i) => v.assign(tf.tidy(() => tf.tensor(theta[i], v.shape))));
  const scale = Math.max(...probes.map((p) => Math.abs(p.analytic)));
  const worstRelError = Math.max(
    ...probes.map((p) => Math.abs(p.fd - p.analytic) / Math.max(Math.abs(p.fd), Math.abs(p.analytic), floor, 1e-3 * scale)),
  );
  return { worstRelError, probes };
}
