import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileVegaLite } from '../../../kernel-helpers/src/display/vegaLiteRender';
import { lineChart, scatterChart, heatmapChart, vectorFieldChart, histogramChart, barChart, surfaceFigure, chartGrid, VegaLiteSpec } from '../../../kernel-helpers/src/plot';

/** Compiles with vega-lite and fails on any warning (a dropped encoding, a bad type...). */
async function compiles(spec: VegaLiteSpec): Promise<void> {
  const warnings: string[] = [];
  const vega = (await compileVegaLite(spec, warnings)) as { marks?: unknown[] };
  assert.deepEqual(warnings, []);
  assert.ok(Array.isArray(vega.marks) && vega.marks.length > 0, 'the compiled Vega spec has marks');
}

type Values = { values: Array<Record<string, number | string>> };
const values = (s: VegaLiteSpec | { data?: unknown }): Values['values'] => (s.data as Values).values;

test('lineChart: long-format data, fixed colours for recurring names, thinning, log axis', async () => {
  const spec = lineChart({ lossD: [1, 2, 3], lossG: [3, 2, 1] }, { title: 'L' });
  await compiles(spec);
  assert.equal(values(spec).length, 6);
  assert.deepEqual(values(spec)[4], { series: 'lossG', x: 1, y: 2 });
  const color = (spec.encoding as { color: { scale: { domain: string[]; range: string[] } } }).color.scale;
  assert.deepEqual(color.domain, ['lossD', 'lossG']);
  assert.deepEqual(color.range, ['#4c78a8', '#f58518']);
  const long = lineChart({ y: Float32Array.from({ length: 10_000 }, (_, i) => i) }, { maxPoints: 100 });
  assert.ok(values(long).length <= 100);
  const log = lineChart({ y: [0, 1, 10] }, { logY: true, x: [5, 6, 7] });
  assert.deepEqual(values(log).map((v) => v.x), [6, 7], 'non-positive values are dropped on a log axis');
  await compiles(log);
  assert.throws(() => lineChart({ y: ['a' as never] }), /lineChart: series\.y\[0\] must be a number, got "a"/);
  assert.throws(() => lineChart([] as never), /lineChart: series must be an object mapping series names/);
});

test('scatterChart: point arrays, {x, y} objects and [N, 2] tensors; fixed domains', async () => {
  const tensorLike = { shape: [2, 2], dataSync: () => new Float32Array([1, 2, 3, 4]) };
  const spec = scatterChart({ real: [[0, 0], { x: 1, y: 1 }], generated: tensorLike }, { xDomain: [-2, 2], yDomain: [-2, 2] });
  await compiles(spec);
  // [3, 4] lies outside the fixed domain, where it would be clipped: it is left out
  assert.deepEqual(values(spec).map((v) => [v.set, v.x, v.y]), [['real', 0, 0], ['real', 1, 1], ['generated', 1, 2]]);
  const free = scatterChart({ generated: tensorLike });
  assert.deepEqual(values(free).map((v) => [v.x, v.y]), [[1, 2], [3, 4]], 'without a fixed domain every point is kept');
  assert.throws(() => scatterChart({ g: { shape: [2, 3], dataSync: () => new Float32Array(6) } }), /scatterChart: sets\.g must be of shape \[N, 2\], got \[2, 3\]/);
  assert.throws(() => scatterChart({ real: [[0, 0]] }, { xDomain: [1, 0] }), /scatterChart: opts\.xDomain must be \[low, high\]/);
});

test('scatterChart with fixed domains: far-away samples are dropped, and the PNG renderer survives them', async () => {
  // Samples of a generator that overshot a [-3, 3] view (a real run's); with these in the spec
  // resvg 2.6.2 aborted the process ("geom.rs: called Option::unwrap() on a None value").
  const far: [number, number][] = [[-5.48, -6.38], [-6.2, -5.56], [5.25, 6.16], [6.11, 6.65], [-2.57, -6.36], [-1.07, 6.44], [2.33, 6.1], [0.1, -6.38], [6.24, -5.03], [-6.27, 4.51],
    [-1.67, -6.79], [-0.38, 6.46], [6.2, -6.34], [-6.87, -7.57], [6.1, -4.88], [5.45, -6.3], [-7.29, 0.85], [1.01, -6.02], [1.12, 6.26], [-4.15, 6.47], [4.29, 6.38], [-5.23, -6.87],
    [2.44, 7.39], [6.69, 3.33], [-0.21, -7.44], [2.33, 6.6], [2.76, 7.1], [-7.47, 1.31], [5.07, 6.49], [-0.11, -6.48]];
  const spec = scatterChart({ real: [[0, 0], [2.9, -2.9], [3.1, 0]], generated: far }, { xDomain: [-3, 3], yDomain: [-3, 3], width: 300, height: 300 });
  assert.deepEqual(values(spec).map((v) => [v.x, v.y]), [[0, 0], [2.9, -2.9], [3.1, 0]], 'a marker straddling the edge stays');
  const { renderVegaLite } = await import('../../../kernel-helpers/src/display/vegaLiteRender');
  const png = await renderVegaLite(spec);
  assert.ok(png.width > 0 && png.png.length > 0);
});

