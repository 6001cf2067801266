/**
 * Runs a notebook for grading: every code cell in order in one kernel, each with a time
 * limit and all of them under a notebook limit. A cell that throws just fails; a cell that
 * times out or kills the kernel (process.exit, out of memory) leads to a fresh kernel in
 * which every earlier cell that had succeeded is run again, unscored, so later exercises
 * find the definitions they need. After too many restarts the remaining cells are not run.
 */
import { KernelSession, Notebook, Output, sourceText } from '../runner';

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
}

export const DEFAULT_LIMITS: GradingLimits = { cellTimeoutMs: 120_000, notebookTimeoutMs: 20 * 60_000, maxRestarts: 3 };

export interface RunGradedOptions {
  /** Kernel working directory: where `kernel-helpers` resolves (the teacher's notebook folder). */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  limits?: Partial<GradingLimits>;
  /** Cells after this index are not run (status `skipped`): nothing after the last test cell can change a score. */
  lastCell?: number;
  log?: (line: string) => void;
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
  // A busy machine can delay a kernel's start a lot: one retry with a longer wait.
  let started = false;
  let whyNot = '';
  for (const startTimeoutMs of [60_000, 120_000]) {
    try {
      await session.start({ cwd: options.cwd, env: options.env, startTimeoutMs });
      started = true;
      break;
    } catch (e) {
      whyNot = (e as Error).message;
      log(`  the kernel did not start (${whyNot})${startTimeoutMs === 60_000 ? '; trying again' : ''}`);
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
  // the student's time.
  const deadline = Date.now() + limits.notebookTimeoutMs;
  const succeeded: number[] = [];
  const remaining = () => deadline - Date.now();
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
        markRest(i, `not run: the notebook's time limit of ${Math.round(limits.notebookTimeoutMs / 1000)} s ran out`);
        notes.push(`the notebook's time limit ran out at cell ${i}`);
        break;
      }
      const timeoutMs = Math.max(1, Math.min(limits.cellTimeoutMs, remaining()));
      const r = await session.execute(sourceText(cell.source), { timeoutMs });
      cells[i] = { status: r.status, error: r.error, outputs: r.outputs, ms: r.ms };
      if (r.status === 'ok') succeeded.push(i);
      if (r.status === 'timeout' && timeoutMs < limits.cellTimeoutMs) {
        cells[i] = { ...cells[i], status: 'not-run', error: `stopped: the notebook's time limit of ${Math.round(limits.notebookTimeoutMs / 1000)} s ran out in this cell` };
        markRest(i + 1, `not run: the notebook's time limit ran out`);
        break;
      }
      if (r.status === 'timeout' || r.status === 'dead') {
        // A fresh kernel: an interrupted async loop may keep running in the old one.
        if (restarts >= limits.maxRestarts) {
          markRest(i + 1, `not run: the kernel was restarted ${restarts} times already (crashes or time-outs)`);
          notes.push(`gave up after ${restarts} kernel restarts`);
          break;
        }
        restarts++;
        log(`  cell ${i}: ${r.status}; restarting the kernel and re-running ${succeeded.length} earlier cells`);
        try {
          await session.restart();
        } catch (e) {
          markRest(i + 1, `not run: the kernel could not be restarted (${(e as Error).message})`);
          break;
        }
        for (const j of succeeded) {
          if (remaining() <= 0) break;
          const rr = await session.execute(sourceText(nb.cells[j].source), { timeoutMs: Math.max(1, Math.min(limits.cellTimeoutMs, remaining())) });
          if (rr.status !== 'ok') {
            notes.push(`after the restart at cell ${i}, re-running cell ${j} gave ${rr.status}`);
            if (!session.isAlive()) break;
          }
        }
        if (!session.isAlive()) {
          markRest(i + 1, 'not run: the kernel died again while earlier cells were re-run');
          break;
        }
      }
    }
  } finally {
    await session.shutdown();
  }
  return { cells, restarts, ms: Date.now() - t0, notes };
}
