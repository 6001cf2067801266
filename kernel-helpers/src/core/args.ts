/**
 * Argument checks, one argument order everywhere: `(who, name, value, ...)`, and one voice:
 * `who: name must be ..., got value`. `who` names the function or layer ("conv2d D/conv1"),
 * `name` the argument ("kernelSize", "opts.momentum").
 */

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(shown).join(', ')}]`;
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Throws `who: name must be <what>, got <value>`. */
export function argumentError(who: string, name: string, what: string, value: unknown): Error {
  return new Error(`${who}: ${name} must be ${what}, got ${shown(value)}`);
}

export function checkFinite(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw argumentError(who, name, 'a finite number', v);
}

export function checkPositive(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw argumentError(who, name, 'a finite number > 0', v);
}

export function checkNonNegative(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw argumentError(who, name, 'a finite number >= 0', v);
}

export function checkInteger(who: string, name: string, v: number, min = -Infinity, max = Infinity): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = min > -Infinity && max < Infinity ? ` in [${min}, ${max}]` : min > -Infinity ? ` >= ${min}` : max < Infinity ? ` <= ${max}` : '';
    throw argumentError(who, name, `an integer${range}`, v);
  }
}

export function checkPositiveInt(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw argumentError(who, name, 'a positive integer', v);
}

export function checkNonNegativeInt(who: string, name: string, v: number): void {
  checkInteger(who, name, v, 0);
}

/** `lo <= v < hi` by default; `closed: true` allows `v = hi`. */
export function checkInRange(who: string, name: string, v: number, lo: number, hi: number, opts: { closed?: boolean } = {}): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= lo && (opts.closed ? v <= hi : v < hi);
  if (!ok) throw argumentError(who, name, `in [${lo}, ${hi}${opts.closed ? ']' : ')'}`, v);
}

/** A value from a fixed list (name lists are declared once: `const NAMES = [...] as const`). */
export function checkOneOf<T extends string>(who: string, name: string, v: unknown, allowed: readonly T[]): asserts v is T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw argumentError(who, name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, v);
  }
}

/** Rejects option keys a function does not know (a typo must not be silently ignored). */
export function checkKnownOptions(who: string, opts: object | undefined, known: readonly string[]): void {
  if (opts == null) return;
  if (typeof opts !== 'object') throw argumentError(who, 'options', 'an object', opts);
  const unknown = Object.keys(opts).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new Error(`${who}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; known: ${known.join(', ')}`);
  }
}

/** A per-example shape: a non-empty list of positive integers. */
export function checkShape(who: string, name: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw argumentError(who, name, 'a non-empty list of positive integers', shape);
  }
}
