/**
 * Classical fourth-order Runge-Kutta for autonomous systems z' = F(z). Used to draw the
 * continuous-time gradient flow of a game, against which the discrete updates are compared.
 */
import { checkNonNegativeInt, checkPositive } from '../../core/args';

export type VectorField = (z: readonly number[]) => number[];

/** One RK4 step of size dt. */
export function rk4Step(field: VectorField, z: readonly number[], dt: number): number[] {
  const add = (a: readonly number[], b: readonly number[], s: number) => a.map((v, i) => v + s * b[i]);
  const k1 = field(z);
  const k2 = field(add(z, k1, dt / 2));
  const k3 = field(add(z, k2, dt / 2));
  const k4 = field(add(z, k3, dt));
  return z.map((v, i) => v + (dt / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
}

/** Trajectory z(0), z(dt), ..., z(steps dt): steps + 1 points. */
export function integrateRk4(field: VectorField, z0: readonly number[], dt: number, steps: number): number[][] {
  checkPositive('integrateRk4', 'dt', dt);
  checkNonNegativeInt('integrateRk4', 'steps', steps);
  const out: number[][] = [[...z0]];
  let z = [...z0];
  for (let t = 0; t < steps; t++) {
    z = rk4Step(field, z, dt);
    out.push(z);
  }
  return out;
}
