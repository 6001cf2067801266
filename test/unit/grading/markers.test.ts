import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeHiddenTests, replaceSolutions, scanMarkers, SOLUTION_MARKERS, HIDDEN_TEST_MARKERS } from '../../../cli/src/grading/markers';

test('replaceSolutions swaps each region for the stub, indented like its BEGIN line', () => {
  const src = 'function f(x: number): number {\n    // BEGIN SOLUTION\n    return x + 1;\n    // END SOLUTION\n}';
  assert.equal(
    replaceSolutions(src),
    "function f(x: number): number {\n    // YOUR CODE HERE\n    throw new Error('not implemented yet: replace this line with your solution');\n}",
  );
  const two = 'function a() {\n  // BEGIN SOLUTION\n  1;\n  // END SOLUTION\n}\nfunction b() {\n\t// BEGIN SOLUTION\n\t2;\n\t// END SOLUTION\n}';
  const out = replaceSolutions(two, ['STUB']);
  assert.equal(out, 'function a() {\n  STUB\n}\nfunction b() {\n\tSTUB\n}');
});

test('removeHiddenTests drops the region and its marker lines only', () => {
  const src = "check.close(f(1), 2, { name: 'a' });\n// BEGIN HIDDEN TESTS\ncheck.close(f(2), 3, { name: 'b' });\n// END HIDDEN TESTS\nconsole.log('x');";
  assert.equal(removeHiddenTests(src), "check.close(f(1), 2, { name: 'a' });\nconsole.log('x');");
  assert.equal(removeHiddenTests('no markers'), 'no markers');
});

test('scanMarkers names the line of every imbalance', () => {
  assert.deepEqual(scanMarkers('a\n// END SOLUTION', SOLUTION_MARKERS).problems, ['line 2: END SOLUTION without a BEGIN SOLUTION before it']);
  assert.match(scanMarkers('// BEGIN SOLUTION\nx', SOLUTION_MARKERS).problems[0], /line 1: BEGIN SOLUTION is never closed/);
  assert.match(scanMarkers('// BEGIN HIDDEN TESTS\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS', HIDDEN_TEST_MARKERS).problems[0], /line 2: .*nested/);
  assert.throws(() => replaceSolutions('// BEGIN SOLUTION'), /never closed/);
});
