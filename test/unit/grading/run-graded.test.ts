/** The graded runner's limits, with a real tslab kernel (small notebooks, a few seconds each). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { runGraded } from '../../../cli/src/grading/run-graded';
import { Notebook, toLines } from '../../../cli/src/runner';

const cwd = path.join(__dirname, '..', '..', 'fixtures', 'grading', 'teacher');
const nb = (...sources: string[]): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
  cells: sources.map((s) => ({ cell_type: 'code', metadata: {}, source: toLines(s), outputs: [], execution_count: null })),
});

test('the notebook time limit stops the run and marks the rest not run', async () => {
  const r = await runGraded(nb('const a = 1;', 'while (true) {}', 'const b = 2;'), {
    cwd,
    limits: { cellTimeoutMs: 60_000, notebookTimeoutMs: 12_000 },
  });
  assert.equal(r.cells[0].status, 'ok');
  assert.equal(r.cells[1].status, 'not-run');
  assert.match(r.cells[1].error!, /notebook's time limit of 12 s ran out in this cell/);
  assert.equal(r.cells[2].status, 'not-run');
});

test('after a crash the kernel restarts with earlier cells re-run; too many crashes stop the run', async () => {
  const r = await runGraded(
    nb('const base = 40;', 'process.exit(1);', 'if (base + 2 !== 42) throw new Error("state lost");', 'process.exit(2);', 'const c = 3;'),
    { cwd, limits: { cellTimeoutMs: 30_000, maxRestarts: 1 } },
  );
  assert.deepEqual(r.cells.map((c) => c.status), ['ok', 'dead', 'ok', 'dead', 'not-run']);
  assert.match(r.cells[1].error!, /exited with code 1/);
  assert.match(r.cells[4].error!, /restarted 1 times already/);
  assert.equal(r.restarts, 1);
});
