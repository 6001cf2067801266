import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { computeChecksum } from '../../../cli/src/grading/checksum';
import { solvedSubmission, studentVersion } from '../../../cli/src/grading/student-version';
import { readNotebook, sourceText } from '../../../cli/src/runner';

const teacherFile = path.join(__dirname, '..', '..', 'fixtures', 'grading', 'teacher', 'fixture.ipynb');

test('the student version has stubs, no hidden tests, no outputs, and nbgrader checksums', () => {
  const teacher = readNotebook(teacherFile);
  teacher.cells[1] = { ...teacher.cells[1], outputs: [{ output_type: 'stream', name: 'stdout', text: 'old' }], execution_count: 3 } as never;
  const before = JSON.stringify(teacher);
  const s = studentVersion(teacher);
  assert.equal(JSON.stringify(teacher), before, 'the teacher notebook is not modified');
  const text = s.cells.map((c) => sourceText(c.source)).join('\n');
  assert.doesNotMatch(text, /BEGIN SOLUTION|END SOLUTION|HIDDEN TESTS|SCALE \* x|double\(-1\.5\)/);
  assert.match(sourceText(s.cells[3].source), /^function double\(x: number\): number \{\n  \/\/ YOUR CODE HERE\n  throw new Error\('not implemented yet/);
  for (const c of s.cells) {
    if (c.cell_type === 'code') {
      assert.deepEqual(c.outputs, []);
      assert.equal(c.execution_count, null);
    }
    const m = c.metadata.nbgrader;
    if (m && (m.grade || m.solution || m.locked)) {
      assert.equal(m.checksum, computeChecksum(c));
      assert.equal(m.cell_type, c.cell_type);
    }
  }
  const tests = s.cells.find((c) => c.metadata.nbgrader?.grade_id === 'mean-tests')!;
  assert.equal(tests.metadata.editable, false);
  assert.equal(tests.metadata.deletable, false);
  assert.equal(s.cells[3].metadata.deletable, false);
  assert.equal(s.cells[3].metadata.editable, undefined);
});

test('solvedSubmission is the student version with the teacher solutions back', () => {
  const teacher = readNotebook(teacherFile);
  const solved = solvedSubmission(teacher);
  assert.equal(sourceText(solved.cells[3].source), sourceText(teacher.cells[3].source));
  assert.doesNotMatch(sourceText(solved.cells[4].source), /HIDDEN/);
});