test('heatmapChart: cells cover the grid, contour at D = 0.5 lies on the true boundary, points on top', async () => {
  // D(x) = sigmoid(x1): the 0.5 contour is the line x1 = 0.
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const spec = heatmapChart((x) => sig(3 * x), { xRange: [-2, 2], yRange: [-1, 1], n: 21, contours: [0.5], points: { real: [[0, 0]] }, valueDomain: [0, 1] });
  await compiles(spec);
  const layers = spec.layer as Array<{ data: Values }>;
  assert.equal(layers.length, 3);
  assert.equal(layers[0].data.values.length, 21 * 21);
  const segs = layers[1].data.values as Array<{ x1: number; x2: number; y1: number; y2: number }>;
  assert.equal(segs.length, 20, 'one segment per row of cells');
  for (const s of segs) {
    assert.ok(Math.abs(s.x1) < 1e-9 && Math.abs(s.x2) < 1e-9, `segment at x = ${s.x1}, ${s.x2}`);
  }
  assert.throws(() => heatmapChart((x) => x), /give opts\.xRange and opts\.yRange/);
  assert.throws(() => heatmapChart({ xs: [0, 1], ys: [0, 1], z: [[1, 2]] }), /heatmapChart: f\.z must have ys\.length = 2 rows/);
});

test('heatmapChart: contour levels of a radial function are circles of the right radius', async () => {
  const spec = heatmapChart((x, y) => x * x + y * y, { xRange: [-2, 2], yRange: [-2, 2], n: 81, contours: [1] });
  const segs = (spec.layer as Array<{ data: Values }>)[1].data.values as Array<{ x1: number; y1: number }>;
  assert.ok(segs.length > 20);
  for (const s of segs) assert.ok(Math.abs(Math.hypot(s.x1, s.y1) - 1) < 0.01, `radius ${Math.hypot(s.x1, s.y1)}`);
});

test('vectorFieldChart: arrows point along the field (screen angle), trajectories and markers', async () => {
  const spec = vectorFieldChart((x, y) => [-y, x], {
    xRange: [-1, 1],
    yRange: [-1, 1],
    n: 5,
    trajectories: { 'sim. GD': [[1, 0], [1, 0.1], [0.99, 0.2]] },
    markers: [[0, 0]],
  });
  await compiles(spec);
  const arrows = (spec.layer as Array<{ data: Values }>)[0].data.values as Array<{ x: number; y: number; x2: number; y2: number; angle: number; m: number }>;
  assert.equal(arrows.length, 25);
  for (const a of arrows) {
    if (a.m === 0) continue;
    const cx = (a.x + a.x2) / 2, cy = (a.y + a.y2) / 2;
    // direction of the arrow = direction of the field at its centre
    const [u, v] = [-cy, cx];
    const dot = (a.x2 - a.x) * u + (a.y2 - a.y) * v;
    assert.ok(dot > 0, 'arrow goes with the field');
    // the head angle is clockwise from "up": a field pointing right has angle 90
    const expected = (Math.atan2(u, v) * 180) / Math.PI;
    assert.ok(Math.abs(a.angle - expected) < 1e-3, `angle ${a.angle} vs ${expected}`);
  }
  assert.throws(() => vectorFieldChart((x, y) => [x, y], { xRange: [0, 0], yRange: [0, 1] }), /vectorFieldChart: opts\.xRange must be \[low, high\] with high > low, got \[0, 0\]/);
});

test('histogramChart: density bars integrate to 1; counts mode; curves overlay', async () => {
  const xs = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 2);
  const spec = histogramChart({ real: xs }, { bins: 20, curves: { p: { x: [-2, 0, 2], y: [0.1, 0.3, 0.1] } } });
  await compiles(spec);
  const bars = (spec.layer as Array<{ data: Values }>)[0].data.values as Array<{ x: number; x2: number; y: number }>;
  assert.equal(bars.length, 20);
  const area = bars.reduce((s, b) => s + b.y * (b.x2 - b.x), 0);
  assert.ok(Math.abs(area - 1) < 1e-4, `area ${area}`);
  const counts = histogramChart([1, 1, 2, 3], { normalize: 'count', bins: 2, extent: [1, 3] });
  const c = (counts.layer as Array<{ data: Values }>)[0].data.values.map((b) => b.y);
  assert.deepEqual(c, [2, 2]);
  assert.throws(() => histogramChart({ a: [1] }, { bins: 0 }), /histogramChart: opts\.bins must be an integer in \[1, 1000\], got 0/);
});

