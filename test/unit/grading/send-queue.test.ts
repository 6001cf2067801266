/**
 * tslab's "Socket is busy writing" crash (issue 18): on the wasm backend a kernel died with
 * exit code 7 after about 150-250 cells (zeromq allows one send in flight; tslab never awaits
 * its sends; Emscripten's handler turns the error into an exit). The course's kernel
 * launcher and the grader's prelude serialise the sends: 600 cells through the launcher (four
 * times past the crash),
 * and 300 scratch cells through the grader's runner, all run. Real kernels, wasm backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { courseKernelBin, KernelSession, Notebook, projectRoot, tslabBin, toLines } from '../../../cli/src/runner';
import { runGraded } from '../../../cli/src/grading/run-graded';
import { PRELUDE } from '../../../cli/src/grading/prelude';

const root = path.join(__dirname, '..', '..', '..');
const launcher = fs.existsSync(courseKernelBin(root)) && fs.existsSync(path.join(root, 'kernel-helpers', 'dist', 'exercises', 'sendQueue.js'));
const skip = launcher ? false : 'cli or kernel-helpers is not built (npx tsc -p kernel-helpers && npx tsc -p cli)';
const WASM = "import * as tf from '@tensorflow/tfjs-core';\nimport '@tensorflow/tfjs-backend-wasm';\nawait tf.setBackend('wasm');\nconsole.log(tf.getBackend());";

test("600 cells on the wasm backend through the course's kernel", { skip }, async () => {
  const k = new KernelSession();
  await k.start({ cwd: root, argv: [process.execPath, courseKernelBin(projectRoot()), 'kernel', '--config-path', '{connection_file}'] });
  try {
    const setup = await k.execute(WASM, { timeoutMs: 120_000 });
    assert.equal(setup.status, 'ok', setup.error);
    assert.match(JSON.stringify(setup.outputs), /wasm/);
    for (let i = 0; i < 600; i++) {
      const r = await k.execute(`console.log(${i});`, { timeoutMs: 30_000 });
      assert.equal(r.status, 'ok', `cell ${i}: ${r.error}`);
      assert.deepEqual(r.outputs, [{ output_type: 'stream', name: 'stdout', text: `${i}\n` }]);
    }
    assert.ok(k.isAlive());
  } finally {
    await k.shutdown();
  }
});

test("300 scratch cells on the wasm backend through the grader's runner (plain tslab and the prelude)", { skip }, async () => {
  const cells = [WASM, ...Array.from({ length: 300 }, (_, i) => `const scratch${i} = ${i};\nconsole.log(scratch${i});`)];
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((c, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source: toLines(c), outputs: [], execution_count: null })),
  };
  const run = await runGraded(nb, { cwd: root, prelude: PRELUDE, start: { argv: [process.execPath, tslabBin(root), 'kernel', '--config-path', '{connection_file}'] }, limits: { cellTimeoutMs: 60_000 } });
  assert.equal(run.restarts, 0, run.notes.join('\n'));
  const bad = run.cells.map((c, i) => [i, c.status, c.error] as const).filter(([, s]) => s !== 'ok');
  assert.deepEqual(bad, []);
});
