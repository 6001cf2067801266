/**
 * Argument checks shared by the transport solvers, in the order of core/args:
 * `(who, name, value, ...)`. Every message names the function and the argument and says what
 * is wrong with it, so a notebook reader can fix the call without reading code.
 */
import { argumentError, checkFinite } from '../../core/args';

/** Relative tolerance for "the masses balance": sums of floats rarely match exactly. */
export const MASS_TOLERANCE = 1e-9;

/** Non-negative finite masses with a positive total; returns the total. */
export function checkMasses(who: string, name: string, masses: readonly number[]): number {
  if (!Array.isArray(masses) || masses.length === 0) throw argumentError(who, name, 'a non-empty array of masses', masses);
  let total = 0;
  masses.forEach((m, i) => {
    if (typeof m !== 'number' || !Number.isFinite(m) || m < 0) throw argumentError(who, `${name}[${i}]`, 'a finite non-negative mass', m);
    total += m;
  });
  if (!(total > 0)) throw argumentError(who, name, 'masses with a positive total', masses);
  return total;
}

/** Both marginals must carry the same total mass, or no transport plan exists. `names` are their argument names. */
export function checkBalanced(who: string, names: readonly [string, string], a: readonly number[], b: readonly number[]): void {
  const ta = checkMasses(who, names[0], a);
  const tb = checkMasses(who, names[1], b);
  if (Math.abs(ta - tb) > MASS_TOLERANCE * Math.max(1, ta, tb)) {
    throw new Error(`${who}: masses do not balance: ${names[0]} sums to ${ta} but ${names[1]} sums to ${tb} (they must be equal)`);
  }
}

/** One mass per point: `names` are the points' and the masses' argument names. */
export function checkMassPerPoint(who: string, names: readonly [string, string], points: readonly unknown[], masses: readonly number[]): void {
  if (points.length !== masses.length) {
    throw new Error(`${who}: ${names[0]} has ${points.length} points but ${names[1]} has ${masses.length} masses`);
  }
}

/** A rows x cols matrix of finite, non-negative costs (`null`: any number of rows / columns). */
export function checkCostMatrix(who: string, name: string, cost: readonly (readonly number[])[], rows: number | null = null, cols: number | null = null): void {
  if (!Array.isArray(cost) || cost.length === 0) throw argumentError(who, name, 'a non-empty matrix (array of rows)', cost);
  if (rows !== null && cost.length !== rows) throw new Error(`${who}: ${name} must have ${rows} rows, got ${cost.length}`);
  const width = cols ?? cost[0].length;
  cost.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new Error(`${who}: ${name} row ${i} must have ${width} entries, got ${Array.isArray(row) ? row.length : 'no array'}`);
    }
    row.forEach((c, j) => {
      checkFinite(who, `${name}[${i}][${j}]`, c);
      if (c < 0) throw argumentError(who, `${name}[${i}][${j}]`, '>= 0 (a transport cost)', c);
    });
  });
}

export function checkSquare(who: string, name: string, cost: readonly (readonly number[])[]): void {
  if (!Array.isArray(cost) || cost.length === 0) throw argumentError(who, name, 'a non-empty square matrix', cost);
  const n = cost.length;
  cost.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) {
      throw new Error(`${who}: ${name} must be square (${n}x${n}), but row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries`);
    }
  });
}

/** Points as coordinate arrays of one common dimension (`dim`, or the first point's); returns it. */
export function checkPoints(who: string, name: string, points: readonly (readonly number[])[], dim?: number): number {
  if (!Array.isArray(points) || points.length === 0) throw argumentError(who, name, 'a non-empty array of points', points);
  const d = dim ?? points[0].length;
  points.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== d || p.some((c) => !Number.isFinite(c))) {
      throw argumentError(who, `${name}[${i}]`, `a point of ${d} finite coordinates`, p);
    }
  });
  return d;
}
