/**
 * Argument checks shared by the transport solvers. Every message names the argument and
 * says what is wrong with it, so a notebook reader can fix the call without reading code.
 */

/** Relative tolerance for "the masses balance": sums of floats rarely match exactly. */
export const MASS_TOLERANCE = 1e-9;

export function checkMasses(masses: readonly number[], name: string, who: string): number {
  if (!Array.isArray(masses) || masses.length === 0) throw new Error(`${who}: ${name} must be a non-empty array of masses`);
  let total = 0;
  masses.forEach((m, i) => {
    if (!Number.isFinite(m) || m < 0) throw new Error(`${who}: ${name}[${i}] must be a finite non-negative mass, got ${m}`);
    total += m;
  });
  if (!(total > 0)) throw new Error(`${who}: ${name} must have positive total mass, got ${total}`);
  return total;
}

/** Both marginals must carry the same total mass, or no transport plan exists. */
export function checkBalanced(a: readonly number[], b: readonly number[], who: string, names: [string, string] = ['a', 'b']): void {
  const ta = checkMasses(a, names[0], who);
  const tb = checkMasses(b, names[1], who);
  if (Math.abs(ta - tb) > MASS_TOLERANCE * Math.max(1, ta, tb)) {
    throw new Error(`${who}: masses do not balance: ${names[0]} sums to ${ta} but ${names[1]} sums to ${tb} (they must be equal)`);
  }
}

/** A rows x cols matrix of finite, non-negative costs. */
export function checkCostMatrix(cost: readonly (readonly number[])[], rows: number | null, cols: number | null, who: string, name = 'cost'): void {
  if (!Array.isArray(cost) || cost.length === 0) throw new Error(`${who}: ${name} must be a non-empty matrix (array of rows)`);
  if (rows !== null && cost.length !== rows) throw new Error(`${who}: ${name} has ${cost.length} rows, expected ${rows}`);
  const width = cols ?? cost[0].length;
  cost.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new Error(`${who}: ${name} row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${width}`);
    }
    row.forEach((c, j) => {
      if (!Number.isFinite(c)) throw new Error(`${who}: ${name}[${i}][${j}] must be finite, got ${c}`);
      if (c < 0) throw new Error(`${who}: ${name}[${i}][${j}] is negative (${c}); transport costs must be >= 0`);
    });
  });
}

export function checkSquare(cost: readonly (readonly number[])[], who: string, name = 'cost'): void {
  if (!Array.isArray(cost) || cost.length === 0) throw new Error(`${who}: ${name} must be a non-empty square matrix`);
  const n = cost.length;
  cost.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) {
      throw new Error(`${who}: ${name} must be square (${n}x${n}), but row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries`);
    }
  });
}

/** Points as coordinate arrays of one common dimension. */
export function checkPoints(points: readonly (readonly number[])[], name: string, who: string, dim?: number): number {
  if (!Array.isArray(points) || points.length === 0) throw new Error(`${who}: ${name} must be a non-empty array of points`);
  const d = dim ?? points[0].length;
  points.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== d || p.some((c) => !Number.isFinite(c))) {
      throw new Error(`${who}: ${name}[${i}] must be a point of ${d} finite coordinates, got ${JSON.stringify(p)}`);
    }
  });
  return d;
}
