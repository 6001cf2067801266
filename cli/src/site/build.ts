/**
 * Builds the course website: one page per chapter, from its executed notebook, through
 * Debian's nbconvert (HTML exporter) with the course's own template (site/templates/course),
 * plus a contents page. Everything a page loads is copied into the site's _static folder:
 * MathJax (Debian's libjs-mathjax), vega, vega-lite, vega-embed and plotly.js-dist (npm),
 * the course's CSS and chart script. Nothing is fetched at build or view time.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Notebook, serializeNotebook, sourceText, toLines } from '../runner/notebook';
import { ChosenNotebook, Mode, PLOTLY_MIME, SiteError, VEGA_LITE_MIME, chapterSummary, chapterTitle, hasMime, shortTitle } from './notebooks';

/** Where the site's math comes from: Debian's MathJax 2 (the one nbconvert's template names). */
export const MATHJAX_DIRS = ['/usr/share/javascript/mathjax'];

/** The parts of MathJax 2 the TeX-AMS_CHTML-full configuration loads (the rest is 50 MB of other outputs and fonts). */
const MATHJAX_PARTS = [
  'MathJax.js',
  'config/TeX-AMS_CHTML-full.js',
  'config/Safe.js',
  'config/local',
  'extensions',
  'jax/input/TeX',
  'jax/output/CommonHTML',
  'jax/output/PreviewHTML',
  'jax/element',
  'fonts/HTML-CSS/TeX/woff',
];

/** The browser bundles copied from node_modules: [package, file in it, name in _static]. */
const BUNDLES: [string, string, string][] = [
  ['vega', 'build/vega.min.js', 'vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js', 'vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js', 'vega-embed.min.js'],
  ['plotly.js-dist', 'plotly.js', 'plotly.min.js'],
];

/** The display priority of the site's pages: the charts' own types first (drawn live, PNG as fallback). */
const DISPLAY_PRIORITY = [
  VEGA_LITE_MIME,
  PLOTLY_MIME,
  'text/html',
  'text/markdown',
  'image/svg+xml',
  'text/latex',
  'image/png',
  'image/jpeg',
  'text/plain',
];

/** Marks a folder as one this command wrote, so a rebuild may replace it. */
const MARKER = '.gan-course-site';

export interface SiteOptions {
  root: string;
  chapters: ChosenNotebook[];
  outDir: string;
  title?: string;
  log?: (line: string) => void;
}

export interface SitePage {
  file: string;
  title: string;
  source: string | null;
  mode: Mode | null;
  charts: { vegaLite: number; plotly: number };
}

export interface SiteResult {
  outDir: string;
  pages: SitePage[];
  modes: Record<Mode, string[]>;
  ms: number;
}

/** The folder of an installed npm package, looked up from the course root (workspaces hoist). */
export function packageDir(name: string, root: string): string {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(p, 'package.json'))) return p;
    if (path.dirname(dir) === dir) break;
  }
  throw new SiteError(`the npm package ${name} is not installed under ${root}/node_modules: run \`npm ci\` in ${root}`);
}

export function mathjaxDir(): string {
  const dirs = [process.env.GAN_COURSE_MATHJAX_DIR, ...MATHJAX_DIRS].filter((d): d is string => !!d);
  const d = dirs.find((x) => fs.existsSync(path.join(x, 'MathJax.js')));
  if (!d) throw new SiteError(`MathJax is not installed (looked in ${dirs.join(', ')}); Debian: apt-get install libjs-mathjax fonts-mathjax, or set GAN_COURSE_MATHJAX_DIR to a MathJax 2 folder`);
  return d;
}

/** `jupyter nbconvert`'s version, or a SiteError saying how to install it. */
export function nbconvertVersion(): string {
  const r = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new SiteError('jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert)');
  return r.stdout.trim();
}

