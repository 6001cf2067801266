/**
 * Bar charts of labelled values (metrics per method, mode coverage per run), optionally grouped.
 */
import { ChartOptions, chartFrame } from './chartBase';
import { colorScale, PALETTE } from './theme';
import { r6 } from './inputs';
import type { VegaLiteSpec } from './types';

export interface BarRow {
  label: string;
  value: number;
  /** Bars with the same label and different groups stand side by side. */
  group?: string;
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
  if (rows.length === 0) throw new Error('barChart(values): give { label: number } or a non-empty array of { label, value, group? }');
  rows.forEach((r, i) => {
    if (typeof r.label !== 'string' || typeof r.value !== 'number') throw new Error(`barChart(values)[${i}] must be { label: string, value: number }, got ${JSON.stringify(r)}`);
  });
  const labels = [...new Set(rows.map((r) => r.label))];
  const groups = [...new Set(rows.map((r) => r.group).filter((g): g is string => g !== undefined))];
  const cat = { field: 'label', type: 'nominal', title: opts.xTitle ?? null, sort: opts.keepOrder === false ? 'ascending' : labels, axis: { labelAngle: opts.horizontal ? 0 : labels.some((l) => l.length > 8) ? -30 : 0 } };
  const val = { field: 'value', type: 'quantitative', title: opts.yTitle ?? 'value' };
  const spec = chartFrame(opts, opts.horizontal ? { height: Math.max(120, 24 * labels.length * Math.max(1, groups.length)) } : {});
  spec.data = { values: rows.map((r) => ({ ...r, value: r6(r.value) })) };
  spec.mark = { type: 'bar', ...(groups.length ? {} : { color: PALETTE[0] }) };
  spec.encoding = {
    [opts.horizontal ? 'y' : 'x']: cat,
    [opts.horizontal ? 'x' : 'y']: val,
    ...(groups.length
      ? {
          color: { field: 'group', type: 'nominal', scale: colorScale(groups), legend: { title: null } },
          [opts.horizontal ? 'yOffset' : 'xOffset']: { field: 'group', type: 'nominal', sort: groups },
        }
      : {}),
    tooltip: [{ field: 'label' }, { field: 'value', format: '.4g' }, ...(groups.length ? [{ field: 'group' }] : [])],
  };
  return spec;
}
