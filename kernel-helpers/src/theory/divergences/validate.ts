/**
 * Input checks shared by the divergence functions: a probability vector must be finite,
 * non-negative and sum to one; two distributions compared must live on the same support.
 * Every error names the function and the argument so a student sees which input is wrong.
 */

/** Absolute tolerance on "sums to one" for probability vectors. */
export const SUM_TOLERANCE = 1e-6;

export function checkProbabilities(who: string, name: string, p: readonly number[], tol = SUM_TOLERANCE): void {
  if (!Array.isArray(p) || p.length === 0) throw new Error(`${who}: ${name} must be a non-empty array of probabilities`);
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${who}: ${name}[${i}] must be a finite number, got ${v}`);
    if (v < 0) throw new Error(`${who}: ${name}[${i}] is negative (${v}); probabilities must be >= 0`);
    total += v;
  }
  if (Math.abs(total - 1) > tol) throw new Error(`${who}: ${name} must sum to 1, but sums to ${total}`);
}

export function checkSameSupport(who: string, p: readonly number[], q: readonly number[], names: [string, string] = ['p', 'q']): void {
  if (p.length !== q.length) {
    throw new Error(`${who}: ${names[0]} and ${names[1]} must be on the same support, but ${names[0]} has ${p.length} entries and ${names[1]} has ${q.length}`);
  }
}

export function checkPositiveFinite(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new Error(`${who}: ${name} must be a finite number > 0, got ${v}`);
}

export function checkNonNegativeFinite(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v >= 0)) throw new Error(`${who}: ${name} must be a finite number >= 0, got ${v}`);
}
