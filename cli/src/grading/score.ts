/**
 * Scores each exercise (test cell) of a graded run by its execution status alone: a test
 * cell that ran to the end earns its points, anything else earns 0. Printed text is never
 * read; the error text only explains a failure.
 */
import { NOT_IMPLEMENTED_MESSAGE } from 'kernel-helpers/dist/exercises/notImplemented';
import { Notebook } from '../runner';
import { firstErrorLine } from './error-text';
import { MergedNotebook } from './merge-submission';
import { nbgraderMeta } from './nbgrader-cell';
import { CellRun } from './run-graded';

export type ExerciseStatus = 'passed' | 'failed' | 'not-attempted' | 'timeout' | 'crashed' | 'not-run' | 'missing' | 'error';

export interface ExerciseResult {
  student: string;
  notebook: string;
  exercise: string;
  points: number;
  max: number;
  status: ExerciseStatus;
  message: string;
  /** True when the student changed an exercise's locked or test cell (restored before running). */
  flagged: boolean;
}

function describeRun(run: CellRun): { status: ExerciseStatus; message: string } {
  switch (run.status) {
    case 'ok':
      return { status: 'passed', message: 'all checks passed' };
    case 'error': {
      const line = firstErrorLine(run.error);
      if (line.includes(NOT_IMPLEMENTED_MESSAGE)) return { status: 'not-attempted', message: `not attempted: the solution still throws "${NOT_IMPLEMENTED_MESSAGE}"` };
      return { status: 'failed', message: line || 'the test cell failed' };
    }
    case 'timeout':
      return { status: 'timeout', message: `${run.error ?? 'time limit exceeded'} (an endless loop?)` };
    case 'dead':
      return { status: 'crashed', message: `the kernel died while running the tests (${firstErrorLine(run.error) || 'no reason given'}); it was restarted` };
    default:
      return { status: 'not-run', message: run.error ?? 'not run' };
  }
}

/** The results of one graded notebook, one per test cell, in notebook order. */
export function scoreRun(student: string, notebook: string, merged: MergedNotebook, runs: CellRun[]): ExerciseResult[] {
  const out: ExerciseResult[] = [];
  let pendingSolutionTrouble: string[] = [];
  merged.nb.cells.forEach((cell, i) => {
    const role = merged.roles[i];
    const run = runs[i];
    if (role.role === 'solution') {
      if (run.status !== 'ok') {
        const d = describeRun(run);
        pendingSolutionTrouble.push(`the solution cell "${role.gradeId}" itself ${run.status === 'error' ? 'failed' : d.status}: ${d.message}`);
      }
      return;
    }
    if (role.role !== 'test') return;
    const max = Number(nbgraderMeta(cell)?.points);
    const d = describeRun(run);
    const parts = [d.message];
    if (d.status !== 'passed' && d.status !== 'not-attempted') parts.push(...pendingSolutionTrouble);
    pendingSolutionTrouble = [];
    const id = role.gradeId!;
    const flags = [...merged.tampered.entries()].filter(([k]) => merged.exerciseOf.get(k) === id).map(([, v]) => v);
    if (flags.length) parts.push(`FLAGGED: ${flags.join('; ')}`);
    out.push({
      student,
      notebook,
      exercise: id,
      points: d.status === 'passed' ? max : 0,
      max,
      status: d.status,
      message: parts.join(' | '),
      flagged: flags.length > 0,
    });
  });
  return out;
}

/** Rows for a notebook that could not be graded at all: every exercise gets 0 with the reason. */
export function unGradedRows(student: string, notebook: string, teacher: Notebook, status: ExerciseStatus, message: string): ExerciseResult[] {
  const rows: ExerciseResult[] = [];
  for (const cell of teacher.cells) {
    const meta = nbgraderMeta(cell);
    if (cell.cell_type === 'code' && meta?.grade === true && meta.solution !== true) {
      rows.push({ student, notebook, exercise: meta.grade_id ?? '?', points: 0, max: Number(meta.points), status, message, flagged: false });
    }
  }
  return rows;
}
