/**
 * The course's Vega-Lite specs under vega 5.33 + vega-lite 5.6.1, the versions JupyterLab
 * 4.6's `@jupyterlab/vega5-extension` bundles (the course renders its PNGs with vega 6 and
 * labels its specs `application/vnd.vegalite.v5+json`). Browser-free: vega 5 renders to SVG
 * in Node (renderer 'none'). Every spec the builders make (with the chapters' options) and
 * every frame of the live displays, the first one included, must
 *  - validate against vega-lite 5.6.1's JSON schema (only features vega-lite 5.6 knows),
 *  - compile with vega-lite 5.6.1 without warnings, and
 *  - render with vega 5.33: no exception, no empty, zero-sized or infinite view, no NaN,
 *    at about the size vega 6 gives.
 * Executed notebooks in build/test/notebooks (quick mode) or build/notebooks are checked too
 * when present: every `application/vnd.vegalite.v5+json` output.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { loadVega5, renderWithVega5 } from './vega5';
import { courseSpecs } from './courseSpecs';
import { fakeKernel, decodePng, distinctColours, Captured } from './capture';
import { renderVegaLite } from '../../../kernel-helpers/src/display/vegaLiteRender';
import { trainingDashboard, DashboardStepInfo } from '../../../kernel-helpers/src/display/trainingDashboard';
import { liveDisplay } from '../../../kernel-helpers/src/display/show';
import { setKernelWriter } from '../../../kernel-helpers/src/display/kernelTransport';
import { chartGrid, lineChart, scatterChart } from '../../../kernel-helpers/src/plot';

const VL = 'application/vnd.vegalite.v5+json';
const ROOT = path.resolve(__dirname, '../../..');

after(() => setKernelWriter(undefined));

let validator: ((spec: unknown) => string | undefined) | undefined;
/** Validates against vega-lite 5.6.1's schema; returns the first errors, or undefined. */
function validate5(spec: unknown): string | undefined {
  if (!validator) {
    const file = path.join(path.dirname(require.resolve('vega-lite5')), 'vega-lite-schema.json');
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    const check = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false, logger: false }).compile(schema);
    validator = (s) => (check(JSON.parse(JSON.stringify(s))) ? undefined : JSON.stringify(check.errors?.slice(0, 3)));
  }
  return validator(spec);
}

/** All checks for one spec; returns what failed (empty when it passed). */
async function problems(name: string, spec: unknown, compareWithVega6 = true): Promise<string[]> {
  const out: string[] = [];
  const invalid = validate5(spec);
  if (invalid) out.push(`${name}: not valid vega-lite 5.6.1: ${invalid}`);
  try {
    const r = await renderWithVega5(spec);
    if (r.warnings.length) out.push(`${name}: vega-lite 5.6.1 warns: ${r.warnings.join('; ')}`);
    if (compareWithVega6) {
      const r6 = await renderVegaLite(spec as never);
      // Legends and labels may differ by a few px; a collapsed or runaway layout may not.
      const ok = (a: number, b: number) => a >= 0.8 * b && a <= 1.25 * b;
      if (!ok(r.svgWidth, r6.width) || !ok(r.svgHeight, r6.height)) {
        out.push(`${name}: vega 5 draws ${r.svgWidth} x ${r.svgHeight}, vega 6 ${r6.width} x ${r6.height}`);
      }
    }
  } catch (e) {
    out.push(`${name}: ${(e as Error).message}`);
  }
  return out;
}

test('vega 5.33.0 and vega-lite 5.6.1 load in Node (devDependencies vega5, vega-lite5)', () => {
  const { vega, vegaLite } = loadVega5();
  assert.equal(vega.version, '5.33.0');
  assert.equal(vegaLite.version, '5.6.1');
});

test('the check catches the dashboard freeze: an empty legend with no data lays out at an infinite size', async () => {
  const spec = {
    data: { values: [] },
    mark: 'line',
    encoding: {
      x: { field: 'step', type: 'quantitative' },
      y: { field: 'value', type: 'quantitative' },
      color: { field: 'series', type: 'nominal', scale: { domain: [], range: [] }, legend: { title: null, orient: 'top-right' } },
    },
  };
  await assert.rejects(renderWithVega5(spec), /view size is Infinity/);
  // vega 6 draws it: the PNGs of the course never showed the problem.
  const r6 = await renderVegaLite(spec as never);
  assert.ok(Number.isFinite(r6.width) && r6.width > 100);
});

test('every builder spec and live-display frame validates, compiles and draws under vega 5', async () => {
  const specs = courseSpecs();
  assert.ok(specs.length >= 35, `${specs.length} specs`);
  const failed: string[] = [];
  for (const { name, spec } of specs) failed.push(...(await problems(name, spec)));
  assert.deepEqual(failed, [], `${failed.length} problems in ${specs.length} specs`);
});

