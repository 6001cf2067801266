/**
 * Runs a notebook for grading: every code cell in order in one kernel, each with a time
 * limit and all of them under a notebook limit (and the student's and the class's time
 * budgets, when given). A cell that throws just fails; a cell that times out or kills the
 * kernel (process.exit, out of memory) leads to a fresh kernel in which every earlier
 * non-test cell that had succeeded is run again, unscored, so later exercises find the
 * definitions they need. Test cells are not re-run: they define nothing later cells may use
 * (docs/exercises.md), and re-running them would re-arm whatever the student's code they
 * call leaves behind (a timer that kills the kernel) and charge it to later exercises. A
 * test cell in which the kernel died is run once more in the fresh kernel, so a crash left
 * behind by earlier code is not charged to it. After too many restarts the remaining cells
 * are not run. Output is capped per cell and per notebook.
 */
import { ExecuteResult, KernelSession, Notebook, Output, sourceText, StartOptions } from '../runner';

export type CellRunStatus = 'ok' | 'error' | 'timeout' | 'dead' | 'not-run' | 'skipped';

export interface CellRun {
  status: CellRunStatus;
  /** The cell's stderr (tslab's error report) or why it stopped / did not run. */
  error?: string;
  outputs: Output[];
  ms: number;
}

export interface GradingLimits {
  /** Per-cell limit (default 120 s). */
  cellTimeoutMs: number;
  /** Whole-notebook limit from the kernel's first start, restarts and replays included (default 20 min). */
  notebookTimeoutMs: number;
  /** Kernel restarts allowed after crashes or timeouts (default 3). */
  maxRestarts: number;
  /** Output kept per cell (default 1 MB) and per notebook (default 8 MB); the rest is dropped. */
  maxCellOutputBytes: number;
  maxNotebookOutputBytes: number;
  /** A submission file larger than this is not read (default 32 MB). */
  maxNotebookBytes: number;
  /** All of one student's notebooks together (default 40 min). */
  studentTimeoutMs: number;
  /** The whole class (default: no limit). */
  classTimeoutMs: number;
}

export const DEFAULT_LIMITS: GradingLimits = {
  cellTimeoutMs: 120_000,
  notebookTimeoutMs: 20 * 60_000,
  maxRestarts: 3,
  maxCellOutputBytes: 1 << 20,
  maxNotebookOutputBytes: 8 << 20,
  maxNotebookBytes: 32 << 20,
  studentTimeoutMs: 40 * 60_000,
  classTimeoutMs: Infinity,
};

/** A time budget that ends at an absolute time: the student's or the class's. */
export interface Budget {
  /** Date.now() at which it runs out. */
  endsAt: number;
  /** What runs out, for messages: "the student's time budget of 2400 s". */
  what: string;
  /** Kernel start-up (the prelude included) is not charged: a busy machine is not the student's time. */
  excludesKernelStart?: boolean;
}

export interface RunGradedOptions {
  /** Kernel working directory: where `kernel-helpers` resolves (the teacher's notebook folder). */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  limits?: Partial<GradingLimits>;
  /** Cells after this index are not run (status `skipped`): nothing after the last test cell can change a score. */
  lastCell?: number;
  /** Indices of the test cells: not re-run after a restart, retried once when the kernel died in them. */
  testCells?: number[];
  /** Budgets beyond the notebook's own limit (the student's, the class's). */
  budgets?: Budget[];
  /**
   * Code run first in every kernel (after each restart too), before any cell: the teacher's
   * prelude (a function: asked again for every kernel, so each gets a fresh key).
   */
  prelude?: string | ((kernel: { ipcOutside: string | null }) => string);
  /**
   * The code actually sent for cell i, and how to judge its run (the verdict channel for test
   * cells); undefined: the cell's own source, judged by the kernel's reply.
   */
  cellCode?: (i: number) => { code: string; judge?: () => { ok: boolean; problem?: string } } | undefined;
  /** How to start the kernel (the sandbox's command line); cwd and env above are merged in. */
  start?: Partial<StartOptions>;
  log?: (line: string) => void;
  /**
   * Called after each test cell that ran (the kernel alive and time left), with a way to run
   * more code in the same kernel, unscored, under the same limits: `validate --check-stubs`
   * probes the stubs there. Never set when grading students.
   */
  afterTestCell?: (i: number, exec: (code: string) => Promise<ExecuteResult>) => Promise<void>;
}

