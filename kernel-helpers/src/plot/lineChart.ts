/**
 * Line charts of one or more series (losses, metrics over training steps).
 */
import { ChartOptions, chartFrame, seriesEntries } from './chartBase';
import { colorScale } from './theme';
import { NumberSeries, toNumbers, r6, XYPoint, toPoints } from './inputs';
import type { VegaLiteSpec } from './types';

export interface LineChartOptions extends ChartOptions {
  /** Shared x values for series given as plain numbers (default 0, 1, 2, ...). */
  x?: NumberSeries;
  /** Logarithmic y axis. */
  logY?: boolean;
  /** Logarithmic x axis (e.g. a sweep over learning-rate ratios). */
  logX?: boolean;
  /** Series drawn dashed: reference lines and markers rather than measurements. */
  dashed?: readonly string[];
  /** Draw at most this many points per series (evenly thinned; default 2000). */
  maxPoints?: number;
  /** Legend title (default: none). */
  legendTitle?: string;
  /** Fixed y domain [low, high]. */
  yDomain?: [number, number];
}

/**
 * Line chart: `series` maps a name to y values (x = index or `opts.x`) or to [x, y] points.
 * Example: `lineChart({ lossD, lossG }, { title: 'Losses', xTitle: 'step' })`.
 */
export function lineChart(series: { [name: string]: NumberSeries | XYPoint[] }, opts: LineChartOptions = {}): VegaLiteSpec {
  const entries = seriesEntries('lineChart', 'series', series);
  const sharedX = opts.x ? toNumbers('lineChart', 'opts.x', opts.x) : undefined;
  const maxPoints = Math.max(2, opts.maxPoints ?? 2000);
  const values: Array<{ series: string; x: number; y: number }> = [];
  for (const [name, s] of entries) {
    const isPoints = Array.isArray(s) && s.length > 0 && typeof s[0] === 'object';
    const pts: Array<[number, number]> = isPoints
      ? toPoints('lineChart', `series.${name}`, s as XYPoint[])
      : toNumbers('lineChart', `series.${name}`, s as NumberSeries).map((y, i) => [sharedX ? sharedX[i] : i, y]);
    const stride = Math.max(1, Math.ceil(pts.length / maxPoints));
    for (let i = 0; i < pts.length; i += stride) {
      const [x, y] = pts[i];
      if (Number.isFinite(x) && Number.isFinite(y) && (!opts.logY || y > 0) && (!opts.logX || x > 0)) values.push({ series: name, x: r6(x), y: r6(y) });
    }
  }
  const names = entries.map(([n]) => n);
  const unknownDashed = (opts.dashed ?? []).filter((d) => !names.includes(d));
  if (unknownDashed.length) throw new Error(`lineChart: opts.dashed must name existing series (${names.join(', ')}), got ${unknownDashed.join(', ')}`);
  const spec = chartFrame(opts);
  spec.data = { values };
  // Sparse series (a metric measured a few times over training) get point markers: a lone
  // measurement would otherwise draw nothing, and a few segments hide where the data are.
  const longest = Math.max(0, ...names.map((n) => values.filter((v) => v.series === n).length));
  spec.mark = { type: 'line', strokeWidth: 1.6, clip: true, ...(longest <= 40 ? { point: { filled: true, size: 30 } } : {}) };
  // Nothing to draw (no finite values yet, or none positive on a log axis): fixed ranges
  // rather than empty scale domains, so the axes still show.
  const none = values.length === 0;
  const emptyDomain = (log: boolean | undefined) => (none ? { domain: log ? [0.1, 10] : [0, 1] } : {});
  const encoding: Record<string, unknown> = {
    x: { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'step', scale: { ...(opts.logX ? { type: 'log' } : { zero: false, nice: false }), ...emptyDomain(opts.logX) } },
    y: {
      field: 'y',
      type: 'quantitative',
      title: opts.yTitle ?? (names.length === 1 ? names[0] : 'value'),
      scale: { ...(opts.logY ? { type: 'log' } : { zero: false }), ...(opts.yDomain ? { domain: opts.yDomain } : emptyDomain(opts.logY)) },
    },
    color: {
      field: 'series',
      type: 'nominal',
      scale: colorScale(names),
      legend: names.length > 1 ? { title: opts.legendTitle ?? null } : null,
    },
  };
  if (opts.dashed?.length) {
    const test = opts.dashed.map((d) => `datum.series === ${JSON.stringify(d)}`).join(' || ');
    encoding.strokeDash = { condition: { test, value: [4, 3] }, value: [1, 0] };
  }
  spec.encoding = encoding;
  return spec;
}
