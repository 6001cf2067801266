/**
 * Plotly 3D surfaces as JupyterLab's `jupyterlab-plotly` renderer draws them: a fixed 3D box
 * (not proportional to the data, which stretched a saddle and cut it off), the legend off
 * the colour bar, and a fixed size equal to the PNG's, so the live figure and the static one
 * agree. What is checked here is the figure; the browser itself is not run.
 */
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { surfaceFigure, SURFACE_ASPECT } from '../../../kernel-helpers/src/plot/surfaceFigure';
import { plotly3dSvg } from '../../../kernel-helpers/src/display/plotly3dSvg';
import { renderOutput } from '../../../kernel-helpers/src/display/render';
import { setKernelWriter } from '../../../kernel-helpers/src/display/kernelTransport';
import { decodePng } from './capture';

afterEach(() => setKernelWriter(undefined));

type Layout = {
  width: number; height: number; autosize: boolean; showlegend: boolean;
  legend: { x: number; y: number; xanchor: string; yanchor: string };
  scene: { aspectmode: string; aspectratio: { x: number; y: number; z: number } };
};

const saddle = (opts = {}) => surfaceFigure((x, y) => 2 * x * y, { xRange: [-1, 1], yRange: [-1, 1], n: 20, title: 'V(θ, ψ) = θψ', zTitle: 'V', path: [[0.5, 0.5, 0.5], [0, 0.6, 0], [-0.5, 0.4, -0.4]], ...opts });

test('surfaceFigure: a fixed 3D box whatever the ranges, and the legend top left, off the colour bar', () => {
  const fig = saddle();
  const layout = fig.layout as unknown as Layout;
  assert.equal(layout.scene.aspectmode, 'manual');
  assert.deepEqual(layout.scene.aspectratio, { ...SURFACE_ASPECT });
  // A z range 100x the x and y ranges gets the same box.
  const tall = surfaceFigure((x, y) => 100 * x * y, { xRange: [-1, 1], yRange: [-1, 1] });
  assert.deepEqual((tall.layout as unknown as Layout).scene.aspectratio, layout.scene.aspectratio);
  assert.equal(layout.showlegend, true);
  assert.ok(layout.legend.x < 0.5 && layout.legend.xanchor === 'left', 'legend on the left; the colour bar is on the right');
  const bar = (fig.data[0] as { colorbar: { x?: number } }).colorbar;
  assert.ok(bar.x === undefined || bar.x > 0.9, 'colour bar at the right edge');
});

test('surfaceFigure: the live figure has the size of its PNG (explicit width and height, no autosize)', async () => {
  setKernelWriter(() => undefined);
  for (const size of [{}, { width: 420, height: 360 }]) {
    const fig = saddle(size);
    const layout = fig.layout as unknown as Layout;
    assert.equal(layout.autosize, false);
    const out = await renderOutput(fig, { png: true });
    const png = decodePng(out.bundle.data['image/png']);
    assert.deepEqual([png.width, png.height], [layout.width, layout.height]);
    assert.deepEqual(out.bundle.metadata['image/png'], { width: layout.width, height: layout.height });
    const plotly = out.bundle.data['application/vnd.plotly.v1+json'] as { layout: Layout };
    assert.deepEqual([plotly.layout.width, plotly.layout.height], [layout.width, layout.height]);
  }
});

test('the PNG draws the box the figure asks for: cube, manual ratio, or the default', () => {
  const boxHeight = (scene: object): number => {
    const fig = surfaceFigure((x, y) => x * y, { xRange: [-1, 1], yRange: [-1, 1], n: 6 });
    Object.assign((fig.layout as { scene: object }).scene, scene);
    const svg = plotly3dSvg(fig)!;
    // The back walls: their vertical extent grows with the box's z proportion.
    const ys = [...svg.matchAll(/<polygon points="([^"]+)" fill="#f4f5f7"/g)].flatMap((m) => m[1].split(' ').map((p) => Number(p.split(',')[1])));
    return Math.max(...ys) - Math.min(...ys);
  };
  const dflt = boxHeight({});
  const cube = boxHeight({ aspectmode: 'cube', aspectratio: undefined });
  const flat = boxHeight({ aspectmode: 'manual', aspectratio: { x: 1, y: 1, z: 0.3 } });
  assert.ok(cube > dflt && dflt > flat, `cube ${cube}, default ${dflt}, flat ${flat}`);
});
