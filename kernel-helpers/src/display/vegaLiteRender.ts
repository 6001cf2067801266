/**
 * Vega-Lite spec -> SVG -> PNG, entirely in Node: vega-lite compiles the spec to Vega,
 * a headless vega View (renderer 'none') produces SVG, resvg rasterises it.
 */
import { importEsm } from './esmImport';
import { svgToPng, RasterImage } from './svgToPng';
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

/** Compiles a Vega-Lite spec to a Vega spec (throws vega-lite's message on an invalid spec). */
export async function compileVegaLite(spec: VegaLiteSpec): Promise<unknown> {
  const vl = await importEsm<VegaLiteModule>('vega-lite');
  return vl.compile(spec as unknown).spec;
}

/** Renders a Vega-Lite spec to SVG and PNG. */
export async function renderVegaLite(spec: VegaLiteSpec, scale = 1): Promise<RenderedChart> {
  const [vega, vegaSpec] = await Promise.all([importEsm<VegaModule>('vega'), compileVegaLite(spec)]);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logLevel: 0 });
  try {
    const svg = await view.toSVG();
    return { svg, ...svgToPng(svg, scale) };
  } finally {
    view.finalize();
  }
}
