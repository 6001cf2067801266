/**
 * Pieces shared by the Vega-Lite chart builders.
 */
import { COURSE_CONFIG, DEFAULT_HEIGHT, DEFAULT_WIDTH } from './theme';
import { VEGA_LITE_SCHEMA, VegaLiteSpec } from './types';

/** Options every chart builder takes. */
export interface ChartOptions {
  title?: string;
  /** Subtitle line under the title. */
  subtitle?: string;
  xTitle?: string;
  yTitle?: string;
  /** Plot area size in CSS pixels (default 420 x 280). */
  width?: number;
  height?: number;
}

/** The top-level frame of a spec: schema, title, size and the course's config. */
export function chartFrame(opts: ChartOptions, defaults: { width?: number; height?: number } = {}): VegaLiteSpec {
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    width: opts.width ?? defaults.width ?? DEFAULT_WIDTH,
    height: opts.height ?? defaults.height ?? DEFAULT_HEIGHT,
    config: COURSE_CONFIG,
  };
  if (opts.title) spec.title = opts.subtitle ? { text: opts.title, subtitle: opts.subtitle } : opts.title;
  return spec;
}

/** Series given as a name -> data map; checks it is a non-empty object. */
export function seriesEntries<T>(who: string, name: string, series: { [name: string]: T }): Array<[string, T]> {
  if (!series || typeof series !== 'object' || Array.isArray(series)) {
    throw new Error(`${who}: ${name} must be an object mapping series names to data, e.g. { real: ..., generated: ... }, got ${Array.isArray(series) ? 'an array' : typeof series}`);
  }
  const entries = Object.entries(series).filter(([, v]) => v !== undefined);
  if (entries.length === 0) throw new Error(`${who}: ${name} must hold at least one series, got none`);
  return entries;
}
