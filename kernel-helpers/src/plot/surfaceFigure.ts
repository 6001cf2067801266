/**
 * Plotly figures for what Vega-Lite cannot draw: 3D surfaces (loss landscapes, the value
 * function of a game), with an optional optimisation path on the surface.
 */
import { ChartOptions } from './chartBase';
import { Grid2, GridSampling, checkGrid, sampleGrid } from './grid';
import { r6 } from './inputs';
import type { PlotlyFigure, PlotlyTrace } from './types';

/** The 3D box of surface figures (x : y : z), in the live figure and in its PNG. */
export const SURFACE_ASPECT = { x: 1, y: 1, z: 0.8 } as const;

export interface SurfaceFigureOptions extends Omit<ChartOptions, 'subtitle'>, Partial<GridSampling> {
  zTitle?: string;
  /** Plotly colour scale name (default 'Viridis'). */
  colorscale?: string;
  /** A path on or above the surface: [x, y, z] points (e.g. optimiser iterates). */
  path?: Array<[number, number, number]>;
  /** Name of the path in the legend. */
  pathName?: string;
}

/**
 * 3D surface of `f(x, y)` over `opts.xRange` x `opts.yRange` (or of a precomputed grid),
 * e.g. `surfaceFigure((x, y) => x * y, { xRange: [-1, 1], yRange: [-1, 1], title: 'V(θ, ψ) = θψ' })`.
 */
export function surfaceFigure(f: ((x: number, y: number) => number) | Grid2, opts: SurfaceFigureOptions = {}): PlotlyFigure {
  let g: Grid2;
  if (typeof f === 'function') {
    if (!opts.xRange || !opts.yRange) throw new Error('surfaceFigure(f, opts): give opts.xRange and opts.yRange when f is a function');
    g = sampleGrid(f, { xRange: opts.xRange, yRange: opts.yRange, n: opts.n ?? 40 }, 'surfaceFigure');
  } else g = checkGrid('surfaceFigure', 'f', f);
  const traces: PlotlyTrace[] = [
    {
      type: 'surface',
      x: g.xs.map(r6),
      y: g.ys.map(r6),
      z: g.z.map((row) => row.map((v) => (Number.isFinite(v) ? r6(v) : null))),
      colorscale: opts.colorscale ?? 'Viridis',
      colorbar: { title: { text: opts.zTitle ?? 'z' }, thickness: 14 },
      showscale: true,
    },
  ];
  if (opts.path && opts.path.length > 0) {
    traces.push({
      type: 'scatter3d',
      mode: 'lines+markers',
      name: opts.pathName ?? 'path',
      x: opts.path.map((p) => r6(p[0])),
      y: opts.path.map((p) => r6(p[1])),
      z: opts.path.map((p) => r6(p[2])),
      line: { color: '#e45756', width: 5 },
      marker: { size: 2.5, color: '#e45756' },
    });
  }
  return {
    data: traces,
    layout: {
      ...(opts.title ? { title: { text: opts.title } } : {}),
      // A fixed size, the PNG's: Plotly then draws the live figure at the size of the static one.
      width: opts.width ?? 560,
      height: opts.height ?? 460,
      autosize: false,
      margin: { l: 10, r: 10, t: opts.title ? 50 : 10, b: 10 },
      scene: {
        xaxis: { title: { text: opts.xTitle ?? 'x' } },
        yaxis: { title: { text: opts.yTitle ?? 'y' } },
        zaxis: { title: { text: opts.zTitle ?? 'z' } },
        camera: { eye: { x: 1.7, y: -1.0, z: 0.9 } },
        // A fixed box, the one the PNG draws, whatever the axis ranges: Plotly's default
        // ('auto', i.e. proportional to the data) stretches a surface whose z range is larger
        // than its x and y ranges and cuts it off at the top and bottom.
        aspectmode: 'manual',
        aspectratio: { ...SURFACE_ASPECT },
      },
      showlegend: Boolean(opts.path && opts.path.length > 0),
      // Top left, off the colour bar (both default to the right edge, one over the other).
      legend: { x: 0.01, y: 0.99, xanchor: 'left', yanchor: 'top', bgcolor: 'rgba(255,255,255,0.6)' },
    },
  };
}
