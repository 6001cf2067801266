/**
 * Input checks shared by the divergence functions: a probability vector must be finite,
 * non-negative and sum to one; two distributions compared must live on the same support.
 * Every error names the function and the argument so a student sees which input is wrong.
 * Order `(who, name, value, ...)` as in core/args.
 */
import { argumentError, checkFinite } from '../../core/args';

/** Absolute tolerance on "sums to one" for probability vectors. */
export const SUM_TOLERANCE = 1e-6;

export function checkProbabilities(who: string, name: string, p: readonly number[], tol = SUM_TOLERANCE): void {
  if (!Array.isArray(p) || p.length === 0) throw argumentError(who, name, 'a non-empty array of probabilities', p);
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    checkFinite(who, `${name}[${i}]`, v);
    if (v < 0) throw argumentError(who, `${name}[${i}]`, '>= 0 (a probability)', v);
    total += v;
  }
  if (Math.abs(total - 1) > tol) throw new Error(`${who}: ${name} must sum to 1, got a sum of ${total}`);
}

/** `names` are the two arguments' names, e.g. ['p', 'q']. */
export function checkSameSupport(who: string, names: readonly [string, string], p: readonly number[], q: readonly number[]): void {
  if (p.length !== q.length) {
    throw new Error(`${who}: ${names[0]} and ${names[1]} must be on the same support, but ${names[0]} has ${p.length} entries and ${names[1]} has ${q.length}`);
  }
}