export interface GradedRun {
  /** One entry per notebook cell (markdown cells: status ok, no outputs). */
  cells: CellRun[];
  restarts: number;
  ms: number;
  notes: string[];
}

export async function runGraded(nb: Notebook, options: RunGradedOptions): Promise<GradedRun> {
  const limits: GradingLimits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const log = options.log ?? (() => undefined);
  const t0 = Date.now();
  const cells: CellRun[] = nb.cells.map(() => ({ status: 'not-run', outputs: [], ms: 0 }));
  const notes: string[] = [];
  let restarts = 0;

  const session = new KernelSession();
  const startT0 = Date.now();
  // A busy machine can delay a kernel's start a lot: one retry with a longer wait.
  let started = false;
  let whyNot = '';
  for (const startTimeoutMs of [60_000, 120_000]) {
    try {
      await session.start({ maxMessageBytes: 2 * limits.maxCellOutputBytes + (1 << 20), ...options.start, cwd: options.cwd, env: options.env, startTimeoutMs });
      started = true;
      break;
    } catch (e) {
      whyNot = (e as Error).message;
      log(`  the kernel did not start (${whyNot})${startTimeoutMs === 60_000 ? '; trying again' : ''}`);
      await session.shutdown().catch(() => undefined);
    }
  }
  const runPrelude = async (): Promise<string | null> => {
    if (!options.prelude) return null;
    const code = typeof options.prelude === 'function' ? options.prelude({ ipcOutside: session.ipcOutside }) : options.prelude;
    const r = await session.execute(code, { timeoutMs: 60_000 });
    return r.status === 'ok' ? null : `the grader's prelude failed (${r.status}: ${(r.error ?? '').split('\n')[0]})`;
  };
  if (started) {
    const bad = await runPrelude();
    if (bad) {
      started = false;
      whyNot = bad;
      await session.shutdown().catch(() => undefined);
    }
  }
  if (!started) {
    const why = `not run: the kernel did not start (${whyNot})`;
    for (const c of cells) c.error = why;
    notes.push(why);
    return { cells, restarts, ms: Date.now() - t0, notes };
  }

  // The notebook's clock starts once its kernel is up: a slow start on a busy machine is not
  // the student's time (nor is it charged to the student's budget).
  const startedIn = Date.now() - startT0;
  for (const b of options.budgets ?? []) if (b.excludesKernelStart) b.endsAt += startedIn;
  let deadline = Date.now() + limits.notebookTimeoutMs;
  let deadlineWhat = `the notebook's time limit of ${Math.round(limits.notebookTimeoutMs / 1000)} s`;
  for (const b of options.budgets ?? []) {
    if (b.endsAt < deadline) {
      deadline = b.endsAt;
      deadlineWhat = b.what;
    }
  }
  const succeeded: number[] = [];
  const tests = new Set(options.testCells ?? []);
  const remaining = () => deadline - Date.now();
  let outputLeft = limits.maxNotebookOutputBytes;
  const exec = async (i: number, timeoutMs: number) => {
    const custom = options.cellCode?.(i);
    const r = await session.execute(custom ? custom.code : sourceText(nb.cells[i].source), { timeoutMs, maxOutputBytes: Math.max(0, Math.min(limits.maxCellOutputBytes, outputLeft)) });
    for (const o of r.outputs) outputLeft -= o.output_type === 'stream' ? String(o.text).length : o.output_type === 'error' ? 0 : JSON.stringify(o.data).length;
    if (custom?.judge && (r.status === 'ok' || r.status === 'error')) {
      // The kernel's reply does not decide: the signed verdict does.
      const v = custom.judge();
      if (v.ok) return { ...r, status: 'ok' as const, error: undefined };
      if (r.status === 'ok' || v.problem?.startsWith('FORGED')) return { ...r, status: 'error' as const, error: [v.problem ?? 'the tests did not pass', r.error].filter(Boolean).join('\n') };
    }
    return r;
  };
  /** Restart, then re-run the earlier non-test cells that succeeded; false when the kernel is gone. */
  const restartAndReplay = async (at: number, why: string): Promise<boolean> => {
    if (restarts >= limits.maxRestarts) {
      markRest(at + 1, `not run: the kernel was restarted ${restarts} times already (crashes or time-outs)`);
      notes.push(`gave up after ${restarts} kernel restarts`);
      return false;
    }
    restarts++;
    const replay = succeeded.filter((j) => !tests.has(j));
    log(`  cell ${at}: ${why}; restarting the kernel and re-running ${replay.length} earlier cells`);
    try {
      await session.restart();
      const bad = await runPrelude();
      if (bad) throw new Error(bad);
    } catch (e) {
      markRest(at + 1, `not run: the kernel could not be restarted (${(e as Error).message})`);
      return false;
    }
    for (const j of replay) {
      if (remaining() <= 0) break;
      const rr = await exec(j, Math.max(1, Math.min(limits.cellTimeoutMs, remaining())));
      if (rr.status !== 'ok') {
        notes.push(`after the restart at cell ${at}, re-running cell ${j} gave ${rr.status}`);
        if (!session.isAlive()) break;
      }
    }
    if (!session.isAlive()) {
      markRest(at + 1, 'not run: the kernel died again while earlier cells were re-run');
      return false;
    }
    return true;
  };
  const markRest = (from: number, why: string) => {
    for (let j = from; j < nb.cells.length; j++) {
      if (nb.cells[j].cell_type === 'code' && cells[j].status !== 'skipped') cells[j] = { status: 'not-run', error: why, outputs: [], ms: 0 };
    }
  };

  try {
    const last = Math.min(nb.cells.length - 1, options.lastCell ?? Infinity);
    for (let j = last + 1; j < nb.cells.length; j++) cells[j] = { status: 'skipped', outputs: [], ms: 0 };
    for (let i = 0; i <= last; i++) {
      const cell = nb.cells[i];
      if (cell.cell_type !== 'code') {
        cells[i] = { status: 'ok', outputs: [], ms: 0 };
        continue;
      }
      if (remaining() <= 0) {
        markRest(i, `not run: ${deadlineWhat} ran out`);
        notes.push(`${deadlineWhat} ran out at cell ${i}`);
        break;
      }
      const timeoutMs = Math.max(1, Math.min(limits.cellTimeoutMs, remaining()));
      const r = await exec(i, timeoutMs);
      cells[i] = { status: r.status, error: r.error, outputs: r.outputs, ms: r.ms };
      if (r.status === 'ok') succeeded.push(i);
      if (options.afterTestCell && tests.has(i) && (r.status === 'ok' || r.status === 'error') && session.isAlive() && remaining() > 0) {
        await options.afterTestCell(i, (code) =>
          session.execute(code, { timeoutMs: Math.max(1, Math.min(limits.cellTimeoutMs, remaining())), maxOutputBytes: Math.max(0, Math.min(limits.maxCellOutputBytes, outputLeft)) }));
      }
      if (r.status === 'timeout' && timeoutMs < limits.cellTimeoutMs) {
        cells[i] = { ...cells[i], status: 'not-run', error: `stopped: ${deadlineWhat} ran out in this cell` };
        markRest(i + 1, `not run: ${deadlineWhat} ran out`);
        notes.push(`${deadlineWhat} ran out at cell ${i}`);
        break;
      }
      if (r.status === 'timeout' || r.status === 'dead') {
        // A fresh kernel: an interrupted async loop may keep running in the old one.
        if (!(await restartAndReplay(i, r.status))) break;
        if (r.status === 'dead' && tests.has(i) && remaining() > 0) {
          // The kernel may have died of something left behind earlier (a timer): one more
          // try in the fresh kernel decides this exercise.
          const again = await exec(i, Math.max(1, Math.min(limits.cellTimeoutMs, remaining())));
          if (again.status === 'ok') {
            cells[i] = { status: 'ok', outputs: again.outputs, ms: again.ms };
            succeeded.push(i);
            notes.push(`cell ${i}: the kernel died while it ran (${firstLine(r.error)}); it passed when run again in a fresh kernel`);
          } else {
            cells[i] = { status: again.status, error: again.error, outputs: again.outputs, ms: again.ms };
            if (again.status === 'timeout' || again.status === 'dead') {
              if (!(await restartAndReplay(i, again.status))) break;
            }
          }
        }
      }
    }
  } finally {
    await session.shutdown();
  }
  return { cells, restarts, ms: Date.now() - t0, notes };
}

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0] || 'no reason given';
}
