/**
 * Builds the notebook that is actually graded from a student's submission and the teacher's
 * version (nbgrader's OverwriteCells, plus tamper detection):
 * - solution cells: the student's code;
 * - test cells and read-only cells: the teacher's version, hidden tests included, whatever the
 *   student did to them; a changed, deleted or duplicated one is flagged;
 * - cells the student added (scratch work) and ordinary unlocked cells: the student's, kept
 *   after the exercise cell they followed in the submission;
 * - the setup cell (the teacher's first code cell, when it is not an exercise cell) counts as
 *   the teacher's: the teacher's version runs first, before any cell of the student's; a
 *   changed or missing one is noted;
 * - exercise cells come in the teacher's order.
 */
import { Cell, Notebook, toLines } from '../runner';
import { computeChecksum } from './checksum';
import { cellText, gradeId, isSolution, isTestCell, isTracked } from './nbgrader-cell';
import { studentCell } from './student-version';

export type CellRole = 'solution' | 'test' | 'locked' | 'student';

export interface MergedNotebook {
  nb: Notebook;
  /** Per merged cell: what it is, and its grade_id for exercise cells. */
  roles: { role: CellRole; gradeId?: string }[];
  /** Per merged cell: the source a student may see in feedback (hidden tests removed). */
  feedbackSources: string[];
  /** grade_id -> what the student changed in that cell (restored before running). */
  tampered: Map<string, string>;
  /** grade_id of an exercise cell -> grade_id of the test cell it belongs to (the next one in the teacher's order). */
  exerciseOf: Map<string, string>;
  /** Notes about the submission as a whole (cells it added with nbgrader metadata, ...). */
  notes: string[];
}

/** A submission that cannot be graded against this teacher notebook at all. */
export class SubmissionMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionMismatchError';
  }
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

function clearOutputs(cell: Cell): Cell {
  if (cell.cell_type === 'code') {
    cell.outputs = [];
    cell.execution_count = null;
  }
  return cell;
}

const START = '\u0000start';

