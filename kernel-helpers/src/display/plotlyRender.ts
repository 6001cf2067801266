/**
 * Static PNG for Plotly figures, without a browser.
 *
 * Plotly has no image export in Node (its static export needs a browser). A browser in the
 * kernel would add a large download, seconds per figure and a child process to manage, and
 * CI or a student's machine may not have one. So the PNG is drawn here instead:
 *  - 3D figures (`surface`, `scatter3d`, as built by `surfaceFigure`): an orthographic view
 *    from the figure's camera (`layout.scene.camera.eye`), surface cells as shaded polygons
 *    in painter's order (far to near), back walls with grid lines, axis ticks, colour bar;
 *    drawn as SVG and rasterised by resvg (see plotly3dSvg.ts);
 *  - 2D figures (`scatter`, `heatmap`, `contour`): translated to Vega-Lite and rendered
 *    like every other chart.
 * Other trace types get no PNG (the bundle then has the Plotly type and text/plain, whose
 * text says so). The interactive view in JupyterLab / VS Code is Plotly's own; the PNG is
 * what static renderers (GitHub, nbconvert, classic Notebook) show.
 */
import type { PlotlyFigure, PlotlyTrace, VegaLiteSpec } from '../plot/types';
import { svgToPng, RasterImage } from './svgToPng';
import { renderVegaLite } from './vegaLiteRender';
import { plotly3dSvg } from './plotly3dSvg';
import { heatmapChart } from '../plot/heatmapChart';
import { chartFrame } from '../plot/chartBase';
import { colorScale } from '../plot/theme';

export interface PlotlyPng extends RasterImage {
  /** How the PNG was made, shown in text/plain. */
  note?: string;
}

const THREE_D = new Set(['surface', 'scatter3d']);
const TWO_D = new Set(['scatter', 'scattergl', 'heatmap', 'contour']);

function titleText(layout: { [k: string]: unknown } | undefined): string | undefined {
  const t = layout?.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return undefined;
}

function axisTitle(layout: { [k: string]: unknown } | undefined, axis: 'xaxis' | 'yaxis'): string | undefined {
  const a = layout?.[axis] as { title?: unknown } | undefined;
  return titleText(a as { [k: string]: unknown });
}

function nums(v: unknown): number[] | undefined {
  return Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number>, Number) : undefined;
}

/** 2D Plotly traces as one Vega-Lite spec (null if the mix is not supported). */
export function plotly2dToVegaLite(fig: PlotlyFigure): VegaLiteSpec | null {
  const layout = fig.layout;
  const opts = {
    title: titleText(layout),
    xTitle: axisTitle(layout, 'xaxis') ?? 'x',
    yTitle: axisTitle(layout, 'yaxis') ?? 'y',
  };
  const grids = fig.data.filter((t) => t.type === 'heatmap' || t.type === 'contour');
  const lines = fig.data.filter((t) => (t.type ?? 'scatter') === 'scatter' || t.type === 'scattergl');
  if (grids.length > 1) return null;
  const layers: VegaLiteSpec[] = [];
  let base: VegaLiteSpec;
  if (grids.length === 1) {
    const g = grids[0];
    const z = (g.z as number[][] | undefined)?.map((row) => nums(row) ?? []);
    if (!z || z.length < 2) return null;
    const xs = nums(g.x) ?? z[0].map((_, i) => i);
    const ys = nums(g.y) ?? z.map((_, j) => j);
    base = heatmapChart({ xs, ys, z }, { ...opts, contours: g.type === 'contour' ? 8 : undefined });
    layers.push(...((base.layer as VegaLiteSpec[]) ?? []));
  } else {
    base = chartFrame(opts);
  }
  if (lines.length > 0) {
    const names = lines.map((t, i) => (typeof t.name === 'string' ? t.name : `trace ${i}`));
    const scale = colorScale(names);
    lines.forEach((t, i) => {
      const y = nums(t.y);
      if (!y) return;
      const x = nums(t.x) ?? y.map((_, k) => k);
      const mode = typeof t.mode === 'string' ? t.mode : y.length > 20 ? 'lines' : 'lines+markers';
      const values = y.map((v, k) => ({ x: x[k], y: v, trace: names[i] })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
      const enc = {
        x: { field: 'x', type: 'quantitative', title: opts.xTitle, scale: grids.length ? undefined : { zero: false, padding: 8 } },
        y: { field: 'y', type: 'quantitative', title: opts.yTitle, scale: grids.length ? undefined : { zero: false, padding: 8 } },
        color: { field: 'trace', type: 'nominal', scale, legend: lines.length > 1 ? { title: null } : null },
      };
      if (mode.includes('lines')) layers.push({ data: { values }, mark: { type: 'line', clip: true }, encoding: enc });
      if (mode.includes('markers')) layers.push({ data: { values }, mark: { type: 'circle', size: 30 }, encoding: enc });
    });
  }
  if (layers.length === 0) return null;
  const spec: VegaLiteSpec = { ...base, layer: layers };
  if (grids.length === 1) spec.resolve = { scale: { color: 'independent' } };
  return spec;
}

/** Renders a PNG for the figure, or returns null when its trace types are not supported. */
export async function renderPlotlyPng(figure: PlotlyFigure, scale = 1): Promise<PlotlyPng | null> {
  const types = figure.data.map((t: PlotlyTrace) => t.type ?? 'scatter');
  if (types.some((t) => THREE_D.has(t))) {
    if (!types.every((t) => THREE_D.has(t))) return null;
    const svg = plotly3dSvg(figure);
    if (!svg) return null;
    return { ...svgToPng(svg, scale), note: 'static view drawn without Plotly; interactive in JupyterLab/VS Code' };
  }
  if (types.every((t) => TWO_D.has(t))) {
    const spec = plotly2dToVegaLite(figure);
    if (!spec) return null;
    const r = await renderVegaLite(spec, scale);
    return { png: r.png, width: r.width, height: r.height, note: 'static view drawn with Vega-Lite' };
  }
  return null;
}
