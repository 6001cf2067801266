/**
 * Reading the data shapes chart builders accept (arrays, point lists, tensors) into plain
 * arrays, with errors that name the function and the argument: `(who, name, value)` as in core/args.
 */
import { argumentError, checkInteger } from '../core/args';

/** A 2D point: [x, y] or {x, y}. */
export type XYPoint = [number, number] | { x: number; y: number };

/** Anything holding N 2D points: point arrays, or a tensor / {data, shape} of shape [N, 2]. */
export type PointSet = XYPoint[] | { shape: number[]; dataSync(): ArrayLike<number> } | { shape: number[]; data: ArrayLike<number> };

/** Anything holding numbers: an array, a typed array, or a tensor. */
export type NumberSeries = ArrayLike<number> | { dataSync(): ArrayLike<number> };

export function toNumbers(who: string, name: string, x: NumberSeries): number[] {
  const src = typeof (x as { dataSync?: unknown }).dataSync === 'function' ? (x as { dataSync(): ArrayLike<number> }).dataSync() : (x as ArrayLike<number>);
  if (!src || typeof (src as ArrayLike<number>).length !== 'number') throw new Error(`${who}: ${name} must be an array of numbers or a tensor, got ${typeof src}`);
  const out = Array.from(src as ArrayLike<number>);
  const bad = out.findIndex((v) => typeof v !== 'number');
  if (bad >= 0) throw argumentError(who, `${name}[${bad}]`, 'a number', out[bad]);
  return out;
}

export function toPoints(who: string, name: string, x: PointSet): Array<[number, number]> {
  if (Array.isArray(x)) {
    return x.map((p, i) => {
      if (Array.isArray(p) && p.length >= 2) return [Number(p[0]), Number(p[1])];
      if (p && typeof p === 'object' && 'x' in p && 'y' in p) return [Number(p.x), Number(p.y)];
      throw argumentError(who, `${name}[${i}]`, '[x, y] or {x, y}', p);
    });
  }
  const shape = (x as { shape?: unknown }).shape;
  if (Array.isArray(shape)) {
    if (shape.length !== 2 || shape[1] !== 2) throw argumentError(who, name, 'of shape [N, 2]', shape);
    const data = typeof (x as { dataSync?: unknown }).dataSync === 'function' ? (x as { dataSync(): ArrayLike<number> }).dataSync() : (x as { data: ArrayLike<number> }).data;
    const out: Array<[number, number]> = [];
    for (let i = 0; i < shape[0]; i++) out.push([data[2 * i], data[2 * i + 1]]);
    return out;
  }
  throw new Error(`${who}: ${name} must be an array of [x, y] / {x, y} points or a tensor of shape [N, 2], got ${typeof x}`);
}

/** Rounds to 6 significant digits: keeps the JSON embedded in notebooks small. */
export function r6(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}

/** `n` evenly spaced values from lo to hi inclusive. */
export function linspace(lo: number, hi: number, n: number): number[] {
  checkInteger('linspace', 'n', n, 2);
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** A range [low, high] with high > low; returns it as numbers. */
export function checkRange(who: string, name: string, r: unknown): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !(Number(r[1]) > Number(r[0]))) {
    throw argumentError(who, name, '[low, high] with high > low', r);
  }
  return [Number(r[0]), Number(r[1])];
}
