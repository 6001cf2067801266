/**
 * Every kind of Vega-Lite spec the course sends to a front end, built by the chart builders
 * with the options the chapters use, plus the first frame (and later frames) of every live
 * display: the training dashboard (with and without penalties, log axis, samples panel) and
 * the `liveDisplay` frames the chapters build (a chart grid whose curves have one point).
 * Used to check the specs under other renderers (vega 5, see vegaLite5.test.ts).
 */
import {
  barChart, chartGrid, heatmapChart, histogramChart, lineChart, scatterChart, vectorFieldChart, VegaLiteSpec,
} from '../../../kernel-helpers/src/plot';
import { dashboardSpec, DashboardStepInfo } from '../../../kernel-helpers/src/display/trainingDashboard';

export interface NamedSpec {
  name: string;
  spec: VegaLiteSpec;
}

const ring = (n: number, r = 2, jitter = 0.1): Array<[number, number]> =>
  Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * (i % 8)) / 8;
    const e = Math.sin(i * 12.9898) * jitter;
    return [r * Math.cos(a) + e, r * Math.sin(a) - e];
  });
const steps = (n: number, f: (i: number) => number): Array<[number, number]> => Array.from({ length: n }, (_, i) => [i * 10, f(i)]);
const sig = (x: number): number => 1 / (1 + Math.exp(-x));

function dashboardFrames(): NamedSpec[] {
  const start: DashboardStepInfo = { step: 0, total: 400, lossD: NaN, lossG: NaN, elapsedMs: 0 };
  const curve = (n: number, extra: string[] = []) =>
    Array.from({ length: n }, (_, i) => [
      { step: 2 * i + 2, series: 'lossD', value: 1.3 - i / (n + 1) },
      { step: 2 * i + 2, series: 'lossG', value: 0.7 + i / (n + 1) },
      ...extra.map((s) => ({ step: 2 * i + 2, series: s, value: 0.01 * (i + 1) })),
    ]).flat();
  const at = (step: number): DashboardStepInfo => ({ step, total: 400, lossD: 1, lossG: 0.8, elapsedMs: step * 5 });
  return [
    { name: 'dashboard: first frame (no data yet)', spec: dashboardSpec('Tiny GAN on the ring', start, [], { state: 'starting' }) },
    { name: 'dashboard: first frame, no title', spec: dashboardSpec(undefined, start, [], { state: 'starting' }) },
    { name: 'dashboard: first frame, log axis', spec: dashboardSpec('WGAN', start, [], { logY: true, state: 'starting' }) },
    { name: 'dashboard: first frame, no total', spec: dashboardSpec('?', { ...start, total: 0 }, [], { state: 'starting' }) },
    { name: 'dashboard: one logged step', spec: dashboardSpec('Tiny GAN on the ring', at(2), curve(1)) },
    { name: 'dashboard: mid-run', spec: dashboardSpec('Tiny GAN on the ring', at(200), curve(100)) },
    { name: 'dashboard: penalties', spec: dashboardSpec('R3GAN', at(200), curve(100, ['r1', 'r2'])) },
    { name: 'dashboard: log axis, mid-run', spec: dashboardSpec('WGAN', at(200), curve(100), { logY: true }) },
    { name: 'dashboard: log axis, only non-positive losses', spec: dashboardSpec('WGAN', at(2), [{ step: 2, series: 'lossD', value: -1 }], { logY: true }) },
    { name: 'dashboard: done', spec: dashboardSpec('Tiny GAN on the ring', { ...at(400), step: 400 }, curve(200), { state: 'done in 0:02' }) },
    { name: 'dashboard: interrupted', spec: dashboardSpec(undefined, at(120), curve(60), { state: 'interrupted at step 120 after 0:01' }) },
  ];
}

