/**
 * The course website in a browser: `gan-course site` builds the site from executed
 * notebooks (every usable copy in build/test/notebooks, which the notebook stage of npm test
 * writes; else chapters 00 and 01 executed here in quick mode), a local HTTP server serves
 * it, and Debian's Chromium (through playwright-core) opens the contents page and every
 * chapter page. The test fails on a console error, an uncaught exception, a failed request,
 * an HTTP error, any request that is not to the local server (all of those are blocked, so
 * the site must work offline), a chart that does not draw (a vega-embed view with no visible
 * size, a Plotly div without its svg), math MathJax did not typeset, or navigation that
 * points nowhere. A full-page screenshot per page goes to build/test/site-screenshots/.
 * Skips, saying why, where nbconvert, MathJax or Chromium is missing, and fails instead
 * under GAN_COURSE_REQUIRE_BROWSER=1 (set by .ci/run) or GAN_COURSE_REQUIRE_SITE=1.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { main as siteMain } from '../../cli/src/commands/site';
import { runNotebooks } from '../../cli/src/commands/run';
import { executionProblem } from '../../cli/src/site/notebooks';
import { readNotebook } from '../../cli/src/runner/notebook';

const ROOT = path.join(__dirname, '..', '..');
// GAN_COURSE_SITE_TEST_FROM: another folder of executed notebooks (build/notebooks for full mode).
const EXECUTED = path.resolve(process.env.GAN_COURSE_SITE_TEST_FROM ?? path.join(ROOT, 'build', 'test', 'notebooks'));
const SHOTS = path.join(ROOT, 'build', 'test', 'site-screenshots');
const CHROMIUM = process.env.GAN_COURSE_CHROMIUM ?? '/usr/bin/chromium';
const FALLBACK_CHAPTERS = ['00-start-here.ipynb', '01-minimax.ipynb'];

function missingTool(): string | null {
  const v = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return 'jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert)';
  if (!fs.existsSync('/usr/share/javascript/mathjax/MathJax.js') && !process.env.GAN_COURSE_MATHJAX_DIR) return 'MathJax is not installed (Debian: apt-get install libjs-mathjax fonts-mathjax)';
  if (!fs.existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium)`;
  try {
    require.resolve('playwright-core', { paths: [ROOT] });
  } catch {
    return 'playwright-core is not installed (npm ci)';
  }
  return null;
}

const missing = missingTool();
const required = ['GAN_COURSE_REQUIRE_BROWSER', 'GAN_COURSE_REQUIRE_SITE'].find((v) => process.env[v] === '1');
if (missing && required) throw new Error(`the site test must run here (${required}=1), but ${missing}`);
if (missing) console.log(`# site test skipped: ${missing}`);

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static file server on 127.0.0.1 for the built site. */
function serve(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, path.normalize(rel).replace(/^([/\\])+/, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let work = '';
let siteDir = '';
let server: http.Server | undefined;
let base = '';
let browser: any;
let pages: string[] = [];
let chapters: string[] = [];
let buildLog = '';

before(async () => {
  if (missing) return;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'course-site-'));
  const input = path.join(work, 'executed');
  fs.mkdirSync(input);
  // Every executed copy the notebook stage left that can go on a site; else execute two
  // chapters here, in quick mode.
  const reusable = fs.existsSync(EXECUTED)
    ? fs.readdirSync(EXECUTED).filter((f) => /^\d\d-.*\.ipynb$/.test(f) && executionProblem(readNotebook(path.join(EXECUTED, f))) === null)
    : [];
  if (reusable.length > 0) {
    for (const f of reusable) fs.copyFileSync(path.join(EXECUTED, f), path.join(input, f));
    console.log(`# site built from ${reusable.length} executed notebooks of ${path.relative(ROOT, EXECUTED)}`);
  } else {
    console.log(`# no executed notebooks in ${path.relative(ROOT, EXECUTED)}: executing ${FALLBACK_CHAPTERS.join(', ')} in quick mode`);
    const rs = await runNotebooks({ quick: true, continueOnError: false, outDir: input, notebooks: FALLBACK_CHAPTERS.map((f) => path.join(ROOT, 'notebooks', f)) }, () => {});
    for (const r of rs) assert.ok(r.ok, r.error);
  }
  chapters = fs.readdirSync(input).filter((f) => f.endsWith('.ipynb')).sort().map((f) => f.replace(/\.ipynb$/, '.html'));
  siteDir = path.join(work, 'site');
  const out: string[] = [];
  const log = console.log;
  const err = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => out.push(a.join(' '));
  let code: number;
  const t0 = Date.now();
  try {
    code = await siteMain(['--from', input, '--out', siteDir]);
  } finally {
    console.log = log;
    console.error = err;
  }
  buildLog = out.join('\n');
  console.log(`# site built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.equal(code, 0, buildLog);
  pages = ['index.html', ...chapters];
  server = await serve(siteDir);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium } = require(require.resolve('playwright-core', { paths: [ROOT] }));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(() => r(null)) : r(null)));
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the build says which mode the outputs come from and writes a page per chapter', { skip: missing ?? false }, () => {
  assert.match(buildLog, /(quick|full) mode, from /);
  assert.match(buildLog, /every page shows full-mode outputs|not full mode: quick mode for/);
  for (const p of pages) assert.ok(fs.existsSync(path.join(siteDir, p)), `${p} was not written`);
  // The site is self-contained: no page names a URL outside it in a src or href it loads.
  for (const p of pages) {
    const html = fs.readFileSync(path.join(siteDir, p), 'utf8');
    const external = [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="((?:https?:)?\/\/[^"]+|file:[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(external, [], `${p} loads from outside the site`);
  }
});

/** What one page does in the browser. */
async function openPage(file: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: false });
  const problems: string[] = [];
  const outside: string[] = [];
  await context.route('**/*', (route: any) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (m: any) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e: Error) => problems.push(`uncaught exception: ${e.message}`));
  page.on('requestfailed', (r: any) => problems.push(`request failed: ${r.url().slice(0, 200)} (${r.failure()?.errorText})`));
  page.on('response', (r: any) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  const t0 = Date.now();
  await page.goto(base + file, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => document.body.dataset.charts === 'done' && !!document.body.dataset.math, null, { timeout: 90_000 });
  const report = await page.evaluate(() => {
    const w = window as any;
    const charts = (w.courseCharts ?? []).map((c: any, i: number) => {
      const live = c.el.querySelector('.course-chart-live') as HTMLElement;
      const node = c.kind === 'plotly' ? live.querySelector('svg.main-svg') : live.querySelector('canvas, svg');
      const box = node ? node.getBoundingClientRect() : null;
      const img = c.el.querySelector('.course-chart-fallback') as HTMLElement | null;
      return { i, kind: c.kind, ok: c.ok, error: c.error, width: box ? box.width : 0, height: box ? box.height : 0, pngHidden: !img || getComputedStyle(img).display === 'none' };
    });
    const latex = Array.from(document.querySelectorAll('.jp-RenderedLatex')).map((el) => !!el.querySelector('.MathJax_CHTML, .MathJax_Display, .MJXc-display'));
    return {
      charts,
      specs: document.querySelectorAll('.course-chart').length,
      math: document.querySelectorAll('.MathJax_CHTML').length,
      mathErrors: document.querySelectorAll('.mjx-merror, .MathJax_Error').length,
      latex,
      contents: Array.from(document.querySelectorAll('.course-contents a')).map((a) => (a as HTMLAnchorElement).getAttribute('href')),
      prevnext: Array.from(document.querySelectorAll('.course-prevnext a')).map((a) => (a as HTMLAnchorElement).getAttribute('href')),
      mathjaxMarkup: (document.body.innerText.match(/\$\$[^$]+\$\$/g) ?? []).length,
    };
  });
  const ms = Date.now() - t0;
  await page.screenshot({ path: path.join(SHOTS, file.replace(/\.html$/, '.png')), fullPage: true });
  await context.close();
  return { problems, outside, report, ms };
}

test('every page opens offline with no console error and every chart drawn', { skip: missing ?? false, timeout: 600_000 }, async () => {
  const failures: string[] = [];
  let charts = 0;
  for (const file of pages) {
    const { problems, outside, report, ms } = await openPage(file);
    const f = (s: string) => failures.push(`${file}: ${s}`);
    for (const p of problems) f(p);
    for (const u of outside) f(`tried to fetch ${u.slice(0, 200)} (only the local site may be fetched)`);
    if (report.charts.length !== report.specs) f(`${report.specs} charts on the page, ${report.charts.length} started`);
    for (const c of report.charts) {
      if (!c.ok) f(`chart ${c.i} (${c.kind}) did not draw: ${c.error}`);
      else if (!(c.width > 0 && c.height > 0)) f(`chart ${c.i} (${c.kind}) drew at ${c.width}x${c.height}`);
      else if (!c.pngHidden) f(`chart ${c.i} (${c.kind}) drew but its PNG fallback is still shown`);
    }
    charts += report.charts.length;
    if (report.mathErrors) f(`${report.mathErrors} math errors from MathJax`);
    report.latex.forEach((ok: boolean, i: number) => ok || f(`text/latex output ${i} was not typeset`));
    if (report.mathjaxMarkup) f(`${report.mathjaxMarkup} $$...$$ left as text`);
    assert.deepEqual(report.contents, [...pages], `${file}: the contents list every page`);
    for (const href of report.prevnext) if (!pages.includes(href)) f(`previous/next link to ${href}, which is not a page`);
    const i = pages.indexOf(file);
    const expected = [i > 0 ? pages[i - 1] : null, i + 1 < pages.length ? pages[i + 1] : null].filter(Boolean);
    assert.deepEqual(report.prevnext, expected, `${file}: previous/next`);
    console.log(`# ${file}: ${report.charts.length} charts drawn, ${report.math} formulas, ${(ms / 1000).toFixed(1)} s`);
  }
  console.log(`# ${pages.length} pages, ${charts} charts; screenshots in ${path.relative(ROOT, SHOTS)}`);
  assert.deepEqual(failures, []);
});
