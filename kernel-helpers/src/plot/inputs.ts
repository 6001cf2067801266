/**
 * Reading the data shapes chart builders accept (arrays, point lists, tensors) into plain
 * arrays, with errors that name the argument.
 */

/** A 2D point: [x, y] or {x, y}. */
export type XYPoint = [number, number] | { x: number; y: number };

/** Anything holding N 2D points: point arrays, or a tensor / {data, shape} of shape [N, 2]. */
export type PointSet = XYPoint[] | { shape: number[]; dataSync(): ArrayLike<number> } | { shape: number[]; data: ArrayLike<number> };

/** Anything holding numbers: an array, a typed array, or a tensor. */
export type NumberSeries = ArrayLike<number> | { dataSync(): ArrayLike<number> };

export function toNumbers(x: NumberSeries, what: string): number[] {
  const src = typeof (x as { dataSync?: unknown }).dataSync === 'function' ? (x as { dataSync(): ArrayLike<number> }).dataSync() : (x as ArrayLike<number>);
  if (!src || typeof (src as ArrayLike<number>).length !== 'number') throw new Error(`${what} must be an array of numbers or a tensor`);
  const out = Array.from(src as ArrayLike<number>);
  const bad = out.findIndex((v) => typeof v !== 'number');
  if (bad >= 0) throw new Error(`${what}[${bad}] is not a number (${typeof out[bad]})`);
  return out;
}

export function toPoints(x: PointSet, what: string): Array<[number, number]> {
  if (Array.isArray(x)) {
    return x.map((p, i) => {
      if (Array.isArray(p) && p.length >= 2) return [Number(p[0]), Number(p[1])];
      if (p && typeof p === 'object' && 'x' in p && 'y' in p) return [Number(p.x), Number(p.y)];
      throw new Error(`${what}[${i}] must be [x, y] or {x, y}, got ${JSON.stringify(p)}`);
    });
  }
  const shape = (x as { shape?: unknown }).shape;
  if (Array.isArray(shape)) {
    if (shape.length !== 2 || shape[1] !== 2) throw new Error(`${what} must have shape [N, 2], got [${shape.join(', ')}]`);
    const data = typeof (x as { dataSync?: unknown }).dataSync === 'function' ? (x as { dataSync(): ArrayLike<number> }).dataSync() : (x as { data: ArrayLike<number> }).data;
    const out: Array<[number, number]> = [];
    for (let i = 0; i < shape[0]; i++) out.push([data[2 * i], data[2 * i + 1]]);
    return out;
  }
  throw new Error(`${what} must be an array of [x, y] / {x, y} points or a tensor of shape [N, 2]`);
}

/** Rounds to 6 significant digits: keeps the JSON embedded in notebooks small. */
export function r6(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}

/** `n` evenly spaced values from lo to hi inclusive. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (!(n >= 2)) throw new Error(`linspace: n must be >= 2, got ${n}`);
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

export function checkRange(r: unknown, what: string): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !(Number(r[1]) > Number(r[0]))) {
    throw new Error(`${what} must be [low, high] with high > low, got ${JSON.stringify(r)}`);
  }
  return [Number(r[0]), Number(r[1])];
}
