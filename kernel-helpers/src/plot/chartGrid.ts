/**
 * Several charts side by side (or in a grid) as one Vega-Lite spec, i.e. one output with
 * one PNG. Sub-charts keep their own legends, and their own scales unless `sharedAxes`.
 */
import { COURSE_CONFIG } from './theme';
import { VEGA_LITE_SCHEMA, VegaLiteSpec } from './types';

export interface ChartGridOptions {
  /** Charts per row (default: all in one row). */
  columns?: number;
  title?: string;
  /** Space between charts in px (default 24). */
  spacing?: number;
  /**
   * Give every chart the same x and y scales (default false: each keeps its own). Panels that
   * compare one quantity across settings read correctly only on shared axes.
   */
  sharedAxes?: boolean;
}

/**
 * Combines chart specs (from the builders here, or hand-written) into one:
 * `await show(chartGrid([lineChart(...), scatterChart(...)], { columns: 2 }))`.
 * Top-level-only properties of the parts ($schema, config) are lifted to the whole.
 */
export function chartGrid(specs: VegaLiteSpec[], opts: ChartGridOptions = {}): VegaLiteSpec {
  if (!Array.isArray(specs) || specs.length === 0) throw new Error(`chartGrid: specs must be a non-empty array of Vega-Lite specs, got ${Array.isArray(specs) ? '[]' : typeof specs}`);
  specs.forEach((s, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw new Error(`chartGrid: specs[${i}] must be a Vega-Lite spec object, got ${Array.isArray(s) ? 'an array' : typeof s}`);
  });
  const columns = Math.max(1, Math.round(opts.columns ?? specs.length));
  const parts = specs.map(({ $schema, config, ...rest }) => {
    void $schema;
    void config;
    return rest;
  });
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    config: (specs[0].config as object | undefined) ?? COURSE_CONFIG,
    concat: parts,
    columns,
    spacing: opts.spacing ?? 24,
    resolve: {
      scale: { color: 'independent', x: opts.sharedAxes ? 'shared' : 'independent', y: opts.sharedAxes ? 'shared' : 'independent' },
      legend: { color: 'independent' },
    },
  };
  if (opts.title) spec.title = opts.title;
  return spec;
}
