/**
 * Heatmaps with optional contour lines of a function on a grid: discriminator outputs
 * D(x), critic values, loss surfaces seen from above; optionally with data points on top.
 */
import { ChartOptions, chartFrame } from './chartBase';
import { Grid2, GridSampling, checkGrid, contourSegments, evenLevels, sampleGrid } from './grid';
import { PointSet, r6 } from './inputs';
import { pointsLayer } from './scatterChart';
import type { VegaLiteSpec } from './types';

export interface HeatmapChartOptions extends ChartOptions, Partial<GridSampling> {
  /** Colour legend title (default 'value'). */
  valueTitle?: string;
  /** Vega colour scheme (default 'viridis'; 'redblue' etc. for signed values). */
  scheme?: string;
  /** Fixed colour domain [low, high] (e.g. [0, 1] for D(x)). */
  valueDomain?: [number, number];
  /** Contour levels: a list of values, or a count of evenly spaced levels (default none). */
  contours?: number[] | number;
  /** Point sets drawn on top, e.g. { real, generated }. */
  points?: { [name: string]: PointSet };
}

/**
 * Heatmap of `f(x, y)` over `opts.xRange` x `opts.yRange` (or of a precomputed grid), with
 * optional contours and points. Example:
 * `heatmapChart((x, y) => D(x, y), { xRange: [-2, 2], yRange: [-2, 2], contours: [0.5], valueTitle: 'D(x)' })`.
 */
export function heatmapChart(f: ((x: number, y: number) => number) | Grid2, opts: HeatmapChartOptions = {}): VegaLiteSpec {
  let g: Grid2;
  if (typeof f === 'function') {
    if (!opts.xRange || !opts.yRange) throw new Error('heatmapChart(f, opts): give opts.xRange and opts.yRange when f is a function');
    g = sampleGrid(f, { xRange: opts.xRange, yRange: opts.yRange, n: opts.n ?? 50 }, 'heatmapChart');
  } else g = checkGrid('heatmapChart', 'f', f);
  const values: Array<{ x: number; x2: number; y: number; y2: number; v: number }> = [];
  // Cell edges halfway between grid points; the far edge overlaps the next cell a little so
  // anti-aliasing does not leave hairline seams between cells in the PNG.
  const half = (a: number[], i: number): [number, number] => {
    const lo = i === 0 ? a[0] : (a[i - 1] + a[i]) / 2;
    const hi = i === a.length - 1 ? a[i] : (a[i] + a[i + 1]) / 2;
    return [lo, i === a.length - 1 ? hi : hi + 0.2 * (hi - lo)];
  };
  for (let j = 0; j < g.ys.length; j++) {
    const [y, y2] = half(g.ys, j);
    for (let i = 0; i < g.xs.length; i++) {
      const v = g.z[j][i];
      if (!Number.isFinite(v)) continue;
      const [x, x2] = half(g.xs, i);
      values.push({ x: r6(x), x2: r6(x2), y: r6(y), y2: r6(y2), v: r6(v) });
    }
  }
  const xDomain: [number, number] = [g.xs[0], g.xs[g.xs.length - 1]];
  const yDomain: [number, number] = [g.ys[0], g.ys[g.ys.length - 1]];
  const xEnc = { type: 'quantitative', title: opts.xTitle ?? 'x₁', scale: { domain: xDomain, nice: false, zero: false, padding: 0 }, axis: { grid: false } };
  const yEnc = { type: 'quantitative', title: opts.yTitle ?? 'x₂', scale: { domain: yDomain, nice: false, zero: false, padding: 0 }, axis: { grid: false } };
  const layers: VegaLiteSpec[] = [
    {
      data: { values },
      mark: { type: 'rect', clip: true },
      encoding: {
        x: { field: 'x', ...xEnc },
        x2: { field: 'x2' },
        y: { field: 'y', ...yEnc },
        y2: { field: 'y2' },
        color: {
          field: 'v',
          type: 'quantitative',
          title: opts.valueTitle ?? 'value',
          scale: { scheme: opts.scheme ?? 'viridis', ...(opts.valueDomain ? { domain: opts.valueDomain } : {}) },
        },
      },
    },
  ];
  if (opts.contours !== undefined) {
    const levels = typeof opts.contours === 'number' ? evenLevels(g, Math.max(1, Math.round(opts.contours))) : opts.contours;
    const segs = contourSegments(g, levels).map((s) => ({ level: r6(s.level), x1: r6(s.x1), y1: r6(s.y1), x2: r6(s.x2), y2: r6(s.y2) }));
    layers.push({
      data: { values: segs },
      mark: { type: 'rule', color: 'white', strokeWidth: 1.2, opacity: 0.9 },
      encoding: {
        x: { field: 'x1', ...xEnc },
        y: { field: 'y1', ...yEnc },
        x2: { field: 'x2' },
        y2: { field: 'y2' },
      },
    });
  }
  if (opts.points) {
    const p = pointsLayer(opts.points, { xDomain, yDomain, pointSize: 12, opacity: 0.8, xTitle: opts.xTitle, yTitle: opts.yTitle }, 'heatmapChart', 'opts.points');
    (p.mark as { [k: string]: unknown }).stroke = 'white';
    (p.mark as { [k: string]: unknown }).strokeWidth = 0.3;
    layers.push(p);
  }
  const spec = chartFrame(opts, { width: 340, height: 340 });
  spec.layer = layers;
  spec.resolve = { scale: { color: 'independent' } };
  return spec;
}
