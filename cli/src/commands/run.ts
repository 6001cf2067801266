/** `gan-course run [--quick] [--jobs N] [--timeout s] [--out dir] <notebooks...>` */
import { integerOption, parseArgs, secondsOption } from '../options';
import * as path from 'path';
import { KernelSession, NotebookRunResult, RunNotebookOptions, longestFirst, recordRunTimes, runNotebook, runTimesFile, shippedRunTimesFile } from '../runner';

/** kernel-helpers' backend/wasmThreads.ts reads it in the kernel: 1 or 2 wasm threads. */
const WASM_THREADS_ENV = 'GAN_COURSE_WASM_THREADS';

export const summary = 'execute notebooks headless on the tslab kernel, saving executed copies to build/';

const HELP = `usage: gan-course run [options] <notebook.ipynb...>

Executes every code cell in order on a fresh tslab kernel, prints each cell's time and saves
an executed copy (default build/notebooks/<name>.ipynb; the input is never modified).
Exits 1 if any cell fails, times out or kills the kernel; the other notebooks still run.

options:
  --quick              set GAN_COURSE_QUICK=1: every notebook runs its short configuration
  --timeout <s>        per-cell time limit in seconds (default 180 quick, 1800 full)
  --total-timeout <s>  time limit per notebook in seconds (default none)
  --out <dir>          folder for the executed copies (default build/notebooks)
  --continue-on-error  keep executing a notebook's later cells after a failure
  --jobs <N>           run up to N notebooks at the same time (default 1: one after another),
                       the longest first (by their last times, kept in build/run-times.json;
                       on a fresh checkout by the times in cli/expected-run-times.json),
                       each kernel with one wasm thread (unless GAN_COURSE_WASM_THREADS is set);
                       a notebook's cell lines are printed together when it ends, the summary
                       keeps the given order`;

export interface RunArgs {
  quick: boolean;
  cellTimeoutMs?: number;
  totalTimeoutMs?: number;
  outDir?: string;
  continueOnError: boolean;
  notebooks: string[];
  /** Notebooks run at the same time (default 1: one after another). */
  jobs?: number;
  /** The record of run times that orders --jobs runs (default build/run-times.json; null: none). */
  timesFile?: string | null;
}

export function parseRunArgs(args: string[]): RunArgs | 'help' {
  const p = parseArgs(args, ['timeout', 'total-timeout', 'out', 'jobs'], ['quick', 'continue-on-error', 'help']);
  if (p.flags.has('help')) return 'help';
  const r: RunArgs = { quick: p.flags.has('quick'), continueOnError: p.flags.has('continue-on-error'), notebooks: p.positional };
  const cell = secondsOption(p, 'timeout');
  const total = secondsOption(p, 'total-timeout');
  if (cell !== undefined) r.cellTimeoutMs = Math.round(cell);
  if (total !== undefined) r.totalTimeoutMs = Math.round(total);
  if (p.options.has('out')) r.outDir = p.options.get('out');
  const jobs = integerOption(p, 'jobs', 1, 64);
  if (jobs !== undefined) r.jobs = jobs;
  if (r.notebooks.length === 0) throw new Error('no notebooks given (see gan-course run --help)');
  return r;
}

/**
 * Ctrl-C reaches the whole process group, and a kernel takes SIGINT as "interrupt the
 * cell", not "exit": stop the kernels ourselves so none is left running.
 */
