/**
 * Eigenvalues of small real matrices (Jacobians of games, linear update maps) through mathjs
 * `eigs`, returned as plain {re, im} pairs sorted by real part then imaginary part.
 */
import { eigs } from 'mathjs';
import type { VectorField } from './ode';
import { argumentError, checkPositive } from '../../core/args';

export interface ComplexNumber {
  re: number;
  im: number;
}

export function eigenvalues(matrix: readonly (readonly number[])[]): ComplexNumber[] {
  const n = matrix.length;
  if (n === 0 || matrix.some((row) => row.length !== n)) throw argumentError('eigenvalues', 'matrix', 'a non-empty square matrix', matrix);
  if (matrix.some((row) => row.some((v) => !Number.isFinite(v)))) throw argumentError('eigenvalues', 'matrix', 'a matrix of finite entries', matrix);
  const res: any = eigs(matrix.map((r) => [...r]) as any, { eigenvectors: false } as any);
  const values: any[] = Array.isArray(res.values) ? res.values : res.values.toArray();
  return values
    .map((v) => (typeof v === 'number' ? { re: v, im: 0 } : { re: v.re as number, im: v.im as number }))
    .sort((a, b) => a.re - b.re || a.im - b.im);
}

export function modulus(z: ComplexNumber): number {
  return Math.hypot(z.re, z.im);
}

/** Largest |lambda|: below 1 a linear update map contracts, above 1 it expands. */
export function spectralRadius(matrix: readonly (readonly number[])[]): number {
  return Math.max(...eigenvalues(matrix).map(modulus));
}

/** Jacobian dF_i/dz_j by central differences with step h. */
export function numericalJacobian(field: VectorField, z: readonly number[], h = 1e-5): number[][] {
  checkPositive('numericalJacobian', 'h', h);
  const n = z.length;
  const J = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const zp = [...z];
    const zm = [...z];
    zp[j] += h;
    zm[j] -= h;
    const fp = field(zp);
    const fm = field(zm);
    for (let i = 0; i < n; i++) J[i][j] = (fp[i] - fm[i]) / (2 * h);
  }
  return J;
}
