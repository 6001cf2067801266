/**
 * The course in JupyterLab's own notebook panel: a minimal app built from JupyterLab 4.6's npm
 * packages (test/jupyterlab/app, bundled here with esbuild) against Debian's classic notebook
 * server (its REST + kernel websocket API; token auth, loopback only), driven in Debian's
 * Chromium by playwright-core. Each chapter is opened through the contents API, run in quick
 * mode (GAN_COURSE_QUICK=1 in the server's environment) through the course's tslab
 * kernelspec (.jupyter-local), and the test fails on:
 *   - a console error or an uncaught page exception, or a crashed tab;
 *   - a tab that stops answering (a watchdog evaluates in the page every 2 s, 15 s timeout);
 *   - a cell error;
 *   - a Vega-Lite or Plotly output that did not become a chart, or a chart that is empty or
 *     zero-sized;
 *   - a PNG written into an output by the front end (JupyterLab's vega renderer writes its own
 *     PNG back when an output has none; the notebook 00 dashboard freeze was that loop), seen
 *     live (OutputModel.setData) and in the notebook saved to disk, whose every image/png must
 *     be one the kernel sent.
 * It saves a screenshot of every chart under build/test/jupyterlab-screenshots/, and after the
 * checks hovers each Plotly chart (JupyterLab's Plotly renderer shows the PNG until then) and
 * saves the live drawing too.
 *
 * Skips, saying why, where Chromium, the notebook server, the npm packages or the kernelspec
 * are missing; with GAN_COURSE_REQUIRE_BROWSER=1 (CI) it fails instead.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const LOCAL = path.join(ROOT, '.jupyter-local');
const WORK = path.join(ROOT, 'build', 'test', 'jupyterlab');
const SHOTS = path.join(ROOT, 'build', 'test', 'jupyterlab-screenshots');
const CHROMIUM = process.env.GAN_COURSE_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRE = process.env.GAN_COURSE_REQUIRE_BROWSER === '1';
/** A fixture: one Vega-Lite output sent without image/png, which JupyterLab's renderer fills in. */
const WRITEBACK = 'vega-without-png.ipynb';
const CHAPTER_TIMEOUT_MS = 240_000;
/**
 * Chapters open at once, each in its own tab with its own kernel (GAN_COURSE_PANEL_JOBS,
 * default 2, as the notebook stage runs them): one wasm thread per kernel when several run.
 */
const JOBS = Math.max(1, Number.parseInt(process.env.GAN_COURSE_PANEL_JOBS ?? '2', 10) || 1);
/** Chapters to open (default: every notebooks/NN-*.ipynb); GAN_COURSE_PANEL_CHAPTERS=00,03,07 narrows it. */
const only = (process.env.GAN_COURSE_PANEL_CHAPTERS ?? '').split(',').filter(Boolean);
const chapters = fs
  .readdirSync(path.join(ROOT, 'notebooks'))
  .filter((f) => /^\d\d-.*\.ipynb$/.test(f) && (only.length === 0 || only.some((c) => f.startsWith(c))))
  .sort();

function missingPrerequisite(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium)`;
  const v = spawnSync('jupyter', ['notebook', '--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return 'the classic notebook server is not installed (Debian: apt-get install jupyter-notebook)';
  for (const m of ['playwright-core', '@jupyterlab/notebook', '@jupyterlab/vega5-extension', 'jupyterlab-plotly/package.json']) {
    try {
      require.resolve(m, { paths: [ROOT] });
    } catch {
      return `npm package ${m} is not installed (npm ci)`;
    }
  }
  if (!fs.existsSync(path.join(LOCAL, 'kernels', 'tslab', 'kernel.json'))) return 'the kernelspec is not installed (run: node cli/dist/main.js kernel install)';
  return null;
}

const missing = missingPrerequisite();
if (missing) console.log(`# jupyterlab panel ${REQUIRE ? 'cannot run' : 'skipped'}: ${missing}`);

if (missing && REQUIRE) {
  test('the JupyterLab panel test has what it needs (GAN_COURSE_REQUIRE_BROWSER=1)', () => {
    assert.fail(`the JupyterLab panel test cannot run: ${missing}`);
  });
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the value, or rejects after `ms` (the page did not answer). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    }),
  ]);
}