export function mergeSubmission(teacher: Notebook, submission: Notebook, submissionFile: string): MergedNotebook {
  const anchors = new Map<string, { index: number; cell: Cell }>();
  teacher.cells.forEach((c, index) => {
    const id = gradeId(c);
    if (id && isTracked(c)) anchors.set(id, { index, cell: c });
  });

  const exerciseOf = new Map<string, string>();
  let waiting: string[] = [];
  let lastTest: string | undefined;
  for (const [id, { cell }] of anchors) {
    waiting.push(id);
    if (isTestCell(cell)) {
      for (const w of waiting) exerciseOf.set(w, id);
      waiting = [];
      lastTest = id;
    }
  }
  // Read-only cells after the last test cell are reported with the last exercise.
  if (lastTest) for (const w of waiting) exerciseOf.set(w, lastTest);

  // The setup cell: matched by its nbformat cell id, else by its text; the student's copy is
  // dropped (the teacher's runs in its place).
  const firstCode = teacher.cells.find((c) => c.cell_type === 'code');
  const setup = firstCode && !isTracked(firstCode) ? firstCode : undefined;
  const setupText = setup ? cellText(setup) : '';
  let setupCopy = -1;
  if (setup) {
    const untrackedCode = (c: Cell) => c.cell_type === 'code' && !(gradeId(c) && anchors.has(gradeId(c)!));
    setupCopy = submission.cells.findIndex((c) => untrackedCode(c) && typeof setup.id === 'string' && c.id === setup.id);
    if (setupCopy < 0) setupCopy = submission.cells.findIndex((c) => untrackedCode(c) && cellText(c) === setupText);
  }

  const studentById = new Map<string, Cell>();
  const extras = new Map<string, Cell[]>([[START, []]]);
  const tampered = new Map<string, string>();
  const notes: string[] = [];
  if (setup) {
    if (setupCopy < 0) notes.push("the setup cell (the notebook's first code cell) is not in the submission (deleted, or changed beyond recognition); the teacher's was run first");
    else if (cellText(submission.cells[setupCopy]) !== setupText) notes.push("FLAGGED: the setup cell (the notebook's first code cell) was changed; the teacher's was run in its place");
    if (setupCopy > 0 && submission.cells.slice(0, setupCopy).some((c) => c.cell_type === 'code')) notes.push('cells placed before the setup cell were run after it');
  }
  /** How many of the cells before the first exercise cell came before the student's setup copy. */
  let beforeSetup = 0;
  let current = START;
  submission.cells.forEach((c, i) => {
    if (i === setupCopy) {
      if (current === START) beforeSetup = extras.get(START)!.length;
      return;
    }
    const id = gradeId(c);
    if (id && anchors.has(id)) {
      if (studentById.has(id)) {
        tampered.set(id, `the submission has two cells with grade_id "${id}" (cell ${i} is ignored)`);
        return;
      }
      studentById.set(id, c);
      current = id;
      if (!extras.has(id)) extras.set(id, []);
      return;
    }
    const own = clone(c);
    if (own.metadata?.nbgrader !== undefined) {
      if (isTracked(own)) notes.push(`cell ${i} carries nbgrader metadata (grade_id "${id ?? '?'}") unknown to the teacher's version; it is run as an ordinary cell`);
      delete own.metadata.nbgrader;
    }
    extras.get(current)!.push(own);
  });

  if (anchors.size > 0 && studentById.size === 0) {
    const ids = [...anchors.keys()].slice(0, 4).map((s) => `"${s}"`).join(', ');
    throw new SubmissionMismatchError(
      `${submissionFile}: none of this notebook's exercise cells (grade_id ${ids}${anchors.size > 4 ? ', ...' : ''}) are in the submission: is it a submission for another assignment?`,
    );
  }

  const cells: Cell[] = [];
  const roles: MergedNotebook['roles'] = [];
  const feedbackSources: string[] = [];
  const push = (cell: Cell, role: CellRole, feedbackSource: string, id?: string) => {
    cells.push(clearOutputs(cell));
    roles.push({ role, gradeId: id });
    feedbackSources.push(feedbackSource);
  };
  const pushExtras = (key: string) => {
    for (const c of extras.get(key) ?? []) push(c, 'student', cellText(c));
  };

  if (setup) {
    // Markdown before the student's copy of the setup cell stays above it (the title); every
    // code cell of the student's runs after it.
    const start = extras.get(START)!;
    let k = 0;
    for (; k < beforeSetup && start[k].cell_type !== 'code'; k++) push(start[k], 'student', cellText(start[k]));
    push(clone(setup), 'locked', setupText);
    extras.set(START, start.slice(k));
  }
  pushExtras(START);
  for (const [id, { cell: tcell }] of anchors) {
    const released = studentCell(tcell);
    const mine = studentById.get(id);
    if (isSolution(tcell)) {
      if (mine) {
        const cell = clone(tcell);
        cell.source = toLines(cellText(mine));
        if (mine.cell_type !== tcell.cell_type) tampered.set(id, `the solution cell was changed from ${tcell.cell_type} to ${mine.cell_type}`);
        push(cell, 'solution', cellText(cell), id);
      } else {
        // No stub in its place: a student who moved the code to a cell of their own (or lost
        // the cell's metadata) is graded on whatever their cells define.
        tampered.set(id, `the solution cell "${id}" is missing from the submission (deleted, or its metadata lost)`);
      }
    } else {
      const role: CellRole = isTestCell(tcell) ? 'test' : 'locked';
      const what = role === 'test' ? 'test cell' : 'read-only cell';
      if (!mine) tampered.set(id, `the ${what} was deleted; restored from the teacher's version`);
      else if (!tampered.has(id)) {
        let theirs: string;
        try {
          theirs = computeChecksum(mine);
        } catch {
          theirs = '';
        }
        if (theirs !== released.metadata.nbgrader.checksum) tampered.set(id, `the ${what} was changed; restored from the teacher's version`);
      }
      push(clone(tcell), role, cellText(released), id);
    }
    pushExtras(id);
  }

  const nb = clone(submission);
  nb.cells = cells;
  nb.metadata = clone(teacher.metadata);
  return { nb, roles, feedbackSources, tampered, exerciseOf, notes };
}
