/**
 * Static PNG for Plotly figures.
 * (First version: no static image; see the route described in the display README section.)
 */
import type { PlotlyFigure } from '../plot/types';
import type { RasterImage } from './svgToPng';

export interface PlotlyPng extends RasterImage {
  note?: string;
}

export async function renderPlotlyPng(_figure: PlotlyFigure, _scale = 1): Promise<PlotlyPng | null> {
  return null;
}