/** Width and height from a base64 PNG's IHDR, or null. */
function pngSize(b64: string): { w: number; h: number } | null {
  const b = Buffer.from(b64.slice(0, 64), 'base64');
  if (b.length < 24 || b.subarray(1, 4).toString('latin1') !== 'PNG') return null;
  return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
}

let server: ChildProcess | null = null;
let serverLog = '';
let baseUrl = '';
let token = '';
let browser: any = null;
const timings: string[] = [];

before(
  async () => {
    if (missing) return;
    const t0 = Date.now();
    fs.rmSync(WORK, { recursive: true, force: true });
    fs.mkdirSync(path.join(WORK, 'notebooks'), { recursive: true });
    fs.rmSync(SHOTS, { recursive: true, force: true });
    fs.mkdirSync(SHOTS, { recursive: true });
    // The chapters are run from copies (inside the checkout, so kernel-helpers resolves), never in place.
    for (const c of chapters) fs.copyFileSync(path.join(ROOT, 'notebooks', c), path.join(WORK, 'notebooks', c));
    fs.copyFileSync(path.join(__dirname, 'fixtures', WRITEBACK), path.join(WORK, 'notebooks', WRITEBACK));
    const { buildPanelApp } = await import('./build');
    await buildPanelApp(path.join(WORK, 'static', 'ganpanel'));
    const tBuild = Date.now();

    token = crypto.randomBytes(24).toString('hex');
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      JUPYTER_PATH: [LOCAL, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
      JUPYTER_CONFIG_DIR: path.join(WORK, 'config'),
      JUPYTER_RUNTIME_DIR: path.join(WORK, 'runtime'),
      JUPYTER_DATA_DIR: path.join(WORK, 'data'),
      GAN_COURSE_QUICK: '1',
      ...(JOBS > 1 && !process.env.GAN_COURSE_WASM_THREADS ? { GAN_COURSE_WASM_THREADS: '1' } : {}),
    };
    const args = [
      'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
      `--NotebookApp.token=${token}`, "--NotebookApp.password=''", `--notebook-dir=${WORK}`,
      `--NotebookApp.extra_static_paths=${JSON.stringify([path.join(WORK, 'static')])}`,
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ];
    server = spawn('jupyter', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d) => (serverLog += d));
    server.stderr!.on('data', (d) => (serverLog += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the notebook server exited (${server.exitCode}):\n${serverLog.slice(-3000)}`);
      try {
        const r = await fetch(`${baseUrl}/api/status`, { headers: { Authorization: `token ${token}` } });
        if (r.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`the notebook server did not answer within 60 s:\n${serverLog.slice(-3000)}`);
      await sleep(250);
    }
    const tServer = Date.now();
    const { chromium } = require(require.resolve('playwright-core', { paths: [ROOT] }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-swiftshader'],
    });
    timings.push(`bundle ${((tBuild - t0) / 1000).toFixed(1)} s, server ${((tServer - tBuild) / 1000).toFixed(1)} s, browser ${((Date.now() - tServer) / 1000).toFixed(1)} s`);
  },
  { timeout: 180_000 },
);

after(async () => {
  if (browser) await browser.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    const t = Date.now();
    while (server.exitCode === null && Date.now() - t < 10_000) await sleep(100);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  for (const t of timings) console.log(`# ${t}`);
});

interface ChartInfo {
  id: string;
  cell: number;
  kind: 'vega' | 'plotly';
  w: number;
  h: number;
  /** vega: drawn pixels on the canvas (or SVG elements); plotly: the PNG's natural width */
  ink: number;
  problem: string | null;
  /** pixels by which the drawing is wider than its output area (> 0: it scrolls sideways) */
  overflow: number;
}

/** Opens notebooks/<chapter> (a copy under WORK) in the panel, runs it, checks it; returns the problems found. */
async function runInPanel(chapter: string): Promise<string[]> {
    const name = chapter.replace(/\.ipynb$/, '');
    const t0 = Date.now();
    const problems: string[] = [];
    const consoleErrors: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    let crashed = false;
    page.on('console', (m: any) => {
      if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 500));
    });
    page.on('pageerror', (e: any) => consoleErrors.push(`page exception: ${String(e?.stack ?? e).slice(0, 800)}`));
    page.on('crash', () => (crashed = true));
    let maxHeap = 0;
    /** The watchdog: the page must answer every poll. */
    const poll = async (): Promise<{ state: string; error: string | null; done: number; writes: number }> => {
      if (crashed) throw new Error('the tab crashed');
      const s = await within<any>(
        page.evaluate(() => {
          const p = (window as any).__panel;
          const heap = (performance as any).memory?.usedJSHeapSize ?? 0;
          return p ? { state: p.state, error: p.error, done: p.cellsDone, writes: p.pngWrites.length, heap } : { state: 'loading', error: null, done: 0, writes: 0, heap };
        }),
        15_000,
        'the tab stopped answering',
      );
      maxHeap = Math.max(maxHeap, s.heap);
      return s;
    };
    try {
      const url = `${baseUrl}/static/ganpanel/index.html?path=${encodeURIComponent(`notebooks/${chapter}`)}&token=${token}`;
      await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
      let s = await poll();
      const deadline = t0 + CHAPTER_TIMEOUT_MS;
      while (s.state === 'loading') {
        if (Date.now() > deadline) throw new Error('the notebook and its kernel did not load');
        await sleep(500);
        s = await poll();
      }
      if (s.state === 'failed') throw new Error(`the panel failed to start: ${s.error}`);
      const tReady = Date.now();
      await within(page.evaluate(() => (window as any).__panel.runAll()), 15_000, 'the tab stopped answering');
      for (;;) {
        await sleep(2000);
        s = await poll();
        if (s.state === 'done' || s.state === 'failed') break;
        if (Date.now() > deadline) throw new Error(`still running after ${CHAPTER_TIMEOUT_MS / 1000} s (${s.done} cells done)`);
      }
      if (s.state === 'failed') problems.push(`a cell failed: ${s.error}`);
      const tRun = Date.now();
      // Let the renderers finish (vega-embed renders asynchronously), and keep watching.
      for (let i = 0; i < 3; i++) {
        await sleep(1000);
        await poll();
      }

      // Every rich output became a chart with a size and something drawn in it.
      const charts: ChartInfo[] = await within(
        page.evaluate(() => {
          const p = (window as any).__panel;
          const out: any[] = [];
          const cells = p.panel.content.widgets;
          for (let ci = 0; ci < cells.length; ci++) {
            const node: HTMLElement = cells[ci].node;
            const els = node.querySelectorAll('.jp-RenderedVegaCommon5, .jp-RenderedPlotly');
            els.forEach((el: Element, k: number) => {
              const id = `c${String(ci).padStart(2, '0')}-${k}`;
              el.setAttribute('data-chart-id', id);
              const kind = el.classList.contains('jp-RenderedPlotly') ? 'plotly' : 'vega';
              const r = el.getBoundingClientRect();
              let ink = 0;
              let problem: string | null = null;
              if (kind === 'vega') {
                const canvas = el.querySelector('canvas') as HTMLCanvasElement | null;
                const svg = el.querySelector('svg.marks') as SVGElement | null;
                if (canvas) {
                  if (!(canvas.width > 0 && canvas.height > 0)) problem = `canvas ${canvas.width}x${canvas.height}`;
                  else {
                    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
                    for (let i = 3; i < d.length; i += 4) if (d[i] > 0 && (d[i - 1] < 250 || d[i - 2] < 250 || d[i - 3] < 250)) ink++;
                  }
                } else if (svg) ink = svg.querySelectorAll('path, rect, text, line, image').length;
                else problem = 'no canvas or SVG in the vega output';
              } else {
                const img = el.querySelector('img.plot-img') as HTMLImageElement | null;
                const live = el.querySelector('.plot-container');
                if (img && img.style.display !== 'none') {
                  if (!img.complete || img.naturalWidth === 0) problem = 'its PNG did not load';
                  ink = img.naturalWidth;
                } else if (live) ink = live.querySelectorAll('path, canvas').length;
                else problem = 'neither its PNG nor a live figure is shown';
              }
              if (!problem && !(r.width > 1 && r.height > 1 && Number.isFinite(r.width) && Number.isFinite(r.height))) problem = `zero-sized (${r.width}x${r.height})`;
              if (!problem && ink === 0) problem = 'nothing drawn';
              // How much wider the drawing is than the output area (it then scrolls sideways).
              const drawn = el.querySelector('canvas, svg.marks, img.plot-img') as HTMLElement | null;
              const area = el.closest('.jp-OutputArea-output') as HTMLElement | null;
              const overflow = drawn && area ? Math.round(drawn.getBoundingClientRect().width - area.clientWidth) : 0;
              out.push({ id, cell: ci, kind, w: Math.round(r.width), h: Math.round(r.height), ink, problem, overflow });
            });
          }
          return out;
        }),
        30_000,
        'the tab stopped answering',
      );
      const model = await within<any>(page.evaluate(() => (window as any).__panel.toJSON()), 30_000, 'the tab stopped answering');
      const richOutputs = (mime: string) =>
        model.cells.reduce((n: number, c: any) => n + (c.outputs ?? []).filter((o: any) => o.data && mime in o.data).length, 0);
      const nVega = richOutputs('application/vnd.vegalite.v5+json');
      const nPlotly = richOutputs('application/vnd.plotly.v1+json');
      const drawnVega = charts.filter((c) => c.kind === 'vega').length;
      const drawnPlotly = charts.filter((c) => c.kind === 'plotly').length;
      if (drawnVega !== nVega) problems.push(`${nVega} Vega-Lite outputs but ${drawnVega} vega charts in the page`);
      if (drawnPlotly !== nPlotly) problems.push(`${nPlotly} Plotly outputs but ${drawnPlotly} Plotly charts in the page`);
      const jsErrors = await page.evaluate(() => [...document.querySelectorAll('.jp-OutputArea-output')].map((e) => e.textContent ?? '').filter((t) => /Javascript Error/.test(t)));
      for (const e of jsErrors) problems.push(`a renderer failed: ${e.slice(0, 300)}`);
      for (const c of charts) if (c.problem) problems.push(`cell ${c.cell} ${c.kind} chart ${c.id}: ${c.problem}`);
      for (const c of charts) {
        await page.locator(`[data-chart-id="${c.id}"]`).screenshot({ path: path.join(SHOTS, `${name}-${c.id}-${c.kind}.png`), timeout: 15_000 }).catch((e: any) => problems.push(`screenshot of ${c.id} failed: ${e.message.split('\n')[0]}`));
      }

      // PNG writes: live (setData) and on disk after saving.
      const writes: any[] = await page.evaluate(() => (window as any).__panel.pngWrites);
      for (const w of writes.filter((x) => !x.fromKernel)) problems.push(`the front end wrote a ${w.length ? `${w.length}-character` : 'empty'} PNG into an output of cell ${w.cell}`);
      await within(page.evaluate(() => (window as any).__panel.save()), 60_000, 'saving the notebook');
      const saved = JSON.parse(fs.readFileSync(path.join(WORK, 'notebooks', chapter), 'utf8'));
      const pngs: { cell: number; png: string }[] = [];
      saved.cells.forEach((c: any, ci: number) => {
        for (const o of c.outputs ?? []) {
          const p = o.data?.['image/png'];
          if (p !== undefined) pngs.push({ cell: ci, png: (Array.isArray(p) ? p.join('') : String(p)).replace(/\s/g, '') });
        }
      });
      const fromKernel: boolean[] = await page.evaluate((list: string[]) => list.map((x) => (window as any).__panel.kernelPngs.has(x)), pngs.map((p) => p.png));
      pngs.forEach((p, i) => {
        if (!fromKernel[i]) {
          const size = pngSize(p.png);
          problems.push(`the saved notebook's cell ${p.cell} has a PNG the kernel did not send (${p.png.length ? (size ? `${size.w}x${size.h}` : 'not a PNG') : 'empty'})`);
        }
      });
      const savedRich = saved.cells.reduce((n: number, c: any) => n + (c.outputs ?? []).filter((o: any) => o.data && ('application/vnd.vegalite.v5+json' in o.data || 'application/vnd.plotly.v1+json' in o.data)).length, 0);
      if (savedRich !== nVega + nPlotly) problems.push(`the saved notebook has ${savedRich} chart outputs, the panel's model ${nVega + nPlotly}`);

      // Plotly: hover to get the live figure (the renderer shows the PNG until then), screenshot it.
      const live: string[] = [];
      const writesBefore: number = await page.evaluate(() => (window as any).__panel.pngWrites.length);
      for (const c of charts.filter((x) => x.kind === 'plotly')) {
        const loc = page.locator(`[data-chart-id="${c.id}"]`);
        await loc.locator('img.plot-img').hover({ timeout: 10_000 }).catch(() => undefined);
        const ok = await page.waitForFunction((id: string) => {
          const el = document.querySelector(`[data-chart-id="${id}"]`);
          const pc = el?.querySelector('.plot-container') as HTMLElement | null;
          return !!pc && pc.getBoundingClientRect().width > 0 && pc.style.display !== 'none';
        }, c.id, { timeout: 20_000 }).then(() => true, () => false);
        if (!ok) {
          problems.push(`cell ${c.cell} Plotly chart ${c.id}: no live figure after hovering`);
          continue;
        }
        await sleep(1000);
        await loc.screenshot({ path: path.join(SHOTS, `${name}-${c.id}-plotly-live.png`), timeout: 15_000 }).catch(() => undefined);
        const info = await page.evaluate((id: string) => {
          const el = document.querySelector(`[data-chart-id="${id}"]`)!;
          const r = el.getBoundingClientRect();
          const gl = [...el.querySelectorAll('canvas')].filter((cv) => (cv as HTMLCanvasElement).width > 0).length;
          return { w: Math.round(r.width), h: Math.round(r.height), gl };
        }, c.id);
        const out = (model.cells[c.cell].outputs ?? []).find((o: any) => o.data?.['application/vnd.plotly.v1+json']);
        const own = out ? pngSize(String(out.data['image/png'] ?? '').replace(/\s/g, '')) : null;
        const css = out?.metadata?.['image/png'];
        const ownNote = own ? `, the course's PNG ${own.w}x${own.h}${css?.width ? ` shown at ${css.width}x${css.height}` : ''}` : '';
        live.push(`${c.id} live ${info.w}x${info.h}${info.gl ? ` (${info.gl} WebGL canvas)` : ''}${ownNote}`);
      }
      await sleep(1500);
      const afterHover: any[] = await page.evaluate((n: number) => (window as any).__panel.pngWrites.slice(n).filter((w: any) => !w.fromKernel), writesBefore);
      const hoverNote = afterHover.length
        ? `; after hovering, JupyterLab's Plotly renderer wrote its own PNG into the model (not saved here): ${afterHover.map((w) => `cell ${w.cell} ${w.w}x${w.h}`).join(', ')}`
        : '';
      const wide = charts.filter((c) => c.overflow > 0).map((c) => `${c.id} ${c.overflow} px wider than its output area`);

      timings.push(
        `${name}: ready ${((tReady - t0) / 1000).toFixed(1)} s, run ${((tRun - tReady) / 1000).toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
          `${drawnVega} vega + ${drawnPlotly} plotly charts, ${pngs.length} PNGs on disk, max JS heap ${(maxHeap / 2 ** 20).toFixed(0)} MiB` +
          (live.length ? `; ${live.join(', ')}` : '') + hoverNote + (wide.length ? `; ${wide.join(', ')}` : ''),
      );
    } catch (e: any) {
      problems.push(String(e?.message ?? e));
    } finally {
      await within(page.evaluate(() => (window as any).__panel?.shutdown()), 15_000, 'shutdown').catch(() => undefined);
      await page.close().catch(() => undefined);
    }
    for (const e of consoleErrors) problems.push(`console: ${e}`);
    return problems;
}

describe(`the chapters in JupyterLab notebook panels, ${JOBS} at a time`, { concurrency: JOBS }, () => {
  for (const chapter of chapters) {
    const name = chapter.replace(/\.ipynb$/, '');
    test(`${name} runs in a JupyterLab notebook panel, every chart drawn, no PNG rewritten`, { skip: missing ?? false, timeout: CHAPTER_TIMEOUT_MS + 60_000 }, async () => {
      const problems = await runInPanel(chapter);
      assert.deepEqual(problems, [], `${name} in the JupyterLab panel:\n  ${problems.join('\n  ')}`);
    });
  }
});

test('the panel test sees a PNG written back: a Vega-Lite output without image/png gets one from JupyterLab\'s renderer', { skip: missing ?? false, timeout: 120_000 }, async () => {
  const problems = await runInPanel(WRITEBACK);
  assert.ok(problems.some((p) => /front end wrote a \d+-character PNG into an output of cell 0/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /saved notebook's cell 0 has a PNG the kernel did not send \(\d+x\d+\)/.test(p)), problems.join('\n'));
});
