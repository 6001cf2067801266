/**
 * Which executed notebooks the course website is built from, and what they say about
 * themselves: the mode they ran in (each chapter prints `mode: quick` or `mode: full` in its
 * setup cell), whether they ran at all and to the end, their titles.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CodeCell, Notebook, NotebookError, readNotebook, sourceText } from '../runner/notebook';
import { RAISES_EXCEPTION_TAG } from '../runner/run-notebook';

export class SiteError extends Error {}

export type Mode = 'full' | 'quick' | 'unknown';

export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** The mode an executed notebook ran in, from the `mode: quick|full` line its setup prints. */
export function notebookMode(nb: Notebook): Mode {
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    for (const o of c.outputs) {
      if (o.output_type !== 'stream') continue;
      const m = /^mode: (quick|full)\b/m.exec(sourceText(o.text));
      if (m) return m[1] as Mode;
    }
  }
  return 'unknown';
}

function firstLine(c: CodeCell): string {
  const l = sourceText(c.source).split('\n').find((s) => s.trim() !== '') ?? '';
  return l.length > 60 ? `${l.slice(0, 57)}...` : l;
}

/**
 * Why an executed copy cannot go on the site (null when it can): no code cell has run, the
 * run stopped before the end, or a cell raised an error that is not part of the lesson.
 */
export function executionProblem(nb: Notebook): string | null {
  const code = nb.cells
    .map((c, index) => ({ c, index }))
    .filter((x): x is { c: CodeCell; index: number } => x.c.cell_type === 'code' && sourceText(x.c.source).trim() !== '');
  if (code.length === 0) return null;
  const ran = (c: CodeCell) => c.execution_count !== null || c.outputs.length > 0;
  if (!code.some((x) => ran(x.c))) return 'was never executed (no code cell has run)';
  const notRun = code.find((x) => !ran(x.c));
  if (notRun) return `was only partly executed: cell ${notRun.index} (${firstLine(notRun.c)}) has not run`;
  for (const { c, index } of code) {
    const tags: unknown = c.metadata?.tags;
    if (Array.isArray(tags) && tags.includes(RAISES_EXCEPTION_TAG)) continue;
    const err = c.outputs.find((o) => o.output_type === 'error');
    if (err && err.output_type === 'error') return `has an error in cell ${index} (${firstLine(c)}): ${err.ename}: ${err.evalue.split('\n')[0]}`;
  }
  return null;
}

/** The first Markdown heading of the notebook, else its file name. */
export function chapterTitle(nb: Notebook, file: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== 'markdown') continue;
    const m = /^#\s+(.+?)\s*#*\s*$/m.exec(sourceText(c.source));
    if (m) return m[1];
  }
  return path.basename(file, '.ipynb');
}

/** "Chapter 3 — Training dynamics" -> "3 · Training dynamics", for the contents. */
export function shortTitle(title: string): string {
  return title.replace(/^Chapter\s+(\d+)\s*[—–:-]\s*/, '$1 · ');
}

/** The first paragraph after the title, for the contents page. */
export function chapterSummary(nb: Notebook): string {
  const first = nb.cells.find((c) => c.cell_type === 'markdown');
  if (!first) return '';
  const paras = sourceText(first.source)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'));
  let s = paras[0] ?? '';
  // A paragraph that leads into a list ("This chapter" + a numbered list): end at the last
  // full sentence, or, when it ends with a colon, take the list too.
  if (s && !/[.!?)]$/.test(s)) {
    if (s.endsWith(':') && paras[1]) s = `${s}\n\n${paras[1]}`;
    else if (s.lastIndexOf('. ') > 0) s = s.slice(0, s.lastIndexOf('. ') + 1);
  }
  return s;
}

export function hasMime(nb: Notebook, mime: string): boolean {
  return nb.cells.some((c) => c.cell_type === 'code' && c.outputs.some((o) => (o.output_type === 'display_data' || o.output_type === 'execute_result') && mime in o.data));
}

export interface ChosenNotebook {
  /** The executed copy the page is made from. */
  path: string;
  name: string;
  notebook: Notebook;
  mode: Mode;
}

const CHAPTER_FILE = /^\d\d-.*\.ipynb$/;

/** Reads an executed copy and checks it can go on the site; throws SiteError naming it. */
export function loadExecuted(file: string): ChosenNotebook {
  let nb: Notebook;
  try {
    nb = readNotebook(file);
  } catch (e) {
    throw new SiteError(e instanceof NotebookError ? e.message : `${file}: ${(e as Error).message}`);
  }
  const problem = executionProblem(nb);
  if (problem) throw new SiteError(`${file} ${problem}`);
  return { path: file, name: path.basename(file), notebook: nb, mode: notebookMode(nb) };
}

/** The chapters (NN-*.ipynb) in a folder of executed notebooks, each checked. */
export function notebooksFrom(dir: string): ChosenNotebook[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new SiteError(`--from ${dir}: no such folder`);
  const files = fs.readdirSync(dir).filter((f) => CHAPTER_FILE.test(f)).sort();
  if (files.length === 0) throw new SiteError(`--from ${dir}: no chapter notebooks (NN-*.ipynb) in it`);
  const out: ChosenNotebook[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      out.push(loadExecuted(path.join(dir, f)));
    } catch (e) {
      if (!(e instanceof SiteError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length) throw new SiteError(problems.join('\n'));
  return out;
}

/**
 * Without --from: every course chapter (notebooks/NN-*.ipynb), from its executed copy in
 * build/notebooks (where `gan-course run` writes, normally full mode) or build/test/notebooks
 * (npm test's quick-mode run); a full-mode copy wins. A chapter with no usable copy is an
 * error that names it and says how to execute it.
 */
export function courseChapters(root: string, sources: string[], log: (l: string) => void = () => {}): ChosenNotebook[] {
  const dir = path.join(root, 'notebooks');
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => CHAPTER_FILE.test(f)).sort() : [];
  if (names.length === 0) throw new SiteError(`no chapter notebooks (NN-*.ipynb) in ${dir}`);
  const out: ChosenNotebook[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const found: ChosenNotebook[] = [];
    const why: string[] = [];
    for (const src of sources) {
      const file = path.join(src, name);
      if (!fs.existsSync(file)) continue;
      try {
        found.push(loadExecuted(file));
      } catch (e) {
        if (!(e instanceof SiteError)) throw e;
        why.push(e.message);
      }
    }
    const best = found.find((c) => c.mode === 'full') ?? found[0];
    if (best) {
      out.push(best);
      for (const w of why) log(`  (not used: ${w})`);
      continue;
    }
    const rel = path.relative(root, path.join(dir, name));
    problems.push(
      why.length
        ? why.join('\n')
        : `${rel} was never executed: no executed copy in ${sources.map((s) => path.relative(root, s) || '.').join(' or ')}`,
    );
  }
  if (problems.length) {
    throw new SiteError(
      `${problems.join('\n')}\nExecute the chapters first (full mode): gan-course run --out build/notebooks notebooks/*.ipynb` +
        `\n(or build from another folder of executed notebooks with --from <dir>)`,
    );
  }
  return out;
}
