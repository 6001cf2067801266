/**
 * Scalar functions sampled on a regular 2D grid, shared by heatmaps, contours and surfaces.
 */
import { checkRange, linspace } from './inputs';
import { checkInteger } from '../core/args';

/** Values z[j][i] = f(xs[i], ys[j]) on a rectangular grid. */
export interface Grid2 {
  xs: number[];
  ys: number[];
  z: number[][];
}

export interface GridSampling {
  xRange: [number, number];
  yRange: [number, number];
  /** Points per axis (default 60). */
  n?: number;
}

/** Samples f on an n x n grid over xRange x yRange. */
export function sampleGrid(f: (x: number, y: number) => number, s: GridSampling, who = 'sampleGrid'): Grid2 {
  if (typeof f !== 'function') throw new Error(`${who}: f must be a function (x, y) => number, got ${typeof f}`);
  const n = Math.round(s.n ?? 60);
  checkInteger(who, 'n', n, 2, 1000);
  const xs = linspace(...checkRange(who, 'xRange', s.xRange), n);
  const ys = linspace(...checkRange(who, 'yRange', s.yRange), n);
  const z = ys.map((y) => xs.map((x) => f(x, y)));
  return { xs, ys, z };
}

/** Checks a Grid2's shape and returns it. */
export function checkGrid(who: string, name: string, g: Grid2): Grid2 {
  if (!g || !Array.isArray(g.xs) || !Array.isArray(g.ys) || !Array.isArray(g.z)) {
    throw new Error(`${who}: ${name} must be a function (x, y) => number or a grid {xs, ys, z} with z[j][i] = value at (xs[i], ys[j]), got ${typeof g}`);
  }
  if (g.z.length !== g.ys.length || g.z.some((row) => !Array.isArray(row) || row.length !== g.xs.length)) {
    throw new Error(`${who}: ${name}.z must have ys.length = ${g.ys.length} rows of xs.length = ${g.xs.length} values`);
  }
  if (g.xs.length < 2 || g.ys.length < 2) throw new Error(`${who}: ${name} must have at least 2 x 2 points, got ${g.xs.length} x ${g.ys.length}`);
  return g;
}

/** A contour line piece from (x1, y1) to (x2, y2) at `level`. */
export interface ContourSegment {
  level: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Contour segments by marching squares: for each grid cell and level, the corners above
 * the level determine which edges the isoline crosses; crossing points are linearly
 * interpolated. Saddle cells (two opposite corners above) are split using the cell-centre
 * average. Segments are not joined into polylines: drawn as rules they look the same.
 */
export function contourSegments(g: Grid2, levels: number[]): ContourSegment[] {
  const out: ContourSegment[] = [];
  const { xs, ys, z } = g;
  for (const level of levels) {
    for (let j = 0; j + 1 < ys.length; j++) {
      for (let i = 0; i + 1 < xs.length; i++) {
        // corners: a=(i,j) b=(i+1,j) c=(i+1,j+1) d=(i,j+1)
        const va = z[j][i], vb = z[j][i + 1], vc = z[j + 1][i + 1], vd = z[j + 1][i];
        if (![va, vb, vc, vd].every(Number.isFinite)) continue;
        const code = (va > level ? 1 : 0) | (vb > level ? 2 : 0) | (vc > level ? 4 : 0) | (vd > level ? 8 : 0);
        if (code === 0 || code === 15) continue;
        const t = (p: number, q: number): number => (p === q ? 0.5 : (level - p) / (q - p));
        const x0 = xs[i], x1 = xs[i + 1], y0 = ys[j], y1 = ys[j + 1];
        // edge crossing points: bottom (a-b), right (b-c), top (d-c), left (a-d)
        const E = {
          bottom: [x0 + (x1 - x0) * t(va, vb), y0],
          right: [x1, y0 + (y1 - y0) * t(vb, vc)],
          top: [x0 + (x1 - x0) * t(vd, vc), y1],
          left: [x0, y0 + (y1 - y0) * t(va, vd)],
        };
        type Edge = keyof typeof E;
        const pairs: Array<[Edge, Edge]> = [];
        const centreAbove = (va + vb + vc + vd) / 4 > level;
        switch (code) {
          case 1: case 14: pairs.push(['left', 'bottom']); break;
          case 2: case 13: pairs.push(['bottom', 'right']); break;
          case 3: case 12: pairs.push(['left', 'right']); break;
          case 4: case 11: pairs.push(['right', 'top']); break;
          case 6: case 9: pairs.push(['bottom', 'top']); break;
          case 7: case 8: pairs.push(['left', 'top']); break;
          case 5: // a and c above
            if (centreAbove) pairs.push(['left', 'top'], ['bottom', 'right']);
            else pairs.push(['left', 'bottom'], ['right', 'top']);
            break;
          case 10: // b and d above
            if (centreAbove) pairs.push(['left', 'bottom'], ['right', 'top']);
            else pairs.push(['left', 'top'], ['bottom', 'right']);
            break;
        }
        for (const [p, q] of pairs) out.push({ level, x1: E[p][0], y1: E[p][1], x2: E[q][0], y2: E[q][1] });
      }
    }
  }
  return out;
}

/** `count` levels evenly spaced strictly inside [min, max] of the grid. */
export function evenLevels(g: Grid2, count: number): number[] {
  let lo = Infinity, hi = -Infinity;
  for (const row of g.z) for (const v of row) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi > lo)) return [];
  return Array.from({ length: count }, (_, k) => lo + ((hi - lo) * (k + 1)) / (count + 1));
}
