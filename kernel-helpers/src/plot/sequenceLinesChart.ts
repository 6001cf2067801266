/**
 * Line charts of multivariate sequences: the features of one sequence over its time steps
 * (TimeGAN's sines or stock windows), optionally overlaid with a second sequence of the same
 * shape (a synthetic one next to a real one) drawn dashed, so that a reader compares level,
 * curvature and the relation between features feature by feature.
 */
import { argumentError, checkInteger, checkPositiveInt } from '../core/args';
import { ChartOptions, chartFrame } from './chartBase';
import { r6 } from './inputs';
import { colorScale } from './theme';
import type { VegaLiteSpec } from './types';

/**
 * Sequences to draw: a list of series (each the values over time of one feature), or one
 * sequence of a row-major [count, length, features] array: `{ data, length, features, index }`
 * (index default 0), drawn as one series per feature.
 */
export type SequenceInput = ReadonlyArray<ArrayLike<number>> | { data: ArrayLike<number>; length: number; features: number; index?: number };

export interface SequenceLinesChartOptions extends ChartOptions {
  /** Series names (default 'feature 1', 'feature 2', ...). */
  names?: string[];
  /** A second set of series of the same shape, drawn dashed in the same colours (e.g. synthetic next to real). */
  compare?: SequenceInput;
  /** Labels of the two sets in the dash legend (default ['real', 'synthetic']). */
  setNames?: [string, string];
  /** Fixed y domain [low, high] (e.g. [0, 1] for min-max scaled data). */
  yDomain?: [number, number];
}

function toSeries(who: string, name: string, s: SequenceInput): number[][] {
  if (Array.isArray(s)) {
    if (s.length === 0) throw argumentError(who, name, 'a non-empty list of series', s);
    return s.map((row, i) => {
      if (row == null || typeof (row as ArrayLike<number>).length !== 'number') throw argumentError(who, `${name}[${i}]`, 'an array of numbers', row);
      const out = Array.from(row as ArrayLike<number>);
      const bad = out.findIndex((v) => typeof v !== 'number');
      if (bad >= 0) throw argumentError(who, `${name}[${i}][${bad}]`, 'a number', out[bad]);
      return out;
    });
  }
  if (s == null || typeof s !== 'object') throw argumentError(who, name, 'a list of series or { data, length, features, index }', s);
  const { data, length, features, index = 0 } = s as { data: ArrayLike<number>; length: number; features: number; index?: number };
  checkPositiveInt(who, `${name}.length`, length);
  checkPositiveInt(who, `${name}.features`, features);
  if (data == null || typeof data.length !== 'number' || data.length % (length * features) !== 0 || data.length === 0) {
    throw argumentError(who, `${name}.data.length`, `a positive multiple of length * features = ${length * features}`, data == null ? data : data.length);
  }
  checkInteger(who, `${name}.index`, index, 0, data.length / (length * features) - 1);
  return Array.from({ length: features }, (_, k) => Array.from({ length }, (_, t) => data[(index * length + t) * features + k]));
}

/**
 * Multi-series line chart of sequences over their time steps. Examples:
 * `sequenceLinesChart({ data: sines.data, length: 24, features: 5 })` (the 5 features of the
 * first sequence), `sequenceLinesChart(real, { compare: synthetic })` (real solid, synthetic dashed).
 */
export function sequenceLinesChart(series: SequenceInput, opts: SequenceLinesChartOptions = {}): VegaLiteSpec {
  const who = 'sequenceLinesChart';
  const main = toSeries(who, 'series', series);
  const other = opts.compare !== undefined ? toSeries(who, 'opts.compare', opts.compare) : null;
  if (other) {
    if (other.length !== main.length) throw argumentError(who, 'opts.compare', `${main.length} series, as many as series`, `${other.length} series`);
    other.forEach((s, i) => {
      if (s.length !== main[i].length) throw argumentError(who, `opts.compare[${i}].length`, `${main[i].length}, the length of series[${i}]`, s.length);
    });
  }
  const names = opts.names ?? main.map((_, i) => `feature ${i + 1}`);
  if (!Array.isArray(names) || names.length !== main.length || new Set(names).size !== names.length) {
    throw argumentError(who, 'opts.names', `${main.length} distinct names, one per series`, names);
  }
  const setNames = opts.setNames ?? ['real', 'synthetic'];
  if (!Array.isArray(setNames) || setNames.length !== 2 || setNames[0] === setNames[1]) throw argumentError(who, 'opts.setNames', 'two distinct names', setNames);
  const values: Array<{ series: string; set: string; t: number; y: number }> = [];
  const add = (sets: number[][], set: string) =>
    sets.forEach((s, i) => s.forEach((y, t) => {
      if (Number.isFinite(y)) values.push({ series: names[i], set, t, y: r6(y) });
    }));
  add(main, setNames[0]);
  if (other) add(other, setNames[1]);
  const longest = Math.max(...main.map((s) => s.length));
  const spec = chartFrame(opts);
  spec.data = { values };
  spec.mark = { type: 'line', strokeWidth: 1.6, clip: true, ...(longest <= 40 && !other ? { point: { filled: true, size: 20 } } : {}) };
  const encoding: Record<string, unknown> = {
    x: { field: 't', type: 'quantitative', title: opts.xTitle ?? 'time step', scale: { zero: false, nice: false } },
    y: { field: 'y', type: 'quantitative', title: opts.yTitle ?? 'value', scale: { zero: false, ...(opts.yDomain ? { domain: opts.yDomain } : {}) } },
    color: { field: 'series', type: 'nominal', scale: colorScale(names), legend: names.length > 1 ? { title: null } : null },
  };
  if (other) {
    encoding.strokeDash = { field: 'set', type: 'nominal', scale: { domain: setNames, range: [[1, 0], [5, 3]] }, legend: { title: null } };
  }
  spec.encoding = encoding;
  return spec;
}
