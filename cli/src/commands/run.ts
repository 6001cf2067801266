/** `gan-course run [--quick] [--timeout s] [--out dir] <notebooks...>` */
import { parseArgs, secondsOption } from '../options';
import * as path from 'path';
import { KernelSession, NotebookRunResult, runNotebook } from '../runner';

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
  --continue-on-error  keep executing a notebook's later cells after a failure`;

export interface RunArgs {
  quick: boolean;
  cellTimeoutMs?: number;
  totalTimeoutMs?: number;
  outDir?: string;
  continueOnError: boolean;
  notebooks: string[];
}

export function parseRunArgs(args: string[]): RunArgs | 'help' {
  const p = parseArgs(args, ['timeout', 'total-timeout', 'out'], ['quick', 'continue-on-error', 'help']);
  if (p.flags.has('help')) return 'help';
  const r: RunArgs = { quick: p.flags.has('quick'), continueOnError: p.flags.has('continue-on-error'), notebooks: p.positional };
  const cell = secondsOption(p, 'timeout');
  const total = secondsOption(p, 'total-timeout');
  if (cell !== undefined) r.cellTimeoutMs = Math.round(cell);
  if (total !== undefined) r.totalTimeoutMs = Math.round(total);
  if (p.options.has('out')) r.outDir = p.options.get('out');
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

/** Runs notebooks one after another; used by `run`, `start` and `test`. */
export async function runNotebooks(a: RunArgs, log: (l: string) => void = console.log): Promise<NotebookRunResult[]> {
  const results: NotebookRunResult[] = [];
  for (const nb of a.notebooks) {
    const r = await runNotebook(nb, {
      quick: a.quick,
      cellTimeoutMs: a.cellTimeoutMs,
      totalTimeoutMs: a.totalTimeoutMs,
      continueOnError: a.continueOnError,
      outPath: a.outDir ? path.join(a.outDir, path.basename(nb)) : undefined,
      log,
    });
    results.push(r);
    if (r.ok) log(`${nb}: ok in ${(r.totalMs / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), r.outPath ?? '')}`);
    else console.error(`FAILED ${r.error}`);
  }
  if (results.length > 1) {
    log('\nsummary:');
    for (const r of results) log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${(r.totalMs / 1000).toFixed(1).padStart(6)} s  ${r.path}`);
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
