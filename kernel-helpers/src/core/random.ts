/**
 * Seeded pseudo-random numbers for plain-TypeScript code (toy data, simulations), so that a
 * notebook re-run gives the same numbers. mulberry32: small, fast, good enough for teaching
 * and tests (not for cryptography).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** A new independent stream derived from this one. */
  fork(): Rng;
}

export function rng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`rng: seed must be a finite number, got ${seed}`);
  let a = Math.floor(seed) >>> 0;
  let spare: number | null = null;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const self: Rng = {
    uniform,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(n: number) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`rng.int: n must be a positive integer, got ${n}`);
      return Math.floor(uniform() * n);
    },
    fork() {
      return rng(Math.floor(uniform() * 4294967296));
    },
  };
  return self;
}
