import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { mergeSubmission, SubmissionMismatchError } from '../../../cli/src/grading/merge-submission';
import { solvedSubmission, studentVersion } from '../../../cli/src/grading/student-version';
import { readNotebook, sourceText, toLines, Cell } from '../../../cli/src/runner';

const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'grading');
const teacher = () => readNotebook(path.join(fixtures, 'teacher', 'fixture.ipynb'));
const scratch = (text: string): Cell => ({ cell_type: 'code', metadata: {}, source: toLines(text), outputs: [], execution_count: null });

test('an untouched submission: hidden tests restored, student code kept, nothing flagged', () => {
  const t = teacher();
  const m = mergeSubmission(t, solvedSubmission(t), 's.ipynb');
  assert.equal(m.tampered.size, 0);
  assert.equal(m.nb.cells.length, t.cells.length);
  const tests = m.nb.cells[m.roles.findIndex((r) => r.gradeId === 'double-tests')];
  assert.match(sourceText(tests.source), /double\(-1\.5\)/, 'hidden tests are back for grading');
  assert.doesNotMatch(m.feedbackSources[m.roles.findIndex((r) => r.gradeId === 'double-tests')], /double\(-1\.5\)/, 'but not in feedback');
  assert.deepEqual(m.roles.filter((r) => r.role === 'test').map((r) => r.gradeId), ['double-tests', 'mean-tests', 'count-positive-tests']);
});

test('changed, deleted and duplicated tracked cells are restored and flagged; scratch cells stay in place', () => {
  const t = teacher();
  const sub = studentVersion(t);
  const iMean = sub.cells.findIndex((c) => c.metadata.nbgrader?.grade_id === 'mean-tests');
  sub.cells[iMean].source = toLines('// gone');
  const iCount = sub.cells.findIndex((c) => c.metadata.nbgrader?.grade_id === 'count-positive-tests');
  sub.cells.splice(iCount, 1);
  const iDouble = sub.cells.findIndex((c) => c.metadata.nbgrader?.grade_id === 'double-tests');
  sub.cells[iDouble].metadata.nbgrader.points = 100;
  sub.cells.splice(iDouble + 1, 0, scratch('const myScratch = 1;'));
  const m = mergeSubmission(t, sub, 's.ipynb');
  assert.match(m.tampered.get('mean-tests')!, /test cell was changed; restored/);
  assert.match(m.tampered.get('count-positive-tests')!, /test cell was deleted; restored/);
  assert.match(m.tampered.get('double-tests')!, /changed/);
  const iMerged = m.roles.findIndex((r) => r.gradeId === 'double-tests');
  assert.equal(m.nb.cells[iMerged].metadata.nbgrader.points, 1, "the teacher's points count");
  assert.equal(sourceText(m.nb.cells[iMerged + 1].source), 'const myScratch = 1;');
  assert.equal(m.roles.filter((r) => r.role === 'test').length, 3);
});

test('a notebook from another assignment is refused, naming the file', () => {
  const other = studentVersion(teacher());
  for (const c of other.cells) if (c.metadata.nbgrader) c.metadata.nbgrader.grade_id += '-hw9';
  assert.throws(() => mergeSubmission(teacher(), other, 'sub/x.ipynb'), (e: unknown) => e instanceof SubmissionMismatchError && /sub\/x\.ipynb: none of this notebook's exercise cells/.test((e as Error).message));
});

test('a solution cell that lost its metadata: the student code still runs, no stub overrides it, flagged', () => {
  const t = teacher();
  const sub = solvedSubmission(t);
  const i = sub.cells.findIndex((c) => c.metadata.nbgrader?.grade_id === 'mean');
  delete sub.cells[i].metadata.nbgrader;
  const m = mergeSubmission(t, sub, 's.ipynb');
  assert.match(m.tampered.get('mean')!, /solution cell "mean" is missing/);
  const texts = m.nb.cells.map((c) => sourceText(c.source));
  assert.equal(texts.filter((s) => s.includes('function mean(')).length, 1);
  assert.ok(!texts.some((s) => s.includes('not implemented yet')));
  assert.ok(texts.findIndex((s) => s.includes('function mean(')) < m.roles.findIndex((r) => r.gradeId === 'mean-tests'));
});