/** The builders' specs, with the options the chapters use. */
function builderSpecs(): NamedSpec[] {
  const grid = (f: (x: number, y: number) => number) => heatmapChart(f, { xRange: [-3, 3], yRange: [-3, 3], n: 30, contours: [0.5], valueDomain: [0, 1], valueTitle: 'D(x)', points: { real: ring(60), generated: ring(60, 1.5) } });
  const small = { width: 260, height: 200 };
  const methods = ['simultaneous', 'alternating', 'extragradient', 'optimistic'];
  const spiral = (k: number) => Array.from({ length: 30 }, (_, i) => [Math.cos(i / 5 + k) * (1 + 0.02 * i * k), Math.sin(i / 5 + k) * (1 + 0.02 * i * k)] as [number, number]);
  return [
    { name: 'lineChart: losses', spec: lineChart({ lossD: steps(200, (i) => 1.4 - i / 400), lossG: steps(200, (i) => 0.7 + i / 500) }, { title: 'Losses', xTitle: 'step' }) },
    { name: 'lineChart: one series', spec: lineChart({ 'FD': steps(5, (i) => 100 / (i + 1)) }, { title: 'Fréchet distance', yTitle: 'FD' }) },
    { name: 'lineChart: one point', spec: lineChart({ 'modes hit': [[0, 0]] }, { title: 'Modes hit (of 8)', xTitle: 'step', yDomain: [0, 8], width: 300, height: 300 }) },
    { name: 'lineChart: log y, dashed, legend title', spec: lineChart(Object.fromEntries([['flow', steps(100, () => 1)], ...methods.map((m, k) => [m, steps(100, (i) => Math.exp((k - 1.5) * i / 50))])]), { title: 'Distance to the equilibrium', xTitle: 'step', yTitle: '‖(x, y)‖', logY: true, dashed: ['flow'], legendTitle: 'method' }) },
    { name: 'lineChart: log x, subtitle', spec: lineChart({ 'FD': [[0.1, 30], [1, 10], [10, 20]], 'reference': [[0.1, 15], [10, 15]] }, { title: 'TTUR sweep', subtitle: 'lrD / lrG', xTitle: 'ratio', logX: true, dashed: ['reference'] }) },
    { name: 'lineChart: fixed y domain, many points', spec: lineChart({ 'no bonus': Array.from({ length: 3000 }, (_, i) => 0.05 * Math.exp(-i / 500)), 'annealed': Array.from({ length: 3000 }, (_, i) => 0.5 - 0.45 * Math.exp(-i / 500)) }, { title: 'Two-point toy', subtitle: 'start q = 0.05', yTitle: 'q', yDomain: [0, 0.6] }) },
    { name: 'lineChart: series without finite values', spec: lineChart({ lossD: [NaN, NaN] }, { title: 'nothing yet' }) },
    { name: 'lineChart: log y, nothing positive', spec: lineChart({ a: [0, -1], b: [-2, 0] }, { logY: true }) },
    { name: 'scatterChart: real vs generated', spec: scatterChart({ real: ring(500), generated: ring(500, 1.8, 0.3) }, { xDomain: [-3, 3], yDomain: [-3, 3] }) },
    { name: 'scatterChart: titled, free domains', spec: scatterChart({ data: ring(100) }, { title: 'Step 0: 1/8 modes', subtitle: '0% high quality', width: 300, height: 300 }) },
    { name: 'scatterChart: one point', spec: scatterChart({ generated: [[0, 0]] }) },
    { name: 'heatmapChart: D(x) with contour and points', spec: grid((x, y) => sig(x + y)) },
    { name: 'heatmapChart: contour count, redblue', spec: heatmapChart((x, y) => x * y, { xRange: [-2, 2], yRange: [-2, 2], n: 40, contours: 8, scheme: 'redblue', valueTitle: 'V', title: 'V(θ, ψ) = θψ' }) },
    { name: 'heatmapChart: constant grid', spec: heatmapChart({ xs: [0, 1], ys: [0, 1], z: [[1, 1], [1, 1]] }, { title: 'flat' }) },
    { name: 'heatmapChart: transport plan', spec: heatmapChart({ xs: [0, 1, 2, 3], ys: [0, 1, 2, 3], z: [[0.25, 0, 0, 0], [0, 0.25, 0, 0], [0, 0, 0.25, 0], [0, 0, 0, 0.25]] }, { title: 'Optimal transport plan Pᵢⱼ', xTitle: 'i', yTitle: 'j', scheme: 'blues' }) },
    { name: 'vectorFieldChart: with trajectories and marker', spec: vectorFieldChart((x, y) => [-y, x], { xRange: [-2.2, 2.2], yRange: [-2.2, 2.2], n: 15, trajectories: Object.fromEntries(methods.map((m, k) => [m, spiral(k)])), markers: [[0, 0]], title: 'min_x max_y xy', subtitle: 'η = 0.1', xTitle: 'x (minimiser)', yTitle: 'y (maximiser)', width: 420, height: 420 }) },
    { name: 'vectorFieldChart: scaled, small', spec: vectorFieldChart((x, y) => [x, -y], { xRange: [-2, 2], yRange: [-2, 2], n: 13, lengths: 'scaled', width: 250, height: 250, title: 'GAN', xTitle: 'θ', yTitle: 'ψ' }) },
    { name: 'vectorFieldChart: zero field', spec: vectorFieldChart(() => [0, 0], { xRange: [-1, 1], yRange: [-1, 1] }) },
    { name: 'histogramChart: with curves', spec: histogramChart({ real: ring(400).map((p) => p[0]), generated: ring(400, 1).map((p) => p[1]) }, { bins: 30, curves: { 'p_data': { x: [-2, 0, 2], y: [0.1, 0.3, 0.1] } }, title: 'Histograms' }) },
    { name: 'histogramChart: counts', spec: histogramChart([1, 1, 2, 3], { normalize: 'count', bins: 2, extent: [1, 3] }) },
    { name: 'histogramChart: one value', spec: histogramChart([2]) },
    { name: 'barChart: plain', spec: barChart({ GAN: 3, WGAN: 8, 'WGAN-GP': 8 }, { title: 'Modes hit', yTitle: 'modes' }) },
    { name: 'barChart: grouped, horizontal', spec: barChart([{ label: 'ring', value: 1, group: 'GAN' }, { label: 'ring', value: 2, group: 'WGAN' }, { label: 'grid', value: 3, group: 'GAN' }], { horizontal: true }) },
    { name: 'barChart: error bars, long labels', spec: barChart([{ label: 'non-saturating', value: 5, error: 1 }, { label: 'least squares', value: 6, error: 0.5 }, { label: 'hinge', value: 7 }], { title: 'FD over seeds' }) },
    { name: 'barChart: all zero', spec: barChart({ a: 0, b: 0 }) },
    { name: 'chartGrid: densities and D (live frame)', spec: chartGrid([
      lineChart({ 'p_data': steps(50, (i) => Math.exp(-((i - 25) ** 2) / 50)), 'p_g (KDE)': steps(50, (i) => Math.exp(-((i - 20) ** 2) / 60)) }, { title: 'Densities, step 0', xTitle: 'x', yTitle: 'density', ...small }),
      lineChart({ 'D(x) learned': steps(50, (i) => sig(i / 10 - 2)), 'D*(x) of current G': steps(50, (i) => sig(i / 12 - 2)) }, { title: 'Discriminator', xTitle: 'x', yTitle: 'D(x)', yDomain: [0, 1], ...small }),
      lineChart({ lossD: [[0, 1.38]], lossG: [[0, 0.69]] }, { title: 'Losses', xTitle: 'step', ...small }),
    ], { columns: 3 }) },
    { name: 'chartGrid: ring frame 0 (live)', spec: chartGrid([
      scatterChart({ real: ring(500), generated: ring(500, 0.2, 0.2) }, { title: 'Step 0: 1/8 modes, 0% high quality', xDomain: [-3, 3], yDomain: [-3, 3], width: 300, height: 300 }),
      lineChart({ 'modes hit': [[0, 1]] }, { title: 'Modes hit (of 8)', xTitle: 'step', yDomain: [0, 8], width: 300, height: 300 }),
    ]) },
    { name: 'chartGrid: shared axes, columns, title', spec: chartGrid(methods.map((m, k) => vectorFieldChart((x, y) => [-y + 0.1 * k * x, x], { xRange: [-2, 2], yRange: [-2, 2], n: 13, width: 250, height: 250, title: m, markers: [[0, 0]], trajectories: { simultaneous: spiral(k), alternating: spiral(k + 1) } })), { columns: 2, sharedAxes: true, title: 'Dirac GAN' }) },
  ];
}

/** All specs, named. */
export function courseSpecs(): NamedSpec[] {
  return [...dashboardFrames(), ...builderSpecs()];
}
