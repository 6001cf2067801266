/**
 * Grades every sample submission in test/fixtures/grading/submissions with real tslab
 * kernels (two at a time) and checks each one's score, status and message.
 * Needs the built library (`npm run build`): the fixture notebook imports the checks from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gradeClass, GradeClassResult } from '../../../cli/src/grading/grade-class';
import { ExerciseResult } from '../../../cli/src/grading/score';
import { readNotebook, sourceText } from '../../../cli/src/runner';

const root = path.join(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'grading');
const built = fs.existsSync(path.join(root, 'kernel-helpers', 'dist', 'exercises', 'index.js'));

let result: GradeClassResult;
let out: string;
const rows = (student: string, notebook = 'fixture.ipynb') => result.rows.filter((r) => r.student === student && r.notebook === notebook);
const row = (student: string, exercise: string) => rows(student).find((r) => r.exercise === exercise)!;
const total = (student: string) => rows(student).reduce((s, r) => s + r.points, 0);
const statuses = (student: string) => rows(student).map((r: ExerciseResult) => r.status);

test('grading the sample submissions', { skip: built ? false : 'kernel-helpers is not built (run `npm run build`)' }, async (t) => {
  out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grading-fixtures-')), 'graded');
  result = await gradeClass({
    sourceDir: path.join(fixtures, 'teacher'),
    submissionsDir: path.join(fixtures, 'submissions'),
    outDir: out,
    jobs: 2,
    limits: { cellTimeoutMs: 8000 },
  });

  await t.test('all correct: full marks', () => {
    assert.deepEqual(statuses('all-correct'), ['passed', 'passed', 'passed']);
    assert.equal(total('all-correct'), 4.5);
    assert.ok(rows('all-correct').every((r) => r.max === r.points && !r.flagged));
  });

  await t.test('all stubs: zero, "not attempted"', () => {
    assert.deepEqual(statuses('all-stubs'), ['not-attempted', 'not-attempted', 'not-attempted']);
    assert.equal(total('all-stubs'), 0);
    assert.match(row('all-stubs', 'mean-tests').message, /not implemented yet/);
  });

  await t.test('partly wrong: points for the right one, the failed check named', () => {
    assert.deepEqual(statuses('partly-wrong'), ['passed', 'failed', 'not-attempted']);
    assert.equal(total('partly-wrong'), 1);
    assert.match(row('partly-wrong', 'mean-tests').message, /CheckError: mean\(\[1, 2, 3\]\): expected 2, got 6/);
  });

  await t.test('syntax error: costs only that exercise, and says the solution cell failed', () => {
    assert.deepEqual(statuses('syntax-error'), ['failed', 'passed', 'passed']);
    assert.equal(total('syntax-error'), 3.5);
    assert.match(row('syntax-error', 'double-tests').message, /solution cell "double" itself failed: TypeScript error/);
  });

  await t.test('infinite loop: timeout for that exercise, the others graded after a restart', () => {
    assert.deepEqual(statuses('infinite-loop'), ['passed', 'timeout', 'passed']);
    assert.equal(total('infinite-loop'), 2.5);
    assert.match(row('infinite-loop', 'mean-tests').message, /did not finish within 8\.0 s/);
  });

  await t.test('kernel crash (process.exit): that exercise crashed, later ones still pass', () => {
    assert.deepEqual(statuses('kernel-crash'), ['crashed', 'passed', 'passed']);
    assert.equal(total('kernel-crash'), 3.5);
    assert.match(row('kernel-crash', 'double-tests').message, /kernel died .*exited with code 3/);
    const notes = result.students.find((s) => s.student === 'kernel-crash')!.notes.join('\n');
    assert.match(notes, /uses process\.exit/);
  });

  await t.test('tampered test cell: restored (the wrong solution fails) and flagged', () => {
    assert.deepEqual(statuses('tampered-test'), ['passed', 'failed', 'passed']);
    assert.equal(total('tampered-test'), 2.5);
    const mean = row('tampered-test', 'mean-tests');
    assert.ok(mean.flagged);
    assert.match(mean.message, /FLAGGED: the test cell was changed; restored/);
    assert.match(row('tampered-test', 'double-tests').message, /FLAGGED: the read-only cell was changed/);
    assert.equal(row('tampered-test', 'count-positive-tests').flagged, false);
  });

  await t.test('fake success prints earn nothing', () => {
    assert.equal(total('fake-success'), 0);
    assert.deepEqual(statuses('fake-success'), ['not-attempted', 'not-attempted', 'not-attempted']);
  });

  await t.test('a student cell redefining the checks does not fake a pass', () => {
    assert.deepEqual(statuses('redefines-helpers'), ['failed', 'failed', 'passed']);
    assert.match(row('redefines-helpers', 'double-tests').message, /double\(2\): expected 4, got 2/);
    assert.match(row('redefines-helpers', 'mean-tests').message, /got NaN/);
  });

  await t.test('malformed .ipynb and another assignment: error rows naming the file', () => {
    assert.deepEqual(statuses('malformed'), ['error', 'error', 'error']);
    assert.match(row('malformed', 'double-tests').message, /malformed notebook: .*malformed\/fixture\.ipynb: not a valid notebook, the file is not JSON/);
    assert.deepEqual(statuses('other-assignment'), ['error', 'error', 'error']);
    assert.match(row('other-assignment', 'mean-tests').message, /other-assignment\/fixture\.ipynb: none of this notebook's exercise cells .* another assignment/);
    assert.equal(total('malformed') + total('other-assignment'), 0);
  });

  await t.test('a notebook without a teacher version is reported, the rest graded', () => {
    assert.equal(total('extra-notebook'), 4.5);
    const extra = rows('extra-notebook', 'notes.ipynb');
    assert.equal(extra.length, 1);
    assert.match(extra[0].message, /notes\.ipynb: no teacher version of notes\.ipynb/);
    assert.ok(result.errors.some((e) => e.includes('notes.ipynb')));
  });

  await t.test('gradebook CSV/JSON and feedback notebooks (without hidden tests)', () => {
    const csv = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\r\n');
    assert.equal(csv[0], 'student,notebook,exercise,points,max,status,message,flagged');
    assert.equal(csv.length, 1 + result.rows.length);
    assert.ok(csv.includes('all-correct,fixture.ipynb,mean-tests,2,2,passed,all checks passed,false'));
    const json = JSON.parse(fs.readFileSync(path.join(out, 'gradebook.json'), 'utf8'));
    assert.equal(json.rows.length, result.rows.length);
    assert.deepEqual(json.students.find((s: { student: string }) => s.student === 'partly-wrong'), { ...json.students.find((s: { student: string }) => s.student === 'partly-wrong'), points: 1, max: 4.5 });
    const fb = readNotebook(path.join(out, 'feedback', 'partly-wrong', 'fixture.ipynb'));
    const text = fb.cells.map((c) => sourceText(c.source)).join('\n');
    assert.match(text, /Feedback for partly-wrong: 1 \/ 4\.5 points/);
    assert.doesNotMatch(text, /HIDDEN TESTS|mean\(\[-1, 1\]\)/);
    const bad = readNotebook(path.join(out, 'feedback', 'malformed', 'fixture.ipynb'));
    assert.match(sourceText(bad.cells[0].source), /0 \/ 4\.5 points[\s\S]*could not be graded[\s\S]*not a valid notebook/);
  });
});
