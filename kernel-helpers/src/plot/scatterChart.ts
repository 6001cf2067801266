/**
 * Scatter plots of 2D point sets (real vs generated samples).
 */
import { ChartOptions, chartFrame, seriesEntries } from './chartBase';
import { colorScale } from './theme';
import { PointSet, toPoints, r6, checkRange } from './inputs';
import type { VegaLiteSpec } from './types';

export interface ScatterChartOptions extends ChartOptions {
  /** Fixed axis ranges (recommended when comparing frames of a training run). */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Point area in px^2 (default 14). */
  pointSize?: number;
  /** Point opacity (default 0.6). */
  opacity?: number;
  /** Legend title (default: none). */
  legendTitle?: string;
}

/** The layer drawing point sets, reusable on top of heatmaps and vector fields. */
export function pointsLayer(sets: { [name: string]: PointSet }, opts: ScatterChartOptions = {}, who = 'scatterChart', name = 'sets'): VegaLiteSpec {
  const entries = seriesEntries(who, name, sets);
  const x = opts.xDomain ? checkRange(who, 'opts.xDomain', opts.xDomain) : undefined;
  const y = opts.yDomain ? checkRange(who, 'opts.yDomain', opts.yDomain) : undefined;
  // Points beyond a fixed domain are clipped from view anyway; they are left out of the spec
  // because resvg (the PNG renderer) aborts the whole process on some sets of shapes that lie
  // entirely outside the clip region (a diverging generator's samples, e.g.). The margin keeps
  // the markers that straddle the edge.
  const inside = (v: number, d: [number, number] | undefined) => !d || (v >= d[0] - 0.03 * (d[1] - d[0]) && v <= d[1] + 0.03 * (d[1] - d[0]));
  const values: Array<{ set: string; x: number; y: number }> = [];
  for (const [setName, s] of entries) {
    for (const [px, py] of toPoints(who, `${name}.${setName}`, s)) {
      if (Number.isFinite(px) && Number.isFinite(py) && inside(px, x) && inside(py, y)) values.push({ set: setName, x: r6(px), y: r6(py) });
    }
  }
  const names = entries.map(([n]) => n);
  return {
    data: { values },
    mark: { type: 'circle', size: opts.pointSize ?? 14, opacity: opts.opacity ?? 0.6, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'x₁', scale: x ? { domain: x, nice: false } : { zero: false, padding: 8 } },
      y: { field: 'y', type: 'quantitative', title: opts.yTitle ?? 'x₂', scale: y ? { domain: y, nice: false } : { zero: false, padding: 8 } },
      color: { field: 'set', type: 'nominal', scale: colorScale(names), legend: { title: opts.legendTitle ?? null } },
    },
  };
}

/**
 * Scatter of named 2D point sets, e.g. `scatterChart({ real, generated }, { title: 'Step 500' })`;
 * each set is [x, y][] / {x, y}[] or a tensor [N, 2].
 */
export function scatterChart(sets: { [name: string]: PointSet }, opts: ScatterChartOptions = {}): VegaLiteSpec {
  const spec = chartFrame(opts, { width: 340, height: 340 });
  return { ...spec, ...pointsLayer(sets, opts) };
}