export function stopKernelsOnSignals(): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping the kernels`);
      KernelSession.killAll();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Kernel settings shared by the sequential and the concurrent runs. */
function notebookOptions(a: RunArgs, nb: string): RunNotebookOptions {
  return {
    quick: a.quick,
    cellTimeoutMs: a.cellTimeoutMs,
    totalTimeoutMs: a.totalTimeoutMs,
    continueOnError: a.continueOnError,
    outPath: a.outDir ? path.join(a.outDir, path.basename(nb)) : undefined,
  };
}

function reportNotebook(r: NotebookRunResult, log: (l: string) => void): void {
  if (r.ok) log(`${r.path}: ok in ${(r.totalMs / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), r.outPath ?? '')}`);
  else console.error(`FAILED ${r.error}`);
}

/**
 * Up to `jobs` notebooks at a time, the longest (by their recorded times) first. Each
 * kernel gets one wasm thread (two kernels with two threads each would wait on each other's
 * descheduled threads), unless GAN_COURSE_WASM_THREADS is set. A notebook's progress lines
 * are held back and printed together when it ends, so a log reads one notebook at a time;
 * only its start and the "still running" lines of long cells appear live, named.
 */
async function runConcurrently(a: RunArgs, jobs: number, timesFile: string | null, log: (l: string) => void): Promise<NotebookRunResult[]> {
  const order = timesFile ? longestFirst(a.notebooks, a.quick ? 'quick' : 'full', timesFile, shippedRunTimesFile()) : a.notebooks.map((_, i) => i);
  const env: NodeJS.ProcessEnv = (process.env[WASM_THREADS_ENV] ?? '').trim() === '' ? { [WASM_THREADS_ENV]: '1' } : {};
  const threads = env[WASM_THREADS_ENV] ? 'one wasm thread each' : `${WASM_THREADS_ENV}=${process.env[WASM_THREADS_ENV]}`;
  log(`${a.notebooks.length} notebooks, ${jobs} at a time (${threads}); each notebook's lines are printed when it ends`);
  const results: NotebookRunResult[] = new Array(a.notebooks.length);
  let next = 0;
  const worker = async () => {
    while (next < order.length) {
      const i = order[next++];
      const nb = a.notebooks[i];
      const lines: string[] = [];
      log(`${nb}: started`);
      const t0 = Date.now();
      let r: NotebookRunResult;
      try {
        r = await runNotebook(nb, {
          ...notebookOptions(a, nb),
          env,
          log: (l) => lines.push(l),
          heartbeat: (l) => log(`${nb}: ${l.trim()}`),
        });
      } catch (e) {
        r = { path: nb, outPath: null, ok: false, cells: [], kernelStartMs: 0, totalMs: Date.now() - t0, error: `${nb}: ${(e as Error).message}` };
      }
      results[i] = r;
      for (const l of lines) log(l);
      reportNotebook(r, log);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

/**
 * Runs notebooks, one after another or `a.jobs` at a time; used by `run`, `start` and
 * `test`. The results (and the summary) are in the notebooks' order either way.
 */
export async function runNotebooks(a: RunArgs, log: (l: string) => void = console.log): Promise<NotebookRunResult[]> {
  const jobs = Math.max(1, Math.min(a.jobs ?? 1, a.notebooks.length));
  const timesFile = a.timesFile === undefined ? runTimesFile() : a.timesFile;
  const t0 = Date.now();
  let results: NotebookRunResult[];
  if (jobs > 1) results = await runConcurrently(a, jobs, timesFile, log);
  else {
    results = [];
    for (const nb of a.notebooks) {
      const r = await runNotebook(nb, { ...notebookOptions(a, nb), log });
      results.push(r);
      reportNotebook(r, log);
    }
  }
  if (timesFile) recordRunTimes(timesFile, a.quick ? 'quick' : 'full', results.filter((r) => r.ok).map((r) => ({ path: r.path, ms: r.totalMs })));
  if (results.length > 1) {
    log('\nsummary:');
    for (const r of results) log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${(r.totalMs / 1000).toFixed(1).padStart(6)} s  ${r.path}`);
    if (jobs > 1) log(`  wall   ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  (${jobs} at a time)`);
  }
  return results;
}

export async function main(args: string[]): Promise<number> {
  let a: RunArgs | 'help';
  try {
    a = parseRunArgs(args);
  } catch (e) {
    console.error(`gan-course run: ${(e as Error).message}`);
    return 2;
  }
  if (a === 'help') {
    console.log(HELP);
    return 0;
  }
  stopKernelsOnSignals();
  const results = await runNotebooks(a);
  return results.every((r) => r.ok) ? 0 : 1;
}