function copyAssets(root: string, staticDir: string): void {
  fs.mkdirSync(path.join(staticDir, 'licenses'), { recursive: true });
  for (const f of ['course.css', 'course.js']) fs.copyFileSync(path.join(root, 'site', 'assets', f), path.join(staticDir, f));
  for (const [pkg, file, name] of BUNDLES) {
    const dir = packageDir(pkg, root);
    const src = path.join(dir, file);
    if (!fs.existsSync(src)) throw new SiteError(`${src} is missing: reinstall ${pkg} (npm ci)`);
    // The bundles end with a sourceMappingURL comment; the maps are not copied, so drop it
    // (a browser with its developer tools open would otherwise ask for them).
    const text = fs.readFileSync(src, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    fs.writeFileSync(path.join(staticDir, name), text);
    const lic = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (lic) fs.copyFileSync(path.join(dir, lic), path.join(staticDir, 'licenses', `${pkg}.txt`));
  }
  const mj = mathjaxDir();
  for (const part of MATHJAX_PARTS) {
    const src = path.join(mj, part);
    if (!fs.existsSync(src)) throw new SiteError(`${src} is missing: the MathJax in ${mj} is incomplete (Debian: apt-get install --reinstall libjs-mathjax fonts-mathjax)`);
    fs.cpSync(src, path.join(staticDir, 'mathjax', part), { recursive: true, dereference: true });
  }
  const mjLicense = ['/usr/share/doc/libjs-mathjax/copyright', path.join(mj, 'LICENSE')].find((f) => fs.existsSync(f));
  if (mjLicense) fs.copyFileSync(mjLicense, path.join(staticDir, 'licenses', 'mathjax.txt'));
}

/** Links to another chapter's notebook point to its page instead. */
export function rewriteChapterLinks(markdown: string, files: Set<string>): string {
  return markdown.replace(/\]\((?:\.\/)?(\d\d-[^)#\s]*)\.ipynb(#[^)\s]*)?\)/g, (all, stem: string, hash?: string) =>
    files.has(`${stem}.ipynb`) ? `](${stem}.html${hash ?? ''})` : all,
  );
}

const MODE_LABEL: Record<Mode, string> = { full: 'full-mode outputs', quick: 'quick-mode outputs', unknown: 'outputs of an unknown mode' };

function modeNote(mode: Mode): string | null {
  if (mode === 'full') return null;
  if (mode === 'quick')
    return 'The outputs on this page come from quick mode (GAN_COURSE_QUICK=1: short runs that exercise the code), not from the chapter\'s full runs, so its numbers and charts are not the chapter\'s results.';
  return 'The outputs on this page come from a run whose mode (quick or full) the notebook does not say.';
}

function siteMeta(base: Record<string, unknown>, pages: { file: string; title: string }[], i: number): Record<string, unknown> {
  return {
    ...base,
    chapters: pages.map((p) => ({ file: p.file, title: shortTitle(p.title) })),
    prev: i > 0 ? { file: pages[i - 1].file, title: shortTitle(pages[i - 1].title) } : i === 0 ? { file: 'index.html', title: 'Contents' } : null,
    next: i + 1 < pages.length ? { file: pages[i + 1].file, title: shortTitle(pages[i + 1].title) } : null,
  };
}

function markdownCell(text: string): Notebook['cells'][number] {
  return { cell_type: 'markdown', metadata: {}, source: toLines(text) };
}

export function buildSite(o: SiteOptions): SiteResult {
  const t0 = Date.now();
  const log = o.log ?? console.log;
  const root = o.root;
  const title = o.title ?? 'Generative adversarial networks: a TypeScript course';
  if (o.chapters.length === 0) throw new SiteError('no chapters to build');
  const version = nbconvertVersion();
  mathjaxDir();

  // A fresh output folder: replace one this command wrote, refuse anything else.
  const out = path.resolve(o.outDir);
  if (fs.existsSync(out)) {
    const entries = fs.readdirSync(out);
    if (entries.length > 0 && !entries.includes(MARKER)) throw new SiteError(`${o.outDir} exists and is not a site built by gan-course site: choose another --out or remove it`);
    fs.rmSync(out, { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, MARKER), 'built by gan-course site; the whole folder is replaced on the next build\n');
  const work = fs.mkdtempSync(path.join(out, '.work-'));

  try {
    copyAssets(root, path.join(out, '_static'));

    const chapterPages = o.chapters.map((c) => ({
      c,
      file: c.name.replace(/\.ipynb$/, '.html'),
      title: chapterTitle(c.notebook, c.name),
    }));
    const files = new Set(o.chapters.map((c) => c.name));
    const modes: Record<Mode, string[]> = { full: [], quick: [], unknown: [] };
    for (const p of chapterPages) modes[p.c.mode].push(p.c.name);
    const siteMode: Mode | 'mixed' = modes.full.length === o.chapters.length ? 'full' : modes.quick.length === o.chapters.length ? 'quick' : modes.unknown.length === o.chapters.length ? 'unknown' : 'mixed';

    const base = { site_title: title };
    const inputs: string[] = [];
    const pages: SitePage[] = [];

    // The contents page: an index notebook of Markdown, through the same template.
    const modeLine =
      siteMode === 'full'
        ? 'Every page shows the outputs of a full-mode run: the chapters\' real results.'
        : siteMode === 'quick'
          ? 'Every page shows the outputs of a **quick-mode** run (short runs that exercise the code), not the chapters\' full results.'
          : `The pages show outputs of mixed modes: full mode for ${modes.full.map((n) => n.slice(0, 2)).join(', ') || 'none'}; quick mode for ${modes.quick.map((n) => n.slice(0, 2)).join(', ') || 'none'}${modes.unknown.length ? `; unknown for ${modes.unknown.map((n) => n.slice(0, 2)).join(', ')}` : ''}.`;
    const contents = chapterPages
      .map((p) => {
        const summary = chapterSummary(p.c.notebook);
        const badge = p.c.mode === 'full' ? '' : ` *(${MODE_LABEL[p.c.mode]})*`;
        return `### [${p.title}](${p.file})${badge}\n\n${summary}\n`;
      })
      .join('\n');
    const index: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        title,
        course_site: {
          ...siteMeta(base, chapterPages, -1),
          file: 'index.html',
          next: { file: chapterPages[0].file, title: shortTitle(chapterPages[0].title) },
          mode: siteMode,
          mode_label: siteMode === 'mixed' ? 'outputs of mixed modes' : MODE_LABEL[siteMode],
          mode_note: siteMode === 'full' ? null : modeLine.replace(/\*\*/g, ''),
        },
      },
      cells: [
        markdownCell(
          `# ${title}\n\nGenerative adversarial networks, from the minimax game to R3GAN. Each chapter is a notebook for the tslab kernel, ` +
            `executed and published here with its outputs; the charts are interactive.\n\n${modeLine}\n\n## Contents\n\n${contents}`,
        ),
      ],
    };
    const indexPath = path.join(work, 'index.ipynb');
    fs.writeFileSync(indexPath, serializeNotebook(index));
    inputs.push(indexPath);
    pages.push({ file: 'index.html', title, source: null, mode: null, charts: { vegaLite: 0, plotly: 0 } });

    chapterPages.forEach((p, i) => {
      const nb: Notebook = JSON.parse(JSON.stringify(p.c.notebook));
      for (const cell of nb.cells) if (cell.cell_type === 'markdown') cell.source = toLines(rewriteChapterLinks(sourceText(cell.source), files));
      const hasVega = hasMime(nb, VEGA_LITE_MIME);
      const hasPlotly = hasMime(nb, PLOTLY_MIME);
      nb.metadata.title = `${p.title} · ${title}`;
      nb.metadata.course_site = {
        ...siteMeta(base, chapterPages, i),
        file: p.file,
        mode: p.c.mode,
        mode_label: MODE_LABEL[p.c.mode],
        mode_note: modeNote(p.c.mode),
        has_vega: hasVega,
        has_plotly: hasPlotly,
      };
      const f = path.join(work, p.c.name);
      fs.writeFileSync(f, serializeNotebook(nb));
      inputs.push(f);
      const count = (mime: string) => nb.cells.reduce((n, c) => n + (c.cell_type === 'code' ? c.outputs.filter((x) => (x.output_type === 'display_data' || x.output_type === 'execute_result') && mime in x.data).length : 0), 0);
      pages.push({ file: p.file, title: p.title, source: p.c.path, mode: p.c.mode, charts: { vegaLite: count(VEGA_LITE_MIME), plotly: count(PLOTLY_MIME) } });
    });

    const config = {
      NbConvertBase: { display_data_priority: DISPLAY_PRIORITY },
      TemplateExporter: { extra_template_basedirs: [path.join(root, 'site', 'templates')], template_name: 'course' },
    };
    const configPath = path.join(work, 'nbconvert-config.json');
    fs.writeFileSync(configPath, JSON.stringify(config, null, 1));
    log(`nbconvert ${version}: ${inputs.length} pages`);
    const r = spawnSync('jupyter', ['nbconvert', `--config=${configPath}`, '--to', 'html', '--output-dir', out, ...inputs], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    });
    if (r.error || r.status !== 0) {
      const tail = `${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new SiteError(`jupyter nbconvert failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${tail}`);
    }
    for (const p of pages) if (!fs.existsSync(path.join(out, p.file))) throw new SiteError(`nbconvert wrote no ${p.file}`);
    return { outDir: out, pages, modes, ms: Date.now() - t0 };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
