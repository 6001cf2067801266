import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { show, liveDisplay } from '../../../kernel-helpers/src/display/show';
import { latex, markdown, table, images } from '../../../kernel-helpers/src/display/showable';
import { setKernelWriter, inKernel } from '../../../kernel-helpers/src/display/kernelTransport';
import { lineChart } from '../../../kernel-helpers/src/plot/lineChart';
import { surfaceFigure } from '../../../kernel-helpers/src/plot/surfaceFigure';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fakeKernel, captureLog, decodePng, distinctColours } from './capture';

const VL = 'application/vnd.vegalite.v5+json';
const PLOTLY = 'application/vnd.plotly.v1+json';

afterEach(() => {
  setKernelWriter(undefined);
  delete process.env.GAN_COURSE_FIGURES_DIR;
});

const chart = () =>
  lineChart({ lossD: [1.4, 1.2, 1.3, 1.1, 1.25], lossG: [0.9, 1.0, 0.8, 0.85, 0.7] }, { title: 'Losses', yTitle: 'loss' });

test('a Vega-Lite chart goes out as one bundle: vega-lite + PNG + text/plain, nothing else', async () => {
  const msgs = fakeKernel();
  await show(chart());
  assert.equal(msgs.length, 1);
  const { content, isUpdate } = msgs[0];
  assert.equal(isUpdate, false);
  assert.deepEqual(Object.keys(content.data).sort(), [VL, 'image/png', 'text/plain'].sort());
  assert.ok(!('text/html' in content.data) && !('image/svg+xml' in content.data));
  assert.equal((content.data[VL] as { $schema: string }).$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
  assert.match(String(content.data['text/plain']), /Losses/);
  const png = decodePng(content.data['image/png']);
  assert.ok(png.width >= 300 && png.width <= 1200, `PNG width ${png.width}`);
  assert.ok(png.height >= 200 && png.height <= 900, `PNG height ${png.height}`);
  assert.deepEqual(content.metadata['image/png'], { width: png.width, height: png.height });
  assert.ok(distinctColours(png) > 10, 'the PNG is not blank');
  assert.equal(content.transient, undefined);
});

test('scale 2 renders twice the pixels but keeps the CSS size in metadata', async () => {
  const msgs = fakeKernel();
  await show(chart(), { scale: 2 });
  const png = decodePng(msgs[0].content.data['image/png']);
  const meta = msgs[0].content.metadata['image/png'] as { width: number; height: number };
  assert.ok(Math.abs(png.width - 2 * meta.width) <= 1);
});

test('the kernel writer is found through require.cache (tslab/dist/jupyter.js)', async () => {
  const key = path.join(os.tmpdir(), 'fake', 'node_modules', 'tslab', 'dist', 'jupyter.js');
  const got: unknown[] = [];
  const mod = { id: key, exports: { lastWriteDisplayData: (c: unknown, u: boolean) => got.push([c, u]) } };
  (require.cache as unknown as Record<string, unknown>)[key] = mod;
  try {
    setKernelWriter(undefined);
    assert.equal(inKernel(), true);
    await show('hello');
    assert.equal(got.length, 1);
    const [content, update] = got[0] as [{ data: Record<string, unknown> }, boolean];
    assert.deepEqual(content.data, { 'text/plain': 'hello' });
    assert.equal(update, false);
    // Before the kernel's first execution the export is null: no kernel.
    mod.exports.lastWriteDisplayData = null as never;
    assert.equal(inKernel(), false);
  } finally {
    delete (require.cache as unknown as Record<string, unknown>)[key];
  }
});

test('liveDisplay: first update is display_data, later ones update_display_data with the same display_id', async () => {
  const msgs = fakeKernel();
  const live = liveDisplay();
  const other = liveDisplay();
  await live.update('step 1');
  await live.update(chart());
  await live.update('step 3');
  await other.update('x');
  assert.deepEqual(msgs.map((m) => m.isUpdate), [false, true, true, false]);
  assert.equal(msgs[0].content.transient?.display_id, live.id);
  assert.equal(msgs[1].content.transient?.display_id, live.id);
  assert.equal(msgs[2].content.data['text/plain'], 'step 3');
  assert.notEqual(other.id, live.id);
  assert.equal(msgs[3].content.transient?.display_id, other.id);
  assert.ok(VL in msgs[1].content.data && 'image/png' in msgs[1].content.data);
  assert.equal(live.updates, 3);
});

test('an array of charts is one output with the charts side by side (not a table)', async () => {
  const msgs = fakeKernel();
  await show([chart(), chart()]);
  assert.equal(msgs.length, 1);
  const spec = msgs[0].content.data[VL] as { concat: unknown[] };
  assert.equal(spec.concat.length, 2);
  assert.ok('image/png' in msgs[0].content.data);
});

test('tables: markdown + aligned plain text; numbers rounded; long tables cut', async () => {
  const msgs = fakeKernel();
  await show([{ method: 'GAN', fid: 12.34567, modes: 6 }, { method: 'WGAN-GP', fid: 3.2, modes: 8 }]);
  const d = msgs[0].content.data;
  assert.deepEqual(Object.keys(d).sort(), ['text/markdown', 'text/plain']);
  assert.equal(String(d['text/markdown']).split('\n')[0], '| method | fid | modes |');
  assert.match(String(d['text/markdown']), /\| GAN \| 12\.35 \| 6 \|/);
  assert.match(String(d['text/plain']), /WGAN-GP\s+3\.2\s+8/);
  await show(table(Array.from({ length: 30 }, (_, i) => ({ i })), { maxRows: 5 }));
  assert.match(String(msgs[1].content.data['text/plain']), /25 more rows/);
});

test('LaTeX and Markdown', async () => {
  const msgs = fakeKernel();
  await show(latex('\\frac{1}{2}'));
  await show(latex('$x^2$'));
  await show(markdown('**bold**'));
  assert.equal(msgs[0].content.data['text/latex'], '$$\\frac{1}{2}$$');
  assert.equal(msgs[1].content.data['text/latex'], '$x^2$');
  assert.equal(msgs[2].content.data['text/markdown'], '**bold**');
  for (const m of msgs) assert.ok('text/plain' in m.content.data);
});

test('image grids from a tensor in [-1, 1]: -1 is black, 1 is white, grid geometry as documented', async () => {
  const msgs = fakeKernel();
  const n = 5, h = 4, w = 3;
  const data = new Float32Array(n * h * w);
  for (let k = 0; k < n; k++) for (let i = 0; i < h * w; i++) data[k * h * w + i] = i === 0 ? -1 : 1;
  await show({ shape: [n, h, w], dataSync: () => data }); // tensor-like
  const d = msgs[0].content.data;
  assert.deepEqual(Object.keys(d).sort(), ['image/png', 'text/plain']);
  const png = decodePng(d['image/png']);
  // 5 images -> 3 columns, 2 rows; pixel scale ceil(56 / 4) = 14; gap 2
  assert.equal(png.width, 3 * 3 * 14 + 4 * 2);
  assert.equal(png.height, 2 * 4 * 14 + 3 * 2);
  const at = (x: number, y: number) => png.data[(y * png.width + x) * 4];
  assert.equal(at(2, 2), 0, 'first pixel of first image (value -1) is black');
  assert.equal(at(2 + 14, 2), 255, 'second pixel (value 1) is white');
  assert.match(String(d['text/plain']), /5 images/);
});

test('image grids from a real tfjs tensor [N, H, W, 1] in [0, 1]', async () => {
  await tf.setBackend('cpu');
  const msgs = fakeKernel();
  const t = tf.tensor4d([0, 0.5, 1, 1, 0.5, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1], [2, 3, 3, 1]);
  await show(images(t, { pixelScale: 1, gap: 0, cols: 2 }));
  t.dispose();
  const png = decodePng(msgs[0].content.data['image/png']);
  assert.equal(png.width, 6);
  assert.equal(png.height, 3);
  assert.deepEqual([0, 1, 2].map((x) => png.data[x * 4]), [0, 128, 255]);
});

test('image grids: RGB nested arrays in [0, 1], and bad channel counts are rejected', async () => {
  const msgs = fakeKernel();
  const px = [1, 0, 0];
  const img = [[px, px], [px, px]];
  await show(images([img, img], { pixelScale: 1, gap: 0 }));
  const png = decodePng(msgs[0].content.data['image/png']);
  assert.equal(png.width, 4);
  assert.deepEqual([...png.data.subarray(0, 3)], [255, 0, 0]);
  await assert.rejects(show({ shape: [2, 4, 4, 2], dataSync: () => new Float32Array(64) }), /channel dimension must be 1 or 3/);
});

test('a Plotly figure carries the plotly type and text/plain, never HTML', async () => {
  const msgs = fakeKernel();
  await show(surfaceFigure((x, y) => x * y, { xRange: [-1, 1], yRange: [-1, 1], n: 12, title: 'V = xy' }));
  const d = msgs[0].content.data;
  assert.ok(PLOTLY in d && 'text/plain' in d);
  assert.ok(!('text/html' in d));
  const fig = d[PLOTLY] as { data: Array<{ type: string; z: number[][] }> };
  assert.equal(fig.data[0].type, 'surface');
  assert.equal(fig.data[0].z.length, 12);
  assert.match(String(d['text/plain']), /Plotly surface: V = xy/);
  // PNG drawn without Plotly, at the layout's size
  const png = decodePng(d['image/png']);
  assert.equal(png.width, 560);
  assert.equal(png.height, 460);
  assert.ok(distinctColours(png) > 20);
});

test('Plotly 2D traces get a PNG through Vega-Lite; unsupported traces get none, and text/plain says so', async () => {
  const msgs = fakeKernel();
  await show({ data: [{ type: 'scatter', x: [0, 1, 2], y: [1, 3, 2], name: 'loss' }], layout: { title: 'curve' } });
  assert.ok('image/png' in msgs[0].content.data);
  decodePng(msgs[0].content.data['image/png']);
  await show({ data: [{ type: 'pie', values: [1, 2] }] });
  assert.deepEqual(Object.keys(msgs[1].content.data).sort(), [PLOTLY, 'text/plain']);
  assert.match(String(msgs[1].content.data['text/plain']), /no static image/);
  await assert.rejects(show({ data: [] }), /a Plotly figure needs data: a non-empty array of traces/);
});

test('outside a kernel: prints one summary line, renders no PNG unless figures are saved', async () => {
  setKernelWriter(null);
  const lines = await captureLog(() => show(chart()));
  assert.deepEqual(lines, ['[Vega-Lite line: Losses]']);
});

test('outside a kernel with GAN_COURSE_FIGURES_DIR: writes PNG and spec files', async () => {
  setKernelWriter(null);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'figs-'));
  process.env.GAN_COURSE_FIGURES_DIR = dir;
  const lines = await captureLog(async () => {
    await show(chart(), { name: 'losses' });
    await show([{ a: 1 }], { name: 'tab' });
    const live = liveDisplay({ name: 'live' });
    await live.update('one');
    await live.update(chart());
  });
  assert.ok(fs.existsSync(path.join(dir, 'losses.png')));
  decodePng(fs.readFileSync(path.join(dir, 'losses.png')));
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'losses.vl.json'), 'utf8'));
  assert.equal(spec.title, 'Losses');
  assert.match(fs.readFileSync(path.join(dir, 'tab.md'), 'utf8'), /\| a \|/);
  assert.ok(fs.existsSync(path.join(dir, 'live.png')), 'live display files overwrite one name');
  assert.equal(lines[0], `[Vega-Lite line: Losses] -> ${path.join(dir, 'losses.png')}`);
  fs.rmSync(dir, { recursive: true });
});

test('bad input: an unknown object names what show accepts', async () => {
  fakeKernel();
  for (const bad of [{ foo: 1 }, undefined, null, [], [1, 2, 3], () => 1, new Map()]) {
    await assert.rejects(show(bad), (e: Error) => {
      assert.match(e.message, /^show\(x\): cannot display/);
      assert.match(e.message, /Vega-Lite spec/);
      assert.match(e.message, /Plotly figure/);
      assert.match(e.message, /array of records/);
      return true;
    });
  }
  await assert.rejects(show({ foo: 1 }), /an object with keys \[foo\]/);
});

test('bad input: an invalid Vega-Lite spec fails with vega-lite\'s message', async () => {
  fakeKernel();
  await assert.rejects(show({ mark: 'nonsense', data: { values: [] } }), /nonsense/i);
});
