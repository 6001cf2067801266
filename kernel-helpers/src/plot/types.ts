/**
 * Shapes of the chart specifications the plot area builds and the display area shows.
 * Kept structural (no dependency on vega-lite's or plotly's own typings) so the emitted
 * declarations stay readable by the notebook kernel's TypeScript 5.0.
 */

/** A Vega-Lite (v5/v6 schema) top-level specification, as a plain JSON object. */
export interface VegaLiteSpec {
  $schema?: string;
  title?: unknown;
  data?: unknown;
  mark?: unknown;
  encoding?: unknown;
  layer?: unknown[];
  hconcat?: unknown[];
  vconcat?: unknown[];
  concat?: unknown[];
  facet?: unknown;
  repeat?: unknown;
  spec?: unknown;
  width?: number | 'container';
  height?: number | 'container';
  [key: string]: unknown;
}

/** One Plotly trace (`{type: 'surface', z: [[...]]}`, `{type: 'scatter', x, y}`, ...). */
export interface PlotlyTrace {
  type?: string;
  [key: string]: unknown;
}

/** A Plotly figure: traces plus an optional layout. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout?: { [key: string]: unknown };
  config?: { [key: string]: unknown };
}

/** The Vega-Lite schema URL of the version JupyterLab's renderer expects. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
