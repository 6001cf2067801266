/**
 * Vector fields and phase portraits: the gradient field of a two-player game, the
 * simultaneous-gradient dynamics of (theta, psi), with optional trajectories on top.
 */
import { ChartOptions, chartFrame, seriesEntries } from './chartBase';
import { PointSet, checkRange, linspace, r6, toPoints } from './inputs';
import { colorScale } from './theme';
import type { VegaLiteSpec } from './types';

export interface VectorFieldOptions extends ChartOptions {
  xRange: [number, number];
  yRange: [number, number];
  /** Arrows per axis (default 15). */
  n?: number;
  /**
   * Arrow length. 'normalized' (default): every arrow has the same length (direction only,
   * colour shows the magnitude); 'scaled': length proportional to the magnitude, the
   * longest filling one grid cell.
   */
  lengths?: 'normalized' | 'scaled';
  /** Paths drawn on top (e.g. iterates of simultaneous gradient descent), name -> points. */
  trajectories?: { [name: string]: PointSet };
  /** Marked points (e.g. equilibria), drawn as black crosses. */
  markers?: Array<[number, number]>;
}

/**
 * Quiver plot of `field(x, y) = [u, v]`. Each arrow is a rule from its base plus a
 * triangle head rotated along the arrow (the angle is computed in screen pixels, so heads
 * stay aligned when the axes have different scales).
 */
export function vectorFieldChart(field: (x: number, y: number) => [number, number] | number[], opts: VectorFieldOptions): VegaLiteSpec {
  if (typeof field !== 'function') throw new Error(`vectorFieldChart: field must be a function (x, y) => [u, v], got ${typeof field}`);
  if (!opts) throw new Error('vectorFieldChart: opts must be given, with xRange and yRange');
  const [xlo, xhi] = checkRange('vectorFieldChart', 'opts.xRange', opts.xRange);
  const [ylo, yhi] = checkRange('vectorFieldChart', 'opts.yRange', opts.yRange);
  const n = Math.max(2, Math.round(opts.n ?? 15));
  const spec = chartFrame(opts, { width: 340, height: 340 });
  const W = spec.width as number;
  const H = spec.height as number;
  const pad = 0.5 / n;
  const xs = linspace(xlo + (xhi - xlo) * pad, xhi - (xhi - xlo) * pad, n);
  const ys = linspace(ylo + (yhi - ylo) * pad, yhi - (yhi - ylo) * pad, n);
  const raw: Array<{ x: number; y: number; u: number; v: number; m: number }> = [];
  for (const y of ys) for (const x of xs) {
    const r = field(x, y);
    const u = Number(r[0]), v = Number(r[1]);
    if (!Number.isFinite(u) || !Number.isFinite(v)) continue;
    raw.push({ x, y, u, v, m: Math.hypot(u, v) });
  }
  const mMax = Math.max(1e-300, ...raw.map((a) => a.m));
  const arrows = raw.map(({ x, y, u, v, m }) => {
    // length as a fraction of one cell, in the cell's own units per axis
    const frac = opts.lengths === 'scaled' ? (0.85 * m) / mMax : m > 0 ? 0.7 : 0;
    const ux = m > 0 ? u / m : 0, vy = m > 0 ? v / m : 0;
    // Direction in pixels: data units scaled by px per unit on each axis.
    const pxU = ux * (W / (xhi - xlo)), pxV = vy * (H / (yhi - ylo));
    const pn = Math.hypot(pxU, pxV) || 1;
    // Make the arrow a fixed fraction of the cell size in pixels.
    const lenPx = frac * Math.min(W, H) / n;
    const dx = ((pxU / pn) * lenPx) / (W / (xhi - xlo));
    const dy = ((pxV / pn) * lenPx) / (H / (yhi - ylo));
    const angle = (Math.atan2(pxU, pxV) * 180) / Math.PI; // clockwise from "up"
    return { x: r6(x - dx / 2), y: r6(y - dy / 2), x2: r6(x + dx / 2), y2: r6(y + dy / 2), angle: r6(angle), m: r6(m) };
  });
  const xEnc = { type: 'quantitative', title: opts.xTitle ?? 'x', scale: { domain: [xlo, xhi], nice: false, zero: false } };
  const yEnc = { type: 'quantitative', title: opts.yTitle ?? 'y', scale: { domain: [ylo, yhi], nice: false, zero: false } };
  const colour = { field: 'm', type: 'quantitative', title: '|field|', scale: { range: ['#a6c8e0', '#08306b'], domainMin: 0 } };
  const layers: VegaLiteSpec[] = [
    {
      data: { values: arrows },
      mark: { type: 'rule', strokeWidth: 1.3 },
      encoding: { x: { field: 'x', ...xEnc }, y: { field: 'y', ...yEnc }, x2: { field: 'x2' }, y2: { field: 'y2' }, color: colour },
    },
    {
      data: { values: arrows.filter((a) => a.m > 0) },
      mark: { type: 'point', shape: 'triangle-up', filled: true, size: 22 },
      encoding: {
        x: { field: 'x2', ...xEnc },
        y: { field: 'y2', ...yEnc },
        angle: { field: 'angle', type: 'quantitative', scale: { domain: [0, 360], range: [0, 360] } },
        color: { ...colour, legend: null },
      },
    },
  ];
  if (opts.trajectories) {
    const entries = seriesEntries('vectorFieldChart', 'opts.trajectories', opts.trajectories);
    const values: Array<{ path: string; order: number; x: number; y: number }> = [];
    for (const [name, pts] of entries) {
      toPoints('vectorFieldChart', `opts.trajectories.${name}`, pts).forEach(([x, y], order) => {
        if (Number.isFinite(x) && Number.isFinite(y)) values.push({ path: name, order, x: r6(x), y: r6(y) });
      });
    }
    const names = entries.map(([k]) => k);
    layers.push({
      data: { values },
      mark: { type: 'line', strokeWidth: 2, clip: true, point: { size: 10 } },
      encoding: {
        x: { field: 'x', ...xEnc },
        y: { field: 'y', ...yEnc },
        order: { field: 'order', type: 'quantitative' },
        color: { field: 'path', type: 'nominal', scale: colorScale(names), legend: { title: null } },
      },
    });
  }
  if (opts.markers && opts.markers.length > 0) {
    layers.push({
      data: { values: opts.markers.map(([x, y]) => ({ x, y })) },
      // Black with a white outline: visible on light and dark themes alike.
      mark: { type: 'point', shape: 'cross', filled: true, size: 90, color: 'black', stroke: 'white', strokeWidth: 0.8 },
      encoding: { x: { field: 'x', ...xEnc }, y: { field: 'y', ...yEnc } },
    });
  }
  spec.layer = layers;
  spec.resolve = { scale: { color: 'independent' } };
  return spec;
}
