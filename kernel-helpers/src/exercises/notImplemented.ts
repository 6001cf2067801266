/**
 * The stub that replaces a solution in the student version of a notebook. It is the same
 * text `gan-course assign` writes and the `typescript` entry of nbgrader's
 * `ClearSolutions.code_stub` in docs/exercises.md, so both tools release identical notebooks.
 */
export const SOLUTION_STUB_LINES: readonly string[] = Object.freeze([
  '// YOUR CODE HERE',
  "throw new Error('not implemented yet: replace this line with your solution');",
]);

/** The message of the stub's error; grading reports an exercise failing with it as "not attempted". */
export const NOT_IMPLEMENTED_MESSAGE = 'not implemented yet';

Object.freeze(module.exports);
