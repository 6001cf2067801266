/** runNotebook and `gan-course run` on the fixture notebooks in test/notebooks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runNotebook, shortError } from '../../../cli/src/runner/run-notebook';
import { parseRunArgs, runNotebooks } from '../../../cli/src/commands/run';

const FIX = path.join(__dirname, '..', '..', 'notebooks');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'run-notebook-test-'));
const quiet = () => {};

test('a good notebook runs in quick mode and its executed copy goes to outPath; the input is untouched', async () => {
  const input = path.join(FIX, 'ok.ipynb');
  const before = fs.readFileSync(input, 'utf8');
  const outPath = path.join(out, 'ok.ipynb');
  const r = await runNotebook(input, { quick: true, outPath, log: quiet });
  assert.equal(r.ok, true, r.error);
  assert.deepEqual(r.cells.map((c) => c.status), ['ok', 'ok', 'ok']);
  assert.equal(fs.readFileSync(input, 'utf8'), before);
  const saved = JSON.parse(fs.readFileSync(outPath, 'utf8'));
  assert.deepEqual(saved.cells[0].outputs, [{ output_type: 'stream', name: 'stdout', text: 'double 42\n' }]);
  assert.equal(saved.cells[1].outputs[0].text, 'quick=1\n');
  assert.equal(saved.cells[2].outputs[0].text, '22\n');
  assert.deepEqual(saved.cells.map((c: any) => c.execution_count), [1, 2, 3]);
});

test('a failing cell stops the notebook: named cell, later cells skipped, partial copy saved', async () => {
  const outPath = path.join(out, 'fails.ipynb');
  const r = await runNotebook(path.join(FIX, 'fails.ipynb'), { outPath, log: quiet });
  assert.equal(r.ok, false);
  assert.deepEqual(r.cells.map((c) => c.status), ['ok', 'error', 'skipped']);
  assert.match(r.error ?? '', /fails\.ipynb, cell 1 \(id c1\) failed: .*boom in cell 1/s);
  assert.doesNotMatch(r.error ?? '', /tslab\/dist/, 'kernel stack frames are left out of the message');
  const saved = JSON.parse(fs.readFileSync(outPath, 'utf8'));
  assert.equal(saved.cells[2].outputs.length, 0);
});

test('continueOnError runs the later cells', async () => {
  const r = await runNotebook(path.join(FIX, 'fails.ipynb'), { outPath: path.join(out, 'f2.ipynb'), continueOnError: true, log: quiet });
  assert.deepEqual(r.cells.map((c) => c.status), ['ok', 'error', 'ok']);
  assert.equal(r.ok, false);
});

test('bad input: missing, corrupt, another kernel, output over input', async () => {
  const missing = await runNotebook(path.join(FIX, 'nope.ipynb'), { log: quiet });
  assert.match(missing.error ?? '', /nope\.ipynb: no such notebook/);
  const corrupt = await runNotebook(path.join(FIX, 'corrupt.ipynb'), { log: quiet });
  assert.match(corrupt.error ?? '', /corrupt\.ipynb: not a valid notebook/);
  const py = await runNotebook(path.join(FIX, 'python.ipynb'), { log: quiet });
  assert.match(py.error ?? '', /python\.ipynb: this notebook is for kernel 'python3'/);
  const self = path.join(FIX, 'ok.ipynb');
  const over = await runNotebook(self, { outPath: self, log: quiet });
  assert.match(over.error ?? '', /refusing to overwrite/);
  for (const r of [missing, corrupt, py, over]) assert.equal(r.ok, false);
});

test('run: a hanging cell times out, a dying kernel is reported, and the other notebooks still run', async () => {
  const errors: string[] = [];
  const origError = console.error;
  console.error = (s: string) => errors.push(s);
  try {
    const rs = await runNotebooks(
      { quick: true, cellTimeoutMs: 2000, continueOnError: false, outDir: out, notebooks: ['hangs', 'dies', 'ok'].map((n) => path.join(FIX, `${n}.ipynb`)) },
      quiet,
    );
    assert.deepEqual(rs.map((r) => r.ok), [false, false, true]);
    assert.deepEqual(rs[0].cells.map((c) => c.status), ['ok', 'timeout', 'skipped']);
    assert.deepEqual(rs[1].cells.map((c) => c.status), ['ok', 'dead', 'skipped']);
  } finally {
    console.error = origError;
  }
  assert.match(errors.join('\n'), /hangs\.ipynb, cell 1 \(id c1\) timed out/);
  assert.match(errors.join('\n'), /dies\.ipynb, cell 1 \(id c1\) killed the kernel: kernel process exited with code 3/);
});

test('run arguments: flags, and clear errors for bad values', () => {
  assert.deepEqual(parseRunArgs(['--quick', '--timeout', '2.5', '--out', 'o', 'a.ipynb', 'b.ipynb']), {
    quick: true,
    continueOnError: false,
    cellTimeoutMs: 2500,
    outDir: 'o',
    notebooks: ['a.ipynb', 'b.ipynb'],
  });
  assert.throws(() => parseRunArgs(['--timeout', 'x', 'a.ipynb']), /--timeout must be a number of seconds > 0, got "x"/);
  assert.throws(() => parseRunArgs(['--quick']), /no notebooks given/);
  assert.throws(() => parseRunArgs(['--bogus', 'a']), /unknown option --bogus/);
  assert.equal(parseRunArgs(['--help']), 'help');
});

test('shortError drops stack frames', () => {
  assert.equal(shortError('Error: x\n    at foo (a.js:1:1)\n    at bar\nmore'), 'Error: x\nmore');
});

test("a cell tagged raises-exception may fail (nbclient's convention); the run goes on", async () => {
  const r = await runNotebook(path.join(FIX, 'expected-error.ipynb'), { outPath: path.join(out, 'expected.ipynb'), log: quiet });
  assert.equal(r.ok, true, r.error);
  assert.deepEqual(r.cells.map((c) => [c.status, c.errorExpected]), [['error', true], ['ok', false]]);
  assert.match(r.cells[0].error ?? '', /shown on purpose/);
});
