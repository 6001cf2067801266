/** Grades one student's copy of one notebook against the teacher's version. */
import * as fs from 'fs';
import { checkKernel, Notebook, parseNotebook, toLines } from '../runner';
import { feedbackNotebook } from './feedback';
import { MergedNotebook, mergeSubmission, SubmissionMismatchError } from './merge-submission';
import { replaceSolutions } from './markers';
import { cellText } from './nbgrader-cell';
import { Budget, DEFAULT_LIMITS, GradingLimits, runGraded } from './run-graded';
import { ExecuteResult, StartOptions } from '../runner';
import { preloadModules } from './prelude';
import { VerdictChannel } from './verdict';
import { ExerciseResult, scoreRun, unGradedRows } from './score';

export interface SubmissionGrade {
  rows: ExerciseResult[];
  notes: string[];
  /** Absent when the submission could not be run at all. */
  feedback?: Notebook;
  ms: number;
  /** With `probeStubs`: per test cell that ran, how its tests did on the stubs. */
  stubProbes?: StubProbe[];
}

/**
 * One exercise's tests run on its stubs, in the kernel that has just run the solution:
 * `passed` (the tests check nothing the student writes), `failed` (as they should), or
 * `inconclusive` (a stub or the restored solution timed out, killed the kernel or failed to
 * compile: only a run of the whole student version can tell).
 */
export interface StubProbe {
  exercise: string;
  outcome: 'passed' | 'failed' | 'inconclusive';
  why?: string;
}

export interface GradeSubmissionOptions {
  student: string;
  /** The notebook's file name, e.g. "03-minimax.ipynb". */
  notebook: string;
  teacher: Notebook;
  submissionFile: string;
  /** The submission, already parsed (then submissionFile only names it in messages). */
  submission?: Notebook;
  /** Kernel working directory (where `kernel-helpers` resolves). */
  cwd: string;
  quick: boolean;
  limits?: Partial<GradingLimits>;
  /** The student's and the class's time budgets. */
  budgets?: Budget[];
  /** How to start the kernel (the sandbox). */
  start?: Partial<StartOptions>;
  /**
   * Called once the submission file has passed its checks (a regular file, not too big,
   * parseable): makes the kernel's place (the sandbox) from it; its cwd and start options
   * replace `cwd` and `start`.
   */
  prepare?: (checkedFile: string) => { cwd: string; start: Partial<StartOptions> };
  /** Run the teacher's prelude first in every kernel (default true; false only to measure what it stops). */
  prelude?: boolean;
  /** Extra kernel environment. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /**
   * The teacher's own check (`validate --check-stubs`), never a student's grading: after each
   * test cell, run the exercise's solution cells with their solutions replaced by the stubs,
   * then its tests again (judged by their verdict, as in grading), then the solution cells
   * once more so that later cells find them. One run then does the work of grading the
   * solved and the unsolved notebook.
   */
  probeStubs?: boolean;
}

function sizeText(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Deeper than this, a notebook is not something Jupyter wrote (and would overflow recursive code). */
export const MAX_JSON_DEPTH = 100;

/** The nesting depth of a parsed JSON value, counted without recursion (stops past `limit`). */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const k of Object.keys(v)) stack.push([(v as Record<string, unknown>)[k], d + 1]);
  }
  return max;
}

/** Code a solution has no reason to contain; its presence is noted for the teacher to review. */
const SUSPICIOUS: Array<[RegExp, string]> = [
  [/\brequire\.cache\b/, 'require.cache'],
  [/\bModule\s*\.\s*_(?:load|resolveFilename|cache)\b/, 'Module internals'],
  [/\bprocess\s*\.\s*(?:exit|kill|abort|reallyExit)\b/, 'process.exit/kill'],
  [/\bprocess\s*\.\s*(?:stdout|stderr)\s*\.\s*write\s*=/, 'replacing process output'],
  [/\bkernel-helpers\/dist\b/, 'importing library internals'],
];

