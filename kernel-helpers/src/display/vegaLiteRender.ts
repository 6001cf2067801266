/**
 * Vega-Lite spec -> SVG -> PNG, entirely in Node: vega-lite compiles the spec to Vega,
 * a headless vega View (renderer 'none') produces SVG, resvg rasterises it.
 */
import { importEsm } from './esmImport';
import { svgToPng, RasterImage } from './svgToPng';
import { measureTextWithChartFont } from './textMeasure';
import type { VegaLiteSpec } from '../plot/types';

interface VegaLiteModule {
  compile(spec: unknown, opts?: unknown): { spec: unknown };
}
interface VegaView {
  toSVG(scaleFactor?: number): Promise<string>;
  finalize(): void;
}
interface VegaModule {
  parse(spec: unknown, config?: unknown): unknown;
  View: new (runtime: unknown, opts: { renderer: string; logLevel?: number }) => VegaView;
}

export interface RenderedChart extends RasterImage {
  svg: string;
}

/**
 * Compiles a Vega-Lite spec to a Vega spec (throws vega-lite's message on an invalid spec).
 * vega-lite's warnings (e.g. an encoding it drops) are appended to `warnings` when given,
 * else left to vega-lite's default logger.
 */
export async function compileVegaLite(spec: VegaLiteSpec, warnings?: string[]): Promise<unknown> {
  const vl = await importEsm<VegaLiteModule>('vega-lite');
  checkMarks('invalid Vega-Lite spec', 'spec', spec);
  try {
    return compileWith(vl, spec, warnings);
  } catch (e) {
    throw new Error(`invalid Vega-Lite spec: ${(e as Error).message}`);
  }
}

const MARKS = ['arc', 'area', 'bar', 'image', 'line', 'point', 'rect', 'rule', 'text', 'tick', 'trail', 'circle', 'square', 'geoshape', 'boxplot', 'errorbar', 'errorband'];

/** vega-lite does not check mark names itself (an unknown one fails with a TypeError deep inside). */
function checkMarks(who: string, name: string, spec: unknown): void {
  if (!spec || typeof spec !== 'object') return;
  const o = spec as { [k: string]: unknown };
  const m = o.mark;
  const markName = typeof m === 'string' ? m : m && typeof m === 'object' ? (m as { type?: unknown }).type : undefined;
  if (m !== undefined && (typeof markName !== 'string' || !MARKS.includes(markName))) {
    throw new Error(`${who}: ${name}.mark must be a mark type (known: ${MARKS.join(', ')}), got ${JSON.stringify(markName ?? m)}`);
  }
  for (const key of ['layer', 'hconcat', 'vconcat', 'concat']) {
    if (Array.isArray(o[key])) (o[key] as unknown[]).forEach((s, i) => checkMarks(who, `${name}.${key}[${i}]`, s));
  }
  if (o.spec) checkMarks(who, `${name}.spec`, o.spec);
}

function compileWith(vl: VegaLiteModule, spec: VegaLiteSpec, warnings?: string[]): unknown {
  if (!warnings) return vl.compile(spec as unknown).spec;
  const text = (args: unknown[]): string => args.map(String).join(' ');
  const logger = {
    level(): number {
      return 2;
    },
    error(...args: unknown[]) {
      throw new Error(text(args));
    },
    warn(...args: unknown[]) {
      warnings.push(text(args));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return vl.compile(spec as unknown, { logger }).spec;
}

/** Renders a Vega-Lite spec to SVG and PNG. */
export async function renderVegaLite(spec: VegaLiteSpec, scale = 1): Promise<RenderedChart> {
  const [vega, vegaSpec] = await Promise.all([importEsm<VegaModule>('vega'), compileVegaLite(spec)]);
  // Lay text out at the width it has in the PNG (vega's own estimate is far too wide).
  measureTextWithChartFont(vega);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logLevel: 0 });
  try {
    const svg = await view.toSVG();
    return { svg, ...svgToPng(svg, scale) };
  } finally {
    view.finalize();
  }
}
