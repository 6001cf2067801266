import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plotly3dSvg, niceTicks } from '../../../kernel-helpers/src/display/plotly3dSvg';
import { plotly2dToVegaLite } from '../../../kernel-helpers/src/display/plotlyRender';
import { compileVegaLite } from '../../../kernel-helpers/src/display/vegaLiteRender';
import { surfaceFigure } from '../../../kernel-helpers/src/plot/surfaceFigure';

test('niceTicks: round steps covering the range', () => {
  const t = niceTicks(0, 1);
  assert.equal(t.length, 6);
  t.forEach((v, i) => assert.ok(Math.abs(v - 0.2 * i) < 1e-12, `tick ${i} = ${v}`));
  assert.deepEqual(niceTicks(-2, 2), [-2, -1, 0, 1, 2]);
  assert.deepEqual(niceTicks(3, 3), [3]);
});

test('3D view: one polygon per surface cell, drawn far to near from the camera', () => {
  const fig = surfaceFigure((x, y) => x + y, { xRange: [0, 1], yRange: [0, 1], n: 4 });
  (fig.layout as { scene: { camera: { eye: object } } }).scene.camera.eye = { x: 2, y: 0.5, z: 1 };
  const svg = plotly3dSvg(fig)!;
  assert.ok(svg.startsWith('<svg'));
  // 3 walls + 9 cells
  const polys = svg.match(/<polygon /g) ?? [];
  assert.equal(polys.length, 3 + 9);
  assert.equal(plotly3dSvg({ data: [{ type: 'surface', z: [[1]] }] }), null);
});

test('Plotly 2D -> Vega-Lite: scatter traces as layers; heatmap as a grid', async () => {
  const spec = plotly2dToVegaLite({ data: [{ type: 'scatter', x: [0, 1], y: [1, 0], mode: 'lines', name: 'a' }, { type: 'scatter', y: [2, 3], mode: 'markers', name: 'b' }] })!;
  const layers = spec.layer as Array<{ mark: { type: string } }>;
  assert.deepEqual(layers.map((l) => l.mark.type), ['line', 'circle']);
  await compileVegaLite(spec);
  const hm = plotly2dToVegaLite({ data: [{ type: 'heatmap', z: [[1, 2], [3, 4]] }] })!;
  await compileVegaLite(hm);
  assert.equal(plotly2dToVegaLite({ data: [{ type: 'heatmap', z: [[1]] }] }), null);
});
