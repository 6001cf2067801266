/**
 * Turns any value `show()` accepts into one multi-MIME bundle: the rich type, a PNG
 * rendered in Node, and text/plain. Never text/html or SVG: static renderers (GitHub,
 * nbconvert, classic Notebook) would pick those over the PNG.
 */
import { classify, Classified, ImageGrid } from './showable';
import { MIME, RenderedOutput } from './mimeBundle';
import { renderVegaLite } from './vegaLiteRender';
import { renderImageGrid } from './imageGrid';
import { formatTable } from './textTable';
import { renderPlotlyPng } from './plotlyRender';
import { VEGA_LITE_SCHEMA, VegaLiteSpec, PlotlyFigure } from '../plot/types';

export interface ShowOptions {
  /** Base name of files written to GAN_COURSE_FIGURES_DIR (default: from the title, else a counter). */
  name?: string;
  /** PNG pixel density: 2 renders at twice the chart's size for sharp high-DPI images (default 1). */
  scale?: number;
  /**
   * Render the PNG fallback. Default: inside a kernel or when GAN_COURSE_FIGURES_DIR is set
   * (a plain script only prints the summary); false sends rich type + text only.
   */
  png?: boolean;
}

function titleOf(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object' && typeof (x as { text?: unknown }).text === 'string') return (x as { text: string }).text;
  if (x && typeof x === 'object' && Array.isArray((x as { text?: unknown }).text)) return ((x as { text: string[] }).text).join(' ');
  return undefined;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function kb(b: Buffer): string {
  return `${(b.length / 1024).toFixed(1)} kB`;
}

function pngMeta(width: number, height: number, scale: number): { [k: string]: unknown } {
  return { [MIME.png]: { width: Math.round(width / scale), height: Math.round(height / scale) } };
}

/** Counts the marks of a spec for the text summary (top-level and layers). */
function markNames(spec: VegaLiteSpec): string[] {
  const out = new Set<string>();
  const visit = (s: unknown): void => {
    if (!s || typeof s !== 'object') return;
    const o = s as { [k: string]: unknown };
    const m = o.mark;
    if (typeof m === 'string') out.add(m);
    else if (m && typeof m === 'object' && typeof (m as { type?: unknown }).type === 'string') out.add((m as { type: string }).type);
    for (const key of ['layer', 'hconcat', 'vconcat', 'concat']) if (Array.isArray(o[key])) (o[key] as unknown[]).forEach(visit);
    if (o.spec) visit(o.spec);
  };
  visit(spec);
  return [...out];
}

async function vegaLiteOutput(spec: VegaLiteSpec, opts: ShowOptions): Promise<RenderedOutput> {
  const full: VegaLiteSpec = spec.$schema ? spec : { $schema: VEGA_LITE_SCHEMA, ...spec };
  const title = titleOf(full.title);
  const marks = markNames(full).join('+') || 'chart';
  const summary = `[Vega-Lite ${marks}${title ? `: ${title}` : ''}]`;
  const data: { [k: string]: unknown } = { [MIME.vegaLite]: full };
  let metadata = {};
  let renderMs = 0;
  const files: RenderedOutput['files'] = [{ suffix: '.vl.json', content: JSON.stringify(full, null, 1) }];
  if (opts.png !== false) {
    const scale = opts.scale ?? 1;
    const t0 = Date.now();
    const r = await renderVegaLite(full, scale);
    renderMs = Date.now() - t0;
    data[MIME.png] = r.png.toString('base64');
    metadata = pngMeta(r.width, r.height, scale);
    files.push({ suffix: '.png', content: r.png });
  }
  data[MIME.plain] = summary;
  return { bundle: { data, metadata }, summary, name: title && slug(title), files, renderMs };
}

async function plotlyOutput(figure: PlotlyFigure, opts: ShowOptions): Promise<RenderedOutput> {
  if (!Array.isArray(figure.data) || figure.data.length === 0) {
    throw new Error('show(x): a Plotly figure needs data: a non-empty array of traces');
  }
  const layout = figure.layout ?? {};
  const title = titleOf((layout as { title?: unknown }).title);
  const types = [...new Set(figure.data.map((t) => t.type ?? 'scatter'))].join('+');
  const summary = `[Plotly ${types}${title ? `: ${title}` : ''}]`;
  const data: { [k: string]: unknown } = { [MIME.plotly]: { data: figure.data, layout } };
  let metadata = {};
  let renderMs = 0;
  const files: RenderedOutput['files'] = [{ suffix: '.plotly.json', content: JSON.stringify({ data: figure.data, layout }) }];
  let note = '';
  if (opts.png !== false) {
    const scale = opts.scale ?? 1;
    const t0 = Date.now();
    const r = await renderPlotlyPng(figure, scale);
    renderMs = Date.now() - t0;
    if (r) {
      data[MIME.png] = r.png.toString('base64');
      metadata = pngMeta(r.width, r.height, scale);
      files.push({ suffix: '.png', content: r.png });
      if (r.note) note = ` (${r.note})`;
    } else {
      note = ' (no static image for these trace types)';
    }
  }
  data[MIME.plain] = summary + note;
  return { bundle: { data, metadata }, summary: summary + note, name: title && slug(title), files, renderMs };
}

/**
 * A tensor's pixels read asynchronously (`await t.data()`), as `{data, shape}`: on webgpu a
 * tensor on the GPU cannot be read synchronously in Node. Other sources are returned as they are.
 */
async function readImageSource(source: ImageGrid['source']): Promise<ImageGrid['source']> {
  const t = source as { shape?: unknown; data?: unknown };
  if (t && typeof t === 'object' && !Array.isArray(t) && Array.isArray(t.shape) && typeof t.data === 'function') {
    return { data: await (t.data as () => Promise<ArrayLike<number>>).call(t), shape: t.shape as number[] };
  }
  return source;
}

/** Builds the bundle for a classified value. */
export async function renderClassified(c: Classified, opts: ShowOptions = {}): Promise<RenderedOutput> {
  switch (c.kind) {
    case 'vega-lite':
      return vegaLiteOutput(c.spec, opts);
    case 'plotly':
      return plotlyOutput(c.figure, opts);
    case 'images': {
      const t0 = Date.now();
      const g = renderImageGrid(await readImageSource(c.grid.source), c.grid.options);
      const renderMs = Date.now() - t0;
      const summary = `[image grid: ${g.n} image${g.n === 1 ? '' : 's'}, ${g.width}x${g.height} px]`;
      return {
        bundle: {
          data: { [MIME.png]: g.png.toString('base64'), [MIME.plain]: summary },
          metadata: pngMeta(g.width, g.height, 1),
        },
        summary,
        files: [{ suffix: '.png', content: g.png }],
        renderMs,
      };
    }
    case 'table': {
      const t = formatTable(c.table.rows, c.table.options);
      return {
        bundle: { data: { [MIME.markdown]: t.markdown, [MIME.plain]: t.plain }, metadata: {} },
        summary: t.plain,
        files: [{ suffix: '.md', content: t.markdown + '\n' }],
        renderMs: 0,
      };
    }
    case 'latex': {
      const s = c.source.trim();
      const delimited = /^(\$\$?|\\\[|\\\(|\\begin\{)/.test(s) ? s : `$$${s}$$`;
      return {
        bundle: { data: { [MIME.latex]: delimited, [MIME.plain]: s }, metadata: {} },
        summary: s,
        files: [{ suffix: '.tex', content: delimited + '\n' }],
        renderMs: 0,
      };
    }
    case 'markdown':
      return {
        bundle: { data: { [MIME.markdown]: c.source, [MIME.plain]: c.source }, metadata: {} },
        summary: c.source,
        files: [{ suffix: '.md', content: c.source + '\n' }],
        renderMs: 0,
      };
    case 'text':
      return {
        bundle: { data: { [MIME.plain]: c.text }, metadata: {} },
        summary: c.text,
        files: [],
        renderMs: 0,
      };
  }
}

/** Builds the MIME bundle (and summary, files) for any value `show()` accepts. */
export async function renderOutput(x: unknown, opts: ShowOptions = {}): Promise<RenderedOutput> {
  return renderClassified(classify(x), opts);
}