function stepInfo(s: number, total: number): DashboardStepInfo {
  return { step: s, total, lossD: 1.4 - s / (2 * total), lossG: 0.7 + s / (3 * total), elapsedMs: 10 * s, penalties: { r1: 0.01 * s } };
}

/** Every message of a live output: a spec vega 5 draws, and a real PNG (the first frame too). */
async function checkMessages(msgs: Captured[], label: string): Promise<void> {
  const failed: string[] = [];
  for (const [i, m] of msgs.entries()) {
    const data = m.content.data;
    const where = `${label} message ${i} (${m.isUpdate ? 'update' : 'display'})`;
    if (data[VL] !== undefined) failed.push(...(await problems(where, data[VL], false)));
    if (data['image/png'] === undefined) failed.push(`${where}: no image/png (JupyterLab would render and store its own)`);
    else {
      const png = decodePng(data['image/png']);
      if (png.width < 100 || png.height < 50 || distinctColours(png) < 3) failed.push(`${where}: the PNG is blank or tiny (${png.width} x ${png.height})`);
      const meta = (m.content.metadata as { [k: string]: { width?: number } })['image/png'];
      if (!meta || !(meta.width! > 0)) failed.push(`${where}: no PNG size in the metadata`);
    }
  }
  assert.deepEqual(failed, []);
}

test('training dashboard in a kernel: every message, the start view included, draws under vega 5 and has a PNG', async () => {
  const msgs = fakeKernel();
  const d = trainingDashboard({
    title: 'Tiny GAN on the ring',
    every: 10,
    minIntervalMs: 0,
    pngIntervalMs: 60_000,
    samplesIntervalMs: 0,
    maxOverhead: 0,
    render: (info) => scatterChart({ real: [[0, 0], [1, 1]], generated: [[info.step / 40, 0.5]] }, { xDomain: [-3, 3], yDomain: [-3, 3] }),
  });
  await d.onStart({ total: 40 });
  // The start view: both outputs, before any loss is logged.
  assert.equal(msgs.length, 2);
  for (let s = 1; s <= 40; s++) await d.onStep(stepInfo(s, 40));
  await d.onEnd({ steps: 40, elapsedMs: 400 });
  assert.ok(msgs.length >= 6);
  await checkMessages(msgs, 'dashboard');
  // The log-axis variant's start view.
  const logMsgs = fakeKernel();
  const dl = trainingDashboard({ logY: true, minIntervalMs: 0, maxOverhead: 0 });
  await dl.onStart({ total: 10 });
  await dl.onEnd({ steps: 0, interrupted: true, elapsedMs: 1 });
  await checkMessages(logMsgs, 'log-axis dashboard');
});

test('liveDisplay frames (a chapter\'s chart grid at step 0) draw under vega 5 and carry a PNG', async () => {
  const msgs = fakeKernel();
  const live = liveDisplay({ name: 'ring' });
  const coverage: Array<[number, number]> = [];
  for (const step of [0, 100]) {
    coverage.push([step, step / 50]);
    await live.update(chartGrid([
      scatterChart({ real: [[2, 0], [0, 2]], generated: [[0.1, 0.1]] }, { title: `Step ${step}`, xDomain: [-3, 3], yDomain: [-3, 3], width: 300, height: 300 }),
      lineChart({ 'modes hit': [...coverage] }, { title: 'Modes hit (of 8)', xTitle: 'step', yDomain: [0, 8], width: 300, height: 300 }),
    ]));
  }
  assert.equal(msgs.length, 2);
  await checkMessages(msgs, 'liveDisplay');
});

/** The Vega-Lite outputs of executed notebooks, if a test or start run left any. */
function notebookSpecs(): Array<{ name: string; spec: unknown }> {
  const out: Array<{ name: string; spec: unknown }> = [];
  for (const dir of ['build/test/notebooks', 'build/notebooks']) {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs).filter((n) => n.endsWith('.ipynb')).sort()) {
      const nb = JSON.parse(fs.readFileSync(path.join(abs, f), 'utf8')) as { cells: Array<{ outputs?: Array<{ data?: { [k: string]: unknown } }> }> };
      nb.cells.forEach((cell, c) =>
        (cell.outputs ?? []).forEach((o, k) => {
          if (o.data?.[VL] !== undefined) out.push({ name: `${dir}/${f} cell ${c} output ${k}`, spec: o.data[VL] });
        }),
      );
    }
  }
  return out;
}

test('executed notebooks: every Vega-Lite output draws under vega 5', async (t) => {
  const specs = notebookSpecs();
  if (specs.length === 0) {
    t.skip('no executed notebooks in build/test/notebooks or build/notebooks');
    return;
  }
  const failed: string[] = [];
  for (const { name, spec } of specs) failed.push(...(await problems(name, spec, false)));
  assert.deepEqual(failed, [], `${failed.length} problems in ${specs.length} notebook outputs`);
});
