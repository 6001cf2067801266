/**
 * The structural rules of docs/exercises.md, checked without running anything: metadata,
 * unique ids, points, markers, the fresh `check` import in test cells.
 */
import { Cell, Notebook } from '../runner';
import { scanMarkers, HIDDEN_TEST_MARKERS, SOLUTION_MARKERS } from './markers';
import { cellText, gradeId, isGrade, isSolution, isTestCell, nbgraderMeta, SCHEMA_VERSION } from './nbgrader-cell';

export interface FormatProblem {
  file: string;
  cellIndex: number;
  gradeId?: string;
  message: string;
}

export function formatProblem(p: FormatProblem): string {
  const where = p.gradeId ? `cell ${p.cellIndex} (grade_id "${p.gradeId}")` : `cell ${p.cellIndex}`;
  return `${p.file}: ${where}: ${p.message}`;
}

/** Thrown when a teacher's notebook breaks the format; the message lists every problem. */
export class ExerciseFormatError extends Error {
  constructor(readonly problems: FormatProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ExerciseFormatError';
  }
}

const GRADE_ID = /^[A-Za-z0-9_-]+$/;
const USES_CHECK = /\bcheck\s*\./;
const IMPORTS_CHECK = /^\s*import\s*\{[^}]*\bcheck\b[^}]*\}\s*from\s*['"]kernel-helpers(?:\/[\w/.-]+)?['"]/m;

/** Every format problem of one notebook (empty when it is a valid exercise notebook). */
export function findFormatProblems(nb: Notebook, file: string): FormatProblem[] {
  const problems: FormatProblem[] = [];
  const add = (i: number, cell: Cell, message: string) =>
    problems.push({ file, cellIndex: i, gradeId: gradeId(cell), message });
  const seen = new Map<string, number>();
  let openSolution: number | null = null;

  nb.cells.forEach((cell, i) => {
    const raw = cell.metadata?.nbgrader;
    const text = cellText(cell);
    const solScan = scanMarkers(text, SOLUTION_MARKERS);
    const hidScan = scanMarkers(text, HIDDEN_TEST_MARKERS);
    if (raw === undefined) {
      if (solScan.regions.length || solScan.problems.length) add(i, cell, 'has solution markers but no nbgrader metadata (make it a solution cell)');
      if (hidScan.regions.length || hidScan.problems.length) add(i, cell, 'has hidden-test markers but no nbgrader metadata (make it a test cell)');
      return;
    }
    const meta = nbgraderMeta(cell);
    if (!meta) {
      add(i, cell, `metadata.nbgrader must be an object, got ${JSON.stringify(raw)}`);
      return;
    }
    for (const key of ['grade', 'solution', 'locked'] as const) {
      if (meta[key] !== undefined && typeof meta[key] !== 'boolean') add(i, cell, `nbgrader.${key} must be true or false, got ${JSON.stringify(meta[key])}`);
    }
    const tracked = meta.grade === true || meta.solution === true || meta.locked === true;
    if (!tracked) return; // an nbgrader entry that marks nothing (nbgrader ignores it too)
    if (meta.schema_version !== SCHEMA_VERSION) {
      add(i, cell, `nbgrader.schema_version must be ${SCHEMA_VERSION}, got ${JSON.stringify(meta.schema_version)}`);
    }
    const id = meta.grade_id;
    if (typeof id !== 'string' || id === '') {
      add(i, cell, `nbgrader.grade_id is missing (every grade, solution and locked cell needs one)`);
    } else {
      if (!GRADE_ID.test(id)) add(i, cell, `grade_id may only use letters, digits, '-' and '_'`);
      const first = seen.get(id);
      if (first !== undefined) add(i, cell, `duplicate grade_id "${id}" (also used by cell ${first})`);
      else seen.set(id, i);
    }
    if (isGrade(cell)) {
      const pts = meta.points as unknown;
      if (typeof pts !== 'number' || !Number.isFinite(pts)) add(i, cell, `nbgrader.points must be a number > 0, got ${JSON.stringify(pts)}`);
      else if (pts <= 0) add(i, cell, `nbgrader.points must be > 0, got ${pts}`);
      if (isSolution(cell)) add(i, cell, 'a cell that is both grade and solution is graded by hand in nbgrader; the course grades only test cells automatically: split it into a solution cell and a test cell');
      else if (cell.cell_type !== 'code') add(i, cell, `a grade cell must be a code cell (a ${cell.cell_type} grade cell needs manual grading)`);
    } else if (meta.points !== undefined && typeof meta.points !== 'number') {
      add(i, cell, `nbgrader.points must be a number, got ${JSON.stringify(meta.points)}`);
    }
    if (isSolution(cell) && !isGrade(cell)) {
      if (cell.cell_type !== 'code') add(i, cell, 'solution cells must be code cells');
      if (solScan.problems.length) add(i, cell, `unbalanced solution markers: ${solScan.problems.join('; ')}`);
      else if (solScan.regions.length === 0) add(i, cell, 'solution cell without "// BEGIN SOLUTION" ... "// END SOLUTION" (the solution goes inside a function body between them)');
      for (const r of solScan.regions) {
        if (r.indent === '') add(i, cell, `the solution region on line ${r.beginLine} is not indented: put it inside a function body so the student's stub still compiles and the cell does not throw when run`);
      }
      if (openSolution !== null) {
        const prev = nb.cells[openSolution];
        add(openSolution, prev, 'solution cell is not followed by a test cell before the next solution cell');
      }
      openSolution = i;
    } else if (solScan.regions.length || solScan.problems.length) {
      add(i, cell, 'solution markers outside a solution cell (only solution cells may contain BEGIN/END SOLUTION)');
    }
    if (isTestCell(cell)) {
      openSolution = null;
      if (hidScan.problems.length) add(i, cell, `unbalanced hidden-test markers: ${hidScan.problems.join('; ')}`);
      if (USES_CHECK.test(text) && !IMPORTS_CHECK.test(text)) {
        add(i, cell, "uses check.* without importing it in the cell: start the cell with `import { check } from 'kernel-helpers';`");
      }
    } else if (hidScan.regions.length || hidScan.problems.length) {
      add(i, cell, 'hidden-test markers outside a test cell');
    }
  });
  if (openSolution !== null) add(openSolution, nb.cells[openSolution], 'solution cell has no test cell after it');
  return problems;
}

export function assertExerciseFormat(nb: Notebook, file: string): void {
  const problems = findFormatProblems(nb, file);
  if (problems.length) throw new ExerciseFormatError(problems);
}

/** The test cells of a notebook, in order: what a grade is made of. */
export interface ExerciseInfo {
  gradeId: string;
  cellIndex: number;
  points: number;
}

export function listExercises(nb: Notebook): ExerciseInfo[] {
  const out: ExerciseInfo[] = [];
  nb.cells.forEach((c, i) => {
    if (isTestCell(c)) out.push({ gradeId: gradeId(c) ?? `cell-${i}`, cellIndex: i, points: Number(nbgraderMeta(c)!.points) });
  });
  return out;
}
