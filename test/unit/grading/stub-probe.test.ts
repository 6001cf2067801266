/**
 * `validate --check-stubs` probes each exercise's stubs in the solved run's own kernel
 * (gradeSubmission's probeStubs): the stubs replace the solution, the tests run again and are
 * judged by their verdict, and the solution is put back for the cells after it. Real tslab
 * kernels, no sandbox; needs the built library (`npm run build`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { gradeSubmission } from '../../../cli/src/grading/grade-submission';
import { solvedSubmission } from '../../../cli/src/grading/student-version';
import { Notebook, readNotebook, sourceText, toLines } from '../../../cli/src/runner';

const root = path.join(__dirname, '..', '..', '..');
const teacherDir = path.join(root, 'test', 'fixtures', 'grading', 'teacher');
const built = fs.existsSync(path.join(root, 'kernel-helpers', 'dist', 'exercises', 'index.js'));
const skip = built ? false : 'kernel-helpers is not built (run `npm run build`)';

/** The fixture with changes: a test that checks nothing, a stub that never ends, a cell after the exercises that uses a solution. */
function variant(change: (nb: Notebook) => void): Notebook {
  const nb = readNotebook(path.join(teacherDir, 'fixture.ipynb'));
  change(nb);
  return nb;
}
const cellById = (nb: Notebook, id: string) => nb.cells.find((c) => (c.metadata as { nbgrader?: { grade_id?: string } }).nbgrader?.grade_id === id)!;

async function probe(nb: Notebook, cellTimeoutMs = 8000) {
  return gradeSubmission({
    student: 'teacher', notebook: 'fixture.ipynb', teacher: nb, submissionFile: path.join(teacherDir, 'fixture.ipynb'),
    submission: solvedSubmission(nb), cwd: teacherDir, quick: true, limits: { cellTimeoutMs }, probeStubs: true,
  });
}

test('the stubs probed in the solved run: every test fails on them, and the solutions still score full marks', { skip }, async () => {
  const nb = variant((n) => {
    // a later exercise that needs the first solution back: it fails if the stub stayed
    const t = cellById(n, 'mean-tests');
    t.source = toLines(`${sourceText(t.source)}\ncheck.close(double(3), 6, { name: 'double(3), after the probe' });`);
  });
  const g = await probe(nb);
  assert.deepEqual(g.rows.map((r) => r.status), ['passed', 'passed', 'passed']);
  assert.deepEqual(g.stubProbes, [
    { exercise: 'double-tests', outcome: 'failed' },
    { exercise: 'mean-tests', outcome: 'failed' },
    { exercise: 'count-positive-tests', outcome: 'failed' },
  ]);
});

test('a test that checks nothing is caught by the probe; a stub that never returns makes the probe inconclusive', { skip }, async () => {
  const nb = variant((n) => {
    cellById(n, 'mean-tests').source = toLines("import { check } from 'kernel-helpers/dist/exercises';\ncheck.close(2, 2, { name: 'nothing' });");
    // a stub that loops: the probe times out, and says so
    cellById(n, 'count-positive').source = toLines('function countPositive(xs: number[]): number {\n  let done = false;\n  try {\n    // BEGIN SOLUTION\n    done = true;\n    return xs.filter((x) => x > 0).length;\n    // END SOLUTION\n  } finally {\n    while (!done) {}\n  }\n}');
  });
  // a short cell limit: the looping stub is stopped after 3 s
  const g = await probe(nb, 3000);
  const by = new Map(g.stubProbes!.map((p) => [p.exercise, p]));
  assert.equal(by.get('double-tests')!.outcome, 'failed');
  assert.equal(by.get('mean-tests')!.outcome, 'passed');
  assert.equal(by.get('count-positive-tests')!.outcome, 'inconclusive');
  assert.match(by.get('count-positive-tests')!.why!, /timeout|dead/);
});
