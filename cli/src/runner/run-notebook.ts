/**
 * Executes a notebook's code cells in order on a fresh tslab kernel and saves an executed
 * copy (never over the input).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ExecuteStatus, KernelSession } from './kernel-session';
import { CodeCell, Notebook, NotebookError, Output, readNotebook, serializeNotebook, sourceText } from './notebook';
import { projectRoot } from './kernelspec';

export interface RunNotebookOptions {
  /** Sets GAN_COURSE_QUICK=1 in the kernel (the notebook's short configuration). */
  quick?: boolean;
  /** Per-cell limit (default 3 min in quick mode, 30 min otherwise). */
  cellTimeoutMs?: number;
  /** Limit for the whole notebook, kernel start included (default none). */
  totalTimeoutMs?: number;
  /** Where to write the executed copy (default build/notebooks/<name>.ipynb). */
  outPath?: string;
  /** Keep executing after a failing cell (default: stop at the first failure). */
  continueOnError?: boolean;
  /** Extra kernel environment variables. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (default console.log); pass () => {} for silence. */
  log?: (line: string) => void;
  /** The "still running" lines of long cells (default: log). */
  heartbeat?: (line: string) => void;
}

export type CellStatus = ExecuteStatus | 'skipped';

export interface CellResult {
  /** Index in notebook.cells (0-based). */
  index: number;
  id?: string;
  status: CellStatus;
  ms: number;
  outputs: Output[];
  error?: string;
  /** The cell is tagged `raises-exception` (as nbclient understands it): its error is expected. */
  errorExpected?: boolean;
}

/** nbclient's tag for a cell whose error is part of the lesson. */
export const RAISES_EXCEPTION_TAG = 'raises-exception';

export interface NotebookRunResult {
  path: string;
  /** The executed copy, or null when the notebook could not be loaded. */
  outPath: string | null;
  ok: boolean;
  /** One entry per code cell, in order. */
  cells: CellResult[];
  kernelStartMs: number;
  totalMs: number;
  /** A notebook-level failure (missing/corrupt file, kernel did not start) or the first failing cell, described. */
  error?: string;
  /** The executed notebook. */
  notebook?: Notebook;
}

export function defaultOutPath(notebookPath: string, root = projectRoot()): string {
  return path.join(root, 'build', 'notebooks', path.basename(notebookPath));
}

/** First non-empty line of a cell, for messages. */
export function cellLabel(cell: { source: string | string[] }): string {
  const line = sourceText(cell.source).split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 60 ? line.slice(0, 57) + '...' : line;
}

/** An error report without the stack frames of the kernel's own machinery. */
export function shortError(text: string, maxLines = 12): string {
  const lines = text.split('\n').filter((l) => !/^\s+at /.test(l) && l.trim() !== '^' && l.trim() !== '');
  return lines.slice(0, maxLines).join('\n');
}

/** "notebooks/01-x.ipynb, cell 7 (id abc) failed: <error>" */
export function describeFailure(nbPath: string, c: CellResult): string {
  const what = c.status === 'timeout' ? 'timed out' : c.status === 'dead' ? 'killed the kernel' : 'failed';
  return `${nbPath}, cell ${c.index}${c.id ? ` (id ${c.id})` : ''} ${what}: ${shortError(c.error ?? '')}`;
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export async function runNotebook(nbPath: string, options: RunNotebookOptions = {}): Promise<NotebookRunResult> {
  const t0 = Date.now();
  const log = options.log ?? ((l: string) => console.log(l));
  const heartbeatLog = options.heartbeat ?? log;
  const quick = options.quick ?? false;
  const cellTimeoutMs = options.cellTimeoutMs ?? (quick ? 180_000 : 1_800_000);
  const outPath = path.resolve(options.outPath ?? defaultOutPath(nbPath));
  const base: NotebookRunResult = { path: nbPath, outPath: null, ok: false, cells: [], kernelStartMs: 0, totalMs: 0 };

  let nb: Notebook;
  try {
    nb = readNotebook(nbPath);
  } catch (e) {
    return { ...base, error: e instanceof NotebookError ? e.message : `${nbPath}: ${(e as Error).message}`, totalMs: Date.now() - t0 };
  }
  if (outPath === path.resolve(nbPath)) {
    return { ...base, error: `${nbPath}: the output path is the input notebook; refusing to overwrite it`, totalMs: Date.now() - t0 };
  }

  const env: NodeJS.ProcessEnv = { ...options.env };
  if (quick) env.GAN_COURSE_QUICK = '1';
  const kernel = new KernelSession();
  try {
    await kernel.start({ cwd: path.dirname(path.resolve(nbPath)), env });
  } catch (e) {
    return { ...base, error: `${nbPath}: ${(e as Error).message}`, totalMs: Date.now() - t0 };
  }
  const result: NotebookRunResult = { ...base, outPath, kernelStartMs: kernel.startMs, notebook: nb };
  log(`${nbPath}: kernel started in ${(kernel.startMs / 1000).toFixed(1)} s${quick ? ' (quick mode)' : ''}`);

  let stopped = false;
  try {
    for (let i = 0; i < nb.cells.length; i++) {
      const cell = nb.cells[i];
      if (cell.cell_type !== 'code') continue;
      const code = cell as CodeCell;
      const src = sourceText(code.source);
      const cr: CellResult = { index: i, id: code.id, status: 'skipped', ms: 0, outputs: [] };
      result.cells.push(cr);
      if (stopped) continue;
      code.outputs = [];
      code.execution_count = null;
      if (src.trim() === '') {
        cr.status = 'ok';
        continue;
      }
      let timeout = cellTimeoutMs;
      if (options.totalTimeoutMs) {
        const left = options.totalTimeoutMs - (Date.now() - t0);
        if (left <= 0) {
          cr.status = 'timeout';
          cr.error = `the notebook exceeded its total time limit of ${(options.totalTimeoutMs / 1000).toFixed(0)} s`;
          stopped = true;
          continue;
        }
        timeout = Math.min(timeout, left);
      }
      // A line now and then during long cells, so a CI log shows the run is alive.
      const started = Date.now();
      const heartbeat = setInterval(() => heartbeatLog(`  cell ${String(i).padStart(3)} still running after ${Math.round((Date.now() - started) / 1000)} s`), 60_000);
      const r = await kernel.execute(src, { timeoutMs: timeout }).finally(() => clearInterval(heartbeat));
      cr.status = r.status;
      cr.ms = r.ms;
      cr.outputs = r.outputs;
      cr.error = r.error;
      code.outputs = r.outputs;
      code.execution_count = r.executionCount;
      const tags: unknown = code.metadata?.tags;
      cr.errorExpected = Array.isArray(tags) && tags.includes(RAISES_EXCEPTION_TAG);
      const expected = cr.errorExpected && r.status === 'error';
      const mark = r.status === 'ok' ? 'ok' : expected ? 'error (expected)' : r.status.toUpperCase();
      log(`  cell ${String(i).padStart(3)} ${mark.padEnd(expected ? 16 : 7)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${cellLabel(code)}`);
      if (r.status !== 'ok' && !expected) {
        if (r.status === 'dead' || !kernel.isAlive() || !options.continueOnError) stopped = true;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  const failed = result.cells.filter((c) => c.status !== 'ok' && c.status !== 'skipped' && !(c.status === 'error' && c.errorExpected));
  result.ok = failed.length === 0;
  if (failed.length > 0) result.error = describeFailure(nbPath, failed[0]);
  writeAtomic(outPath, serializeNotebook(nb));
  result.totalMs = Date.now() - t0;
  return result;
}
