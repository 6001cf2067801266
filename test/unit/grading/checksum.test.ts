import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeChecksum, pythonFloatRepr } from '../../../cli/src/grading/checksum';
import { Cell } from '../../../cli/src/runner';

// Cells and the checksums nbgrader itself stored for them, from nbgrader's test notebook
// nbgrader/tests/preprocessors/files/submitted-unchanged.ipynb (jupyter/nbgrader).
const NBGRADER_CELLS: Array<{ cell: Cell; checksum: string }> = [
  {
    cell: { cell_type: 'code', metadata: { nbgrader: { grade: false, grade_id: 'set_a', locked: false, schema_version: 3, solution: true } }, source: ['# YOUR CODE HERE\n', 'raise NotImplementedError()'], outputs: [], execution_count: null },
    checksum: '3d6aac4236f8e1ec85380e692dcc51b1',
  },
  {
    cell: { cell_type: 'code', metadata: { nbgrader: { grade: true, grade_id: 'foo', locked: false, points: 1, schema_version: 3, solution: false } }, source: ['print("Success!")'], outputs: [], execution_count: null },
    checksum: '8bb5c7c6f388fae724e5ef53dc4deeb2',
  },
  {
    cell: { cell_type: 'markdown', metadata: { nbgrader: { grade: true, grade_id: 'baz', locked: false, points: 2, schema_version: 3, solution: true } }, source: ['YOUR ANSWER HERE'] },
    checksum: '9e51fd0022c24c4105e38369d2f9d751',
  },
  {
    cell: { cell_type: 'code', metadata: { nbgrader: { grade: true, grade_id: 'quux', locked: false, points: 3, schema_version: 3, solution: true } }, source: ['# YOUR CODE HERE\n', 'raise NotImplementedError()'], outputs: [], execution_count: null },
    checksum: '5a193c164d7b444efe9a3612bee09f4c',
  },
];

test('computeChecksum reproduces the checksums nbgrader wrote', () => {
  for (const { cell, checksum } of NBGRADER_CELLS) assert.equal(computeChecksum(cell), checksum, JSON.stringify(cell.metadata));
});

test('a changed source, grade_id or point value changes the checksum', () => {
  const base = NBGRADER_CELLS[1].cell;
  const edit = (f: (c: any) => void) => {
    const c = JSON.parse(JSON.stringify(base));
    f(c);
    return computeChecksum(c);
  };
  assert.notEqual(edit((c) => (c.source = ['print("Success!") '])), NBGRADER_CELLS[1].checksum);
  assert.notEqual(edit((c) => (c.metadata.nbgrader.points = 2)), NBGRADER_CELLS[1].checksum);
  assert.notEqual(edit((c) => (c.metadata.nbgrader.grade_id = 'foo2')), NBGRADER_CELLS[1].checksum);
  // a string source and the same text as a list of lines are the same cell
  assert.equal(edit((c) => (c.source = 'print("Success!")')), NBGRADER_CELLS[1].checksum);
});

test('pythonFloatRepr prints floats as Python str(float(x)) does', () => {
  const cases: Array<[number, string]> = [
    [2, '2.0'], [0.5, '0.5'], [1.5, '1.5'], [1e-5, '1e-05'], [0.0001, '0.0001'], [123.456, '123.456'],
    [1e15, '1000000000000000.0'], [1e16, '1e+16'], [3e-7, '3e-07'], [1.5e300, '1.5e+300'], [0.1 + 0.2, '0.30000000000000004'], [-2, '-2.0'],
  ];
  for (const [x, s] of cases) assert.equal(pythonFloatRepr(x), s, String(x));
});
