/**
 * Explicit wrappers for outputs that cannot be recognised from their shape alone, and the
 * test that sorts any value given to `show()` into one kind.
 */
import type { PlotlyFigure, VegaLiteSpec } from '../plot/types';
import { chartGrid } from '../plot/chartGrid';

/** A tensor-like value: a tfjs Tensor, or anything with a shape and readable data. */
export interface TensorLike {
  shape: number[];
  dataSync(): ArrayLike<number>;
}

/** Pixel data as nested arrays: [N][H][W] (grey) or [N][H][W][C] with C = 1 or 3. */
export type NestedImages = number[][][] | number[][][][];

export interface ImageGridOptions {
  /** Columns of the grid (default: about sqrt(N), at most 16). */
  cols?: number;
  /** Value range of the pixels; default: [-1, 1] if any value < 0, [0, 255] if any > 1.5, else [0, 1]. */
  range?: [number, number];
  /** Integer upscaling of each pixel (default: enough for cells of at least 56 px). */
  pixelScale?: number;
  /** Gap between cells in output pixels (default 2). */
  gap?: number;
}

export interface ImageGrid {
  kind: 'images';
  source: TensorLike | NestedImages | { data: ArrayLike<number>; shape: number[] };
  options: ImageGridOptions;
}

export interface TableOptions {
  /** Columns to show, in order (default: the keys of all rows, in order of appearance). */
  columns?: string[];
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
  /** Rows shown at most (default 50); the rest is counted in a last line. */
  maxRows?: number;
  /** A line shown above the table (e.g. `quickModeNote('...')`). */
  caption?: string;
}

export type TableRow = { [column: string]: unknown };

export interface Table {
  kind: 'table';
  rows: TableRow[];
  options: TableOptions;
}

export interface Latex {
  kind: 'latex';
  source: string;
}

export interface Markdown {
  kind: 'markdown';
  source: string;
}

/** Everything `show()` accepts. */
export type Showable =
  | VegaLiteSpec
  | VegaLiteSpec[]
  | PlotlyFigure
  | TensorLike
  | ImageGrid
  | Table
  | TableRow[]
  | Latex
  | Markdown
  | string
  | number
  | boolean;

/** A grid of images from a tensor [N,H,W] / [N,H,W,1|3] / [H,W] or nested arrays. */
export function images(source: ImageGrid['source'], options: ImageGridOptions = {}): ImageGrid {
  return { kind: 'images', source, options };
}

/** A table from an array of records (rows). */
export function table(rows: TableRow[], options: TableOptions = {}): Table {
  if (!Array.isArray(rows)) throw new Error(`table: rows must be an array of records, got ${describe(rows)}`);
  return { kind: 'table', rows, options };
}

/** LaTeX math; `$$...$$` delimiters are added when the source has none. */
export function latex(source: string): Latex {
  if (typeof source !== 'string') throw new Error(`latex: source must be a string, got ${describe(source)}`);
  return { kind: 'latex', source };
}

/** Markdown text. */
export function markdown(source: string): Markdown {
  if (typeof source !== 'string') throw new Error(`markdown: source must be a string, got ${describe(source)}`);
  return { kind: 'markdown', source };
}

export type Classified =
  | { kind: 'vega-lite'; spec: VegaLiteSpec }
  | { kind: 'plotly'; figure: PlotlyFigure }
  | { kind: 'images'; grid: ImageGrid }
  | { kind: 'table'; table: Table }
  | { kind: 'latex'; source: string }
  | { kind: 'markdown'; source: string }
  | { kind: 'text'; text: string };

const VEGA_LITE_KEYS = ['mark', 'layer', 'hconcat', 'vconcat', 'concat', 'facet', 'repeat'];

export const ACCEPTED =
  'a Vega-Lite spec (object with mark/layer/hconcat/vconcat/concat/facet/repeat, e.g. from lineChart()) or an array of them (shown side by side), ' +
  'a Plotly figure {data: trace[], layout?}, a tensor of images [N,H,W] or [N,H,W,1|3] (or images(...)), ' +
  'an array of records or table(...), latex(...), markdown(...), or a string/number/boolean';

function isPlainObject(x: unknown): x is { [k: string]: unknown } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isVegaLite(x: unknown): boolean {
  if (!isPlainObject(x)) return false;
  return VEGA_LITE_KEYS.some((k) => k in x) || (typeof x.$schema === 'string' && x.$schema.includes('vega-lite'));
}

function isTensorLike(x: unknown): x is TensorLike {
  return (
    isPlainObject(x) &&
    Array.isArray((x as { shape?: unknown }).shape) &&
    typeof (x as { dataSync?: unknown }).dataSync === 'function'
  );
}

/** A short description of a value for error messages. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return `an array of length ${x.length}${x.length ? ` (first element: ${describe(x[0])})` : ''}`;
  if (typeof x === 'object') {
    const ctor = (x as object).constructor?.name;
    const keys = Object.keys(x as object).slice(0, 6);
    return `${ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object'} with keys [${keys.join(', ')}]`;
  }
  if (typeof x === 'function') return 'a function';
  return `a ${typeof x}`;
}

/** Sorts a value into the kind of output it is, or throws naming what is accepted. */
export function classify(x: unknown, argName = 'x'): Classified {
  if (typeof x === 'string') return { kind: 'text', text: x };
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return { kind: 'text', text: String(x) };
  if (isPlainObject(x)) {
    const tagged = x as { kind?: unknown };
    if (tagged.kind === 'images' && 'source' in x) return { kind: 'images', grid: x as unknown as ImageGrid };
    if (tagged.kind === 'table' && Array.isArray((x as { rows?: unknown }).rows)) return { kind: 'table', table: x as unknown as Table };
    if (tagged.kind === 'latex' && typeof (x as { source?: unknown }).source === 'string') return { kind: 'latex', source: (x as unknown as Latex).source };
    if (tagged.kind === 'markdown' && typeof (x as { source?: unknown }).source === 'string') return { kind: 'markdown', source: (x as unknown as Markdown).source };
    if (isTensorLike(x)) return { kind: 'images', grid: images(x) };
    const data = (x as { data?: unknown }).data;
    if (Array.isArray(data) && data.every(isPlainObject) && !VEGA_LITE_KEYS.some((k) => k in x)) {
      return { kind: 'plotly', figure: x as unknown as PlotlyFigure };
    }
    if (isVegaLite(x)) return { kind: 'vega-lite', spec: x as VegaLiteSpec };
  }
  if (Array.isArray(x) && x.length > 0 && x.every(isVegaLite)) {
    // Several charts: one output with the charts side by side.
    return { kind: 'vega-lite', spec: chartGrid(x as VegaLiteSpec[]) };
  }
  if (Array.isArray(x) && x.length > 0 && x.every(isPlainObject)) {
    return { kind: 'table', table: table(x as TableRow[]) };
  }
  throw new Error(`show(${argName}): cannot display ${describe(x)}. show accepts ${ACCEPTED}.`);
}
