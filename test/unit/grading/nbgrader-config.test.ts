import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { SOLUTION_STUB_LINES } from '../../../kernel-helpers/src/exercises/notImplemented';
import { BEGIN_HIDDEN_TESTS, BEGIN_SOLUTION, END_HIDDEN_TESTS, END_SOLUTION } from '../../../cli/src/grading/markers';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'exercises.md'), 'utf8');

test("the nbgrader config in docs/exercises.md releases exactly what `assign` releases", () => {
  const m = /"typescript":\s*"((?:[^"\\]|\\.)*)"/.exec(doc);
  assert.ok(m, 'docs/exercises.md has a "typescript" code_stub entry');
  const stub = JSON.parse(`"${m[1]}"`) as string;
  assert.equal(stub, SOLUTION_STUB_LINES.join('\n'));
  for (const [option, value] of [
    ['ClearSolutions.begin_solution_delimeter', BEGIN_SOLUTION],
    ['ClearSolutions.end_solution_delimeter', END_SOLUTION],
    ['ClearHiddenTests.begin_test_delimeter', BEGIN_HIDDEN_TESTS],
    ['ClearHiddenTests.end_test_delimeter', END_HIDDEN_TESTS],
  ]) {
    assert.ok(doc.includes(`c.${option} = "${value}"`), `${option} = "${value}" in the docs`);
  }
});
