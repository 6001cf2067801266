/**
 * Histograms / densities of 1D samples (real vs generated), with optional exact density
 * curves on top (e.g. the data density and the generator's density in chapter 1).
 */
import { ChartOptions, chartFrame, seriesEntries } from './chartBase';
import { NumberSeries, checkRange, r6, toNumbers } from './inputs';
import { checkInteger } from '../core/args';
import { colorScale } from './theme';
import type { VegaLiteSpec } from './types';

export interface HistogramOptions extends ChartOptions {
  /** Number of bins over the common range (default 40). */
  bins?: number;
  /** Bin range [low, high] (default: min/max over all sets). */
  extent?: [number, number];
  /** 'density' (default; bars integrate to 1, comparable with density curves) or 'count'. */
  normalize?: 'density' | 'count';
  /** Curves drawn as lines on top: name -> { x, y } (e.g. exact densities). */
  curves?: { [name: string]: { x: NumberSeries; y: NumberSeries } };
}

/** Overlaid histograms of named sample sets, e.g. `histogramChart({ real, generated })`. */
export function histogramChart(sets: { [name: string]: NumberSeries } | NumberSeries, opts: HistogramOptions = {}): VegaLiteSpec {
  const named: { [name: string]: NumberSeries } =
    Array.isArray(sets) || ArrayBuffer.isView(sets) || typeof (sets as { dataSync?: unknown }).dataSync === 'function'
      ? { samples: sets as NumberSeries }
      : (sets as { [name: string]: NumberSeries });
  const entries = seriesEntries('histogramChart', 'sets', named).map(
    ([k, v]) => [k, toNumbers('histogramChart', `sets.${k}`, v).filter(Number.isFinite)] as [string, number[]],
  );
  const bins = Math.round(opts.bins ?? 40);
  checkInteger('histogramChart', 'opts.bins', bins, 1, 1000);
  let lo: number, hi: number;
  if (opts.extent) [lo, hi] = checkRange('histogramChart', 'opts.extent', opts.extent);
  else {
    lo = Infinity; hi = -Infinity;
    for (const [, v] of entries) for (const x of v) { if (x < lo) lo = x; if (x > hi) hi = x; }
    if (!Number.isFinite(lo)) throw new Error('histogramChart: sets must hold at least one finite value, got none');
    if (hi === lo) { lo -= 0.5; hi += 0.5; }
  }
  const width = (hi - lo) / bins;
  const density = (opts.normalize ?? 'density') === 'density';
  const values: Array<{ set: string; x: number; x2: number; y: number }> = [];
  for (const [name, v] of entries) {
    const counts = new Array<number>(bins).fill(0);
    for (const x of v) {
      if (x < lo || x > hi) continue;
      counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
    }
    counts.forEach((c, b) => {
      values.push({ set: name, x: r6(lo + b * width), x2: r6(lo + (b + 1) * width), y: r6(density ? c / (v.length * width || 1) : c) });
    });
  }
  const curveEntries = opts.curves ? seriesEntries('histogramChart', 'opts.curves', opts.curves) : [];
  const names = [...entries.map(([n]) => n), ...curveEntries.map(([n]) => n)];
  const color = { type: 'nominal', scale: colorScale(names), legend: { title: null } };
  const xEnc = { type: 'quantitative', title: opts.xTitle ?? 'x', scale: { domain: [lo, hi], nice: false, zero: false } };
  const layers: VegaLiteSpec[] = [
    {
      data: { values },
      mark: { type: 'rect', opacity: entries.length > 1 ? 0.5 : 0.8, stroke: 'white', strokeWidth: 0.3 },
      encoding: {
        x: { field: 'x', ...xEnc },
        x2: { field: 'x2' },
        y: { field: 'y', type: 'quantitative', title: opts.yTitle ?? (density ? 'density' : 'count') },
        y2: { datum: 0 },
        color: { field: 'set', ...color },
      },
    },
  ];
  if (curveEntries.length > 0) {
    const cv: Array<{ set: string; x: number; y: number }> = [];
    for (const [name, c] of curveEntries) {
      const xs = toNumbers('histogramChart', `opts.curves.${name}.x`, c.x);
      const ys = toNumbers('histogramChart', `opts.curves.${name}.y`, c.y);
      if (xs.length !== ys.length) throw new Error(`histogramChart: opts.curves.${name}.y must have as many values as its x (${xs.length}), got ${ys.length}`);
      xs.forEach((x, i) => Number.isFinite(ys[i]) && cv.push({ set: name, x: r6(x), y: r6(ys[i]) }));
    }
    layers.push({
      data: { values: cv },
      mark: { type: 'line', strokeWidth: 2, clip: true },
      encoding: { x: { field: 'x', ...xEnc }, y: { field: 'y', type: 'quantitative' }, color: { field: 'set', ...color } },
    });
  }
  const spec = chartFrame(opts);
  spec.layer = layers;
  return spec;
}
