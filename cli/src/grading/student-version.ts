/**
 * The student version of a teacher's notebook, as nbgrader's generate_assignment makes it
 * (LockCells, ClearSolutions, ClearOutput, ClearHiddenTests, ComputeChecksums): solution
 * regions replaced by the stub, hidden tests removed, outputs and execution counts cleared,
 * locked cells made read-only, and a checksum on every grade, solution and locked cell.
 */
import { Cell, Notebook, toLines } from '../runner';
import { computeChecksum } from './checksum';
import { removeHiddenTests, replaceSolutions } from './markers';
import { cellText, isGrade, isLocked, isSolution, isTracked, nbgraderMeta } from './nbgrader-cell';

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** The released form of one cell (a new object; the input is not changed). */
export function studentCell(cell: Cell): Cell {
  const out = clone(cell);
  let text = cellText(out);
  if (isSolution(out)) text = replaceSolutions(text);
  if (isGrade(out)) text = removeHiddenTests(text);
  out.source = toLines(text);
  if (out.cell_type === 'code') {
    out.outputs = [];
    out.execution_count = null;
  }
  // LockCells: test and read-only cells become undeletable and uneditable, solution cells undeletable.
  if (isSolution(out)) out.metadata.deletable = false;
  else if (isLocked(out)) {
    out.metadata.deletable = false;
    out.metadata.editable = false;
  }
  if (isTracked(out)) {
    const meta = nbgraderMeta(out)!;
    meta.checksum = computeChecksum(out);
    meta.cell_type = out.cell_type;
  }
  return out;
}

/** The student version of a whole notebook (call assertExerciseFormat first). */
export function studentVersion(nb: Notebook): Notebook {
  const out = clone(nb);
  out.cells = nb.cells.map(studentCell);
  delete (out.metadata as Record<string, unknown>).celltoolbar;
  return out;
}

/**
 * What a student who solved everything hands in: the student version with the teacher's
 * solution cells put back. Grading it must give full marks (`validate` checks that).
 */
export function solvedSubmission(nb: Notebook): Notebook {
  const out = studentVersion(nb);
  nb.cells.forEach((c, i) => {
    if (isSolution(c)) out.cells[i].source = toLines(cellText(c));
  });
  return out;
}
