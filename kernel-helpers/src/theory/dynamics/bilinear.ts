/**
 * The bilinear game min_x max_y f(x, y) = x y, the smallest example of why GAN training is hard.
 * Its unique equilibrium is (0, 0). The continuous gradient flow (x' = -y, y' = x) circles it
 * for ever; simultaneous gradient descent-ascent spirals out (each step multiplies the radius
 * by sqrt(1 + eta^2)); alternating updates stay on a bounded orbit; extragradient and
 * optimistic gradient descent converge. Each behaviour is read off the eigenvalues of the
 * linear map one step applies.
 */
import { argumentError, checkFinite, checkNonNegativeInt, checkOneOf, checkPositive } from '../../core/args';
import { integrateRk4 } from './ode';

export type BilinearMethod = 'simultaneous' | 'alternating' | 'extragradient' | 'optimistic';
export const BILINEAR_METHODS: readonly BilinearMethod[] = ['simultaneous', 'alternating', 'extragradient', 'optimistic'];

/** A point (x, y) of the game. */
export type GamePoint = [number, number];

/** The descent-ascent field (-df/dx, +df/dy) = (-y, x); its Jacobian [[0, -1], [1, 0]] has eigenvalues +-i. */
export function bilinearField(z: readonly number[]): number[] {
  return [-z[1], z[0]];
}

export const BILINEAR_JACOBIAN: number[][] = [
  [0, -1],
  [1, 0],
];

/**
 * The matrix M with z_{t+1} = M z_t (2x2), or for optimistic GD, which remembers the previous
 * iterate, (z_{t+1}, z_t) = M (z_t, z_{t-1}) (4x4).
 */
export function bilinearUpdateMatrix(method: BilinearMethod, eta: number): number[][] {
  checkOneOf('bilinearUpdateMatrix', 'method', method, BILINEAR_METHODS);
  checkPositive('bilinearUpdateMatrix', 'eta', eta);
  switch (method) {
    case 'simultaneous':
      return [
        [1, -eta],
        [eta, 1],
      ];
    case 'alternating':
      return [
        [1, -eta],
        [eta, 1 - eta * eta],
      ];
    case 'extragradient':
      return [
        [1 - eta * eta, -eta],
        [eta, 1 - eta * eta],
      ];
    case 'optimistic':
      // z_{t+1} = z_t + 2 eta A z_t - eta A z_{t-1}, A = [[0, -1], [1, 0]].
      return [
        [1, -2 * eta, 0, eta],
        [2 * eta, 1, -eta, 0],
        [1, 0, 0, 0],
        [0, 1, 0, 0],
      ];
  }
}

export interface BilinearRun {
  method: BilinearMethod;
  eta: number;
  steps: number;
  start: GamePoint;
}

/** Iterates the update rule itself (not the matrix): steps + 1 points starting at `start`. */
export function simulateBilinear(run: BilinearRun): GamePoint[] {
  const { method, eta, steps, start } = run;
  checkOneOf('simulateBilinear', 'method', method, BILINEAR_METHODS);
  checkPositive('simulateBilinear', 'eta', eta);
  checkNonNegativeInt('simulateBilinear', 'steps', steps);
  if (!Array.isArray(start) || start.length !== 2) throw argumentError('simulateBilinear', 'start', 'a point [x, y]', start);
  checkFinite('simulateBilinear', 'start[0]', start[0]);
  checkFinite('simulateBilinear', 'start[1]', start[1]);
  let [x, y] = start;
  let prevGx = y; // gradient of f in x at the previous iterate (optimistic GD); starts as the current one
  let prevGy = x;
  const out: GamePoint[] = [[x, y]];
  for (let t = 0; t < steps; t++) {
    if (method === 'simultaneous') {
      [x, y] = [x - eta * y, y + eta * x];
    } else if (method === 'alternating') {
      x = x - eta * y;
      y = y + eta * x;
    } else if (method === 'extragradient') {
      const xh = x - eta * y; // look-ahead step
      const yh = y + eta * x;
      [x, y] = [x - eta * yh, y + eta * xh];
    } else {
      const gx = y; // df/dx
      const gy = x; // df/dy
      [x, y] = [x - eta * (2 * gx - prevGx), y + eta * (2 * gy - prevGy)];
      prevGx = gx;
      prevGy = gy;
    }
    out.push([x, y]);
  }
  return out;
}

/** The continuous flow from `start` by RK4: steps + 1 points spaced dt apart in time. */
export function bilinearFlow(start: GamePoint, dt: number, steps: number): GamePoint[] {
  checkFinite('bilinearFlow', 'start[0]', start[0]);
  checkFinite('bilinearFlow', 'start[1]', start[1]);
  return integrateRk4(bilinearField, start, dt, steps).map((z) => [z[0], z[1]] as GamePoint);
}

export function radius(p: readonly number[]): number {
  return Math.hypot(p[0], p[1]);
}