export async function gradeSubmission(o: GradeSubmissionOptions): Promise<SubmissionGrade> {
  const t0 = Date.now();
  const fail = (message: string): SubmissionGrade => {
    const rows = unGradedRows(o.student, o.notebook, o.teacher, 'error', message);
    const max = rows.reduce((s, r) => s + r.max, 0);
    const feedback: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: JSON.parse(JSON.stringify(o.teacher.metadata)),
      cells: [
        {
          cell_type: 'markdown',
          id: 'feedback-summary',
          metadata: {},
          source: toLines(`# Feedback for ${o.student}: 0 / ${max} points\n\nYour ${o.notebook} could not be graded:\n\n> ${message.replace(/\n/g, ' ')}`),
        },
      ],
    };
    return { rows, notes: [message], feedback, ms: Date.now() - t0 };
  };
  const limits: GradingLimits = { ...DEFAULT_LIMITS, ...(o.limits ?? {}) };
  let submission: Notebook;
  if (o.submission) submission = o.submission;
  else {
    let text: string;
    try {
      // Checked before reading: a symbolic link could point anywhere (the teacher's files),
      // and a huge (or sparse) file would be read into memory.
      const st = fs.lstatSync(o.submissionFile);
      if (st.isSymbolicLink()) return fail(`${o.submissionFile}: is a symbolic link, not a notebook file; not followed (hand in the notebook itself)`);
      if (!st.isFile()) return fail(`${o.submissionFile}: not a regular file`);
      if (st.size > limits.maxNotebookBytes) {
        return fail(`${o.submissionFile}: the notebook is ${sizeText(st.size)}, more than the ${sizeText(limits.maxNotebookBytes)} allowed; not read (clear large outputs and hand it in again)`);
      }
      text = fs.readFileSync(o.submissionFile, 'utf8');
    } catch (e) {
      return fail(`${o.submissionFile}: cannot read (${(e as Error).message})`);
    }
    try {
      submission = parseNotebook(text, o.submissionFile);
    } catch (e) {
      return fail(`malformed notebook: ${(e as Error).message}`);
    }
    const depth = jsonDepth(submission);
    if (depth > MAX_JSON_DEPTH) return fail(`malformed notebook: ${o.submissionFile}: its JSON is nested more than ${MAX_JSON_DEPTH} levels deep (Jupyter writes a handful)`);
    try {
      checkKernel(submission, o.submissionFile);
    } catch (e) {
      return fail(`wrong kernel: ${(e as Error).message}`);
    }
  }
  let merged: MergedNotebook;
  try {
    merged = mergeSubmission(o.teacher, submission, o.submissionFile);
  } catch (e) {
    if (e instanceof SubmissionMismatchError) return fail(e.message);
    throw e;
  }
  const notes = [...merged.notes];
  merged.nb.cells.forEach((c, i) => {
    const role = merged.roles[i].role;
    if (c.cell_type !== 'code' || (role !== 'solution' && role !== 'student')) return;
    const src = cellText(c);
    for (const [re, what] of SUSPICIOUS) {
      if (re.test(src)) notes.push(`review: cell ${i}${merged.roles[i].gradeId ? ` ("${merged.roles[i].gradeId}")` : ''} uses ${what}`);
    }
  });
  let cwd = o.cwd;
  let start = o.start;
  if (o.prepare) {
    try {
      ({ cwd, start } = o.prepare(o.submissionFile));
    } catch (e) {
      return fail(`could not make the grading sandbox: ${(e as Error).message}`);
    }
  }
  const lastTest = merged.roles.map((r) => r.role).lastIndexOf('test');
  const testCells = merged.roles.flatMap((r, i) => (r.role === 'test' ? [i] : []));
  // The verdicts' folder: the sandbox's kernel folder (/run/kernel inside), else a private one.
  const channel = o.prelude === false ? null : new VerdictChannel(start?.ipc);
  const preload = preloadModules(o.teacher);
  const stubProbes: StubProbe[] = [];
  const probe = async (i: number, exec: (code: string) => Promise<ExecuteResult>): Promise<void> => {
    const test = merged.roles[i].gradeId!;
    // the exercise's solution cells: those whose test cell is this one
    const own = merged.roles.flatMap((r, j) => (r.role === 'solution' && j < i && merged.exerciseOf.get(r.gradeId!) === test ? [j] : []));
    const inconclusive = (why: string) => stubProbes.push({ exercise: test, outcome: 'inconclusive', why });
    if (own.length === 0 || !channel) return void inconclusive('no solution cell before this test cell');
    for (const j of own) {
      const r = await exec(replaceSolutions(cellText(merged.nb.cells[j])));
      if (r.status !== 'ok') return void inconclusive(`the stubbed cell ${j} gave ${r.status}: ${(r.error ?? '').split('\n')[0]}`);
    }
    const t = channel.testCell(test, cellText(merged.nb.cells[i]));
    const r = await exec(t.code);
    const verdict = r.status === 'ok' || r.status === 'error' ? t.judge() : null;
    // the solution back, whatever the stubs did, before any later cell runs
    for (const j of own) {
      const back = await exec(cellText(merged.nb.cells[j]));
      if (back.status !== 'ok') return void inconclusive(`restoring the solution of cell ${j} gave ${back.status}`);
    }
    if (!verdict) return void inconclusive(`the tests on the stubs gave ${r.status}`);
    stubProbes.push({ exercise: test, outcome: verdict.ok ? 'passed' : 'failed' });
  };
  let run;
  try {
    run = await runGraded(merged.nb, {
      afterTestCell: o.probeStubs ? probe : undefined,
      lastCell: lastTest,
      testCells,
      cwd,
      env: { ...o.env, GAN_COURSE_QUICK: o.quick ? '1' : '0' },
      limits: o.limits,
      budgets: o.budgets,
      prelude: channel ? (kernel) => channel.prelude(preload, kernel.ipcOutside) : undefined,
      cellCode: channel
        ? (i) => (merged.roles[i].role === 'test' ? channel.testCell(merged.roles[i].gradeId!, cellText(merged.nb.cells[i])) : undefined)
        : undefined,
      start,
      log: o.log,
    });
  } finally {
    channel?.dispose();
  }
  notes.push(...run.notes);
  if (run.restarts) notes.push(`the kernel was restarted ${run.restarts} time(s)`);
  const rows = scoreRun(o.student, o.notebook, merged, run.cells);
  return { rows, notes, feedback: feedbackNotebook(merged, run.cells, rows, notes), ms: Date.now() - t0, ...(o.probeStubs ? { stubProbes } : {}) };
}
