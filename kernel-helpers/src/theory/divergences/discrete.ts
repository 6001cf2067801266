/**
 * Divergences between discrete distributions given as probability vectors over the same
 * support (natural logarithms, so results are in nats).
 *
 * Conventions: 0 log(0/q) = 0; p log(p/0) = +Infinity for p > 0 (KL is infinite when p puts
 * mass where q has none: that is the mathematics, not an input error).
 */
import { checkProbabilities, checkSameSupport } from './validate';

/** Two probability vectors on the same support; `names` are their argument names. */
function checkPair(who: string, names: readonly [string, string], p: readonly number[], q: readonly number[]): void {
  checkProbabilities(who, names[0], p);
  checkProbabilities(who, names[1], q);
  checkSameSupport(who, names, p, q);
}

/** Sum of p log(p/q) without input checks (callers check). */
function klUnchecked(p: readonly number[], q: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    if (q[i] === 0) return Infinity;
    s += p[i] * Math.log(p[i] / q[i]);
  }
  // Rounding can make a zero divergence slightly negative.
  return Math.max(0, s);
}

/** KL(p || q) = sum_i p_i log(p_i / q_i): forward KL, "mode covering" when fitting q. */
export function kl(p: readonly number[], q: readonly number[]): number {
  checkPair('kl', ['p', 'q'], p, q);
  return klUnchecked(p, q);
}

/** Reverse KL, KL(q || p): "mode seeking" when fitting q. */
export function reverseKl(p: readonly number[], q: readonly number[]): number {
  checkPair('reverseKl', ['p', 'q'], p, q);
  return klUnchecked(q, p);
}

/** JS(p || q) = KL(p || m)/2 + KL(q || m)/2 with m = (p + q)/2; symmetric, in [0, log 2]. */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  checkPair('jensenShannon', ['p', 'q'], p, q);
  const m = p.map((v, i) => (v + q[i]) / 2);
  return Math.min(Math.LN2, 0.5 * klUnchecked(p, m) + 0.5 * klUnchecked(q, m));
}

/** Total variation sup_A |p(A) - q(A)| = (1/2) sum_i |p_i - q_i|, in [0, 1]. */
export function totalVariation(p: readonly number[], q: readonly number[]): number {
  checkPair('totalVariation', ['p', 'q'], p, q);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - q[i]);
  return s / 2;
}

/** Shannon entropy -sum_i p_i log p_i, in nats. */
export function shannonEntropy(p: readonly number[]): number {
  checkProbabilities('shannonEntropy', 'p', p);
  let h = 0;
  for (const v of p) if (v > 0) h -= v * Math.log(v);
  return h;
}
