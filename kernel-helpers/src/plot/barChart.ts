/**
 * Bar charts of labelled values (metrics per method, mode coverage per run), optionally grouped.
 */
import { ChartOptions, chartFrame } from './chartBase';
import { colorScale, PALETTE } from './theme';
import { r6 } from './inputs';
import { argumentError, checkNonNegative } from '../core/args';
import type { VegaLiteSpec } from './types';

export interface BarRow {
  label: string;
  value: number;
  /** Bars with the same label and different groups stand side by side. */
  group?: string;
  /** Drawn as an error bar from value - error to value + error (e.g. one standard deviation over seeds). */
  error?: number;
}

export interface BarChartOptions extends ChartOptions {
  /** Horizontal bars (good for long labels). */
  horizontal?: boolean;
  /** Keep the given order of labels instead of sorting alphabetically (default true). */
  keepOrder?: boolean;
}

/** Bars from `{ label: value }` or rows `{ label, value, group? }`. */
export function barChart(values: { [label: string]: number } | BarRow[], opts: BarChartOptions = {}): VegaLiteSpec {
  const rows: BarRow[] = Array.isArray(values)
    ? values
    : values && typeof values === 'object'
      ? Object.entries(values).map(([label, value]) => ({ label, value }))
      : [];
  if (rows.length === 0) throw argumentError('barChart', 'values', '{ label: number } or a non-empty array of { label, value, group? }', values);
  rows.forEach((r, i) => {
    if (!r || typeof r.label !== 'string' || typeof r.value !== 'number') throw argumentError('barChart', `values[${i}]`, '{ label: string, value: number }', r);
    if (r.error !== undefined) checkNonNegative('barChart', `values[${i}].error`, r.error);
  });
  const labels = [...new Set(rows.map((r) => r.label))];
  const groups = [...new Set(rows.map((r) => r.group).filter((g): g is string => g !== undefined))];
  const cat = { field: 'label', type: 'nominal', title: opts.xTitle ?? null, sort: opts.keepOrder === false ? 'ascending' : labels, axis: { labelAngle: opts.horizontal ? 0 : labels.some((l) => l.length > 8) ? -30 : 0 } };
  // All zeros (nothing learnt yet) would give a degenerate axis: show 0 to 1 instead.
  const allZero = rows.every((r) => r.value === 0 && !r.error);
  const val = { field: 'value', type: 'quantitative', title: opts.yTitle ?? 'value', ...(allZero ? { scale: { domain: [0, 1] } } : {}) };
  const spec = chartFrame(opts, opts.horizontal ? { height: Math.max(120, 24 * labels.length * Math.max(1, groups.length)) } : {});
  spec.data = {
    values: rows.map((r) => ({ ...r, value: r6(r.value), ...(r.error !== undefined ? { lo: r6(r.value - r.error), hi: r6(r.value + r.error) } : {}) })),
  };
  const along = opts.horizontal ? 'x' : 'y';
  const offset = groups.length ? { [opts.horizontal ? 'yOffset' : 'xOffset']: { field: 'group', type: 'nominal', sort: groups } } : {};
  const encoding = {
    [opts.horizontal ? 'y' : 'x']: cat,
    [along]: val,
    ...(groups.length ? { color: { field: 'group', type: 'nominal', scale: colorScale(groups), legend: { title: null } }, ...offset } : {}),
    tooltip: [{ field: 'label' }, { field: 'value', format: '.4g' }, ...(groups.length ? [{ field: 'group' }] : [])],
  };
  // The error range is in the error bar's own tooltip (a bar without an error has none, not NaN).
  const errorTooltip = [...encoding.tooltip, { field: 'lo', title: 'value - error', format: '.4g' }, { field: 'hi', title: 'value + error', format: '.4g' }];
  const bar = { type: 'bar', ...(groups.length ? {} : { color: PALETTE[0] }) };
  if (rows.some((r) => r.error !== undefined)) {
    spec.layer = [
      { mark: bar, encoding },
      {
        // A thin bar (not a rule) so that it is centred on its grouped bar like the bar itself.
        mark: { type: 'bar', color: '#333', [opts.horizontal ? 'height' : 'width']: 1.5 },
        transform: [{ filter: 'isValid(datum.lo)' }],
        encoding: { [opts.horizontal ? 'y' : 'x']: cat, ...offset, [along]: { field: 'lo', type: 'quantitative' }, [`${along}2`]: { field: 'hi' }, tooltip: errorTooltip },
      },
    ];
    return spec;
  }
  spec.mark = bar;
  spec.encoding = encoding;
  return spec;
}