test('barChart: from a record or grouped rows', async () => {
  await compiles(barChart({ GAN: 3, WGAN: 8 }, { title: 'modes' }));
  const grouped = barChart([{ label: 'a', value: 1, group: 'x' }, { label: 'a', value: 2, group: 'y' }], { horizontal: true });
  await compiles(grouped);
  assert.ok('yOffset' in (grouped.encoding as object));
  assert.throws(() => barChart([]), /non-empty array/);
  assert.throws(() => barChart([{ label: 'a', value: 'x' as never }]), /barChart: values\[0\] must be \{ label: string, value: number \}/);
});

test('barChart: error bars span value - error to value + error, next to their grouped bar', async () => {
  const spec = barChart([
    { label: 'hinge', value: 0.3, error: 0.05, group: 'R1' },
    { label: 'hinge', value: 0.4, error: 0.1, group: 'SN' },
    { label: 'minimax', value: 0.5, group: 'R1' },
  ], { horizontal: true });
  await compiles(spec);
  const layer = spec.layer as { mark: { type: string } | string; encoding: Record<string, { field?: string }> }[];
  assert.equal(layer.length, 2);
  assert.equal((layer[1].mark as { type: string }).type, 'bar');
  assert.equal(layer[1].encoding.yOffset.field, 'group', 'the rule sits on its own bar of the group');
  const rows = (spec.data as { values: { lo?: number; hi?: number }[] }).values;
  assert.deepEqual([rows[0].lo, rows[0].hi], [0.25, 0.35]);
  assert.equal(rows[2].lo, undefined, 'no error, no bar');
  assert.throws(() => barChart([{ label: 'a', value: 1, error: -1 }]), /barChart: values\[0\]\.error must be a finite number >= 0, got -1/);
});

test('surfaceFigure: Plotly surface with z[j][i] = f(x_i, y_j) and an optional path', () => {
  const fig = surfaceFigure((x, y) => x - 10 * y, { xRange: [0, 1], yRange: [0, 1], n: 3, path: [[0, 0, 0], [1, 1, -9]] });
  const s = fig.data[0] as { type: string; x: number[]; y: number[]; z: number[][] };
  assert.equal(s.type, 'surface');
  assert.deepEqual(s.x, [0, 0.5, 1]);
  assert.deepEqual(s.z[2], [-10, -9.5, -9]);
  assert.equal(fig.data[1].type, 'scatter3d');
  assert.throws(() => surfaceFigure((x) => x), /give opts\.xRange and opts\.yRange/);
});

test('chartGrid: one spec with the parts side by side, config lifted, independent colour scales', async () => {
  const a = lineChart({ lossD: [1, 2] }, { title: 'a', width: 200, height: 150 });
  const b = scatterChart({ real: [[0, 0]] }, { title: 'b' });
  const c = heatmapChart((x, y) => x + y, { xRange: [0, 1], yRange: [0, 1], n: 5 });
  const grid = chartGrid([a, b, c], { columns: 2, title: 'three' });
  await compiles(grid);
  const parts = grid.concat as VegaLiteSpec[];
  assert.equal(parts.length, 3);
  assert.equal(grid.columns, 2);
  for (const p of parts) assert.ok(!('$schema' in p) && !('config' in p));
  assert.equal(grid.config, a.config);
  assert.throws(() => chartGrid([]), /non-empty array/);
});

test('chartGrid: sharedAxes puts every panel on one x and one y scale; colours stay independent', async () => {
  const a = lineChart({ s: [1, 2] }, { title: 'a' });
  const b = lineChart({ s: [10, 20] }, { title: 'b' });
  const own = chartGrid([a, b]);
  const shared = chartGrid([a, b], { sharedAxes: true });
  await compiles(shared);
  const scales = (g: VegaLiteSpec) => (g.resolve as { scale: Record<string, string> }).scale;
  assert.deepEqual(scales(own), { color: 'independent', x: 'independent', y: 'independent' });
  assert.deepEqual(scales(shared), { color: 'independent', x: 'shared', y: 'shared' });
});
