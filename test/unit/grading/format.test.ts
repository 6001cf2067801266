import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { findFormatProblems, formatProblem, listExercises } from '../../../cli/src/grading/exercise-format';
import { readNotebook, toLines, Notebook } from '../../../cli/src/runner';

const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'grading');
const teacherFile = path.join(fixtures, 'teacher', 'fixture.ipynb');
const load = () => readNotebook(teacherFile);
const byId = (nb: Notebook, id: string) => nb.cells.find((c) => c.metadata.nbgrader?.grade_id === id)!;
const messages = (nb: Notebook) => findFormatProblems(nb, 'x.ipynb').map(formatProblem);

test('the fixture teacher notebook is a valid exercise notebook with three exercises', () => {
  const nb = load();
  assert.deepEqual(findFormatProblems(nb, teacherFile), []);
  assert.deepEqual(listExercises(nb).map((e) => [e.gradeId, e.points]), [['double-tests', 1], ['mean-tests', 2], ['count-positive-tests', 1.5]]);
});

test('duplicate grade_ids and non-numeric points name the file and both cells', () => {
  const dup = readNotebook(path.join(fixtures, 'bad-teacher', 'duplicate-ids', 'fixture.ipynb'));
  const m = findFormatProblems(dup, 'dup.ipynb').map(formatProblem);
  assert.deepEqual(m, ['dup.ipynb: cell 7 (grade_id "double-tests"): duplicate grade_id "double-tests" (also used by cell 4)']);
  const pts = readNotebook(path.join(fixtures, 'bad-teacher', 'non-numeric-points', 'fixture.ipynb'));
  assert.deepEqual(findFormatProblems(pts, 'p.ipynb').map(formatProblem), [
    'p.ipynb: cell 10 (grade_id "count-positive-tests"): nbgrader.points must be a number > 0, got "three"',
  ]);
});

test('markers: unbalanced, missing, outside their cells, not inside a function', () => {
  let nb = load();
  byId(nb, 'double').source = toLines('function double(x: number): number {\n  // BEGIN SOLUTION\n  return 2 * x;\n}');
  assert.match(messages(nb).join('\n'), /cell 3 \(grade_id "double"\): unbalanced solution markers: line 2: BEGIN SOLUTION is never closed/);

  nb = load();
  byId(nb, 'mean').source = toLines('function mean(xs: number[]): number {\n  return 0;\n}');
  assert.match(messages(nb).join('\n'), /cell 6 \(grade_id "mean"\): solution cell without/);

  nb = load();
  byId(nb, 'mean').source = toLines('// BEGIN SOLUTION\nconst m = 1;\n// END SOLUTION');
  assert.match(messages(nb).join('\n'), /not indented: put it inside a function body/);

  nb = load();
  nb.cells[1].source = toLines('// BEGIN HIDDEN TESTS\nconst a = 1;\n// END HIDDEN TESTS');
  assert.match(messages(nb).join('\n'), /cell 1: has hidden-test markers but no nbgrader metadata/);
});

test('test cells must import check themselves; points > 0; schema 3; grade cells are code', () => {
  let nb = load();
  byId(nb, 'mean-tests').source = toLines("check.close(mean([1]), 1, { name: 'm' });");
  assert.match(messages(nb).join('\n'), /cell 7 \(grade_id "mean-tests"\): uses check\.\* without importing it in the cell/);

  nb = load();
  byId(nb, 'mean-tests').metadata.nbgrader.points = 0;
  byId(nb, 'double').metadata.nbgrader.schema_version = 1;
  const m = messages(nb).join('\n');
  assert.match(m, /nbgrader\.points must be > 0, got 0/);
  assert.match(m, /cell 3 \(grade_id "double"\): nbgrader\.schema_version must be 3, got 1/);

  nb = load();
  delete byId(nb, 'double-tests').metadata.nbgrader.grade_id;
  assert.match(messages(nb).join('\n'), /cell 4: nbgrader\.grade_id is missing/);
});

test('a solution cell needs a test cell after it', () => {
  const nb = load();
  nb.cells.splice(10, 1); // the last test cell
  assert.match(messages(nb).join('\n'), /cell 9 \(grade_id "count-positive"\): solution cell has no test cell after it/);
});
