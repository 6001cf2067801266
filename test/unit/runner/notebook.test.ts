import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NotebookError, parseNotebook, checkKernel, readNotebook, toLines, sourceText } from '../../../cli/src/runner/notebook';

const tslabMeta = { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } };

test('parseNotebook names the file and the problem for corrupt input', () => {
  assert.throws(() => parseNotebook('{"cells": [', 'x.ipynb'), (e: unknown) => e instanceof NotebookError && /x\.ipynb: .*not JSON/.test(e.message));
  assert.throws(() => parseNotebook('[]', 'x.ipynb'), /not an object/);
  assert.throws(() => parseNotebook('{"nbformat": 3, "cells": []}', 'x.ipynb'), /nbformat 3 is not supported/);
  assert.throws(() => parseNotebook('{"nbformat": 4}', 'x.ipynb'), /"cells" is missing/);
  assert.throws(() => parseNotebook('{"nbformat": 4, "cells": [{"cell_type": "code"}]}', 'x.ipynb'), /cell 0 has no source/);
});

test('parseNotebook fills in missing outputs and execution counts of code cells', () => {
  const nb = parseNotebook(JSON.stringify({ nbformat: 4, metadata: tslabMeta, cells: [{ cell_type: 'code', source: ['a\n', 'b'] }] }), 'x');
  const c = nb.cells[0] as any;
  assert.deepEqual(c.outputs, []);
  assert.equal(c.execution_count, null);
  assert.equal(sourceText(c.source), 'a\nb');
});

test('checkKernel accepts tslab and rejects another kernel with a clear message', () => {
  const ok = parseNotebook(JSON.stringify({ nbformat: 4, metadata: tslabMeta, cells: [] }), 'a.ipynb');
  checkKernel(ok, 'a.ipynb');
  const py = parseNotebook(
    JSON.stringify({ nbformat: 4, metadata: { kernelspec: { name: 'python3', language: 'python' } }, cells: [] }),
    'p.ipynb',
  );
  assert.throws(() => checkKernel(py, 'p.ipynb'), /p\.ipynb: this notebook is for kernel 'python3' \(language python\)/);
});

test('readNotebook reports a missing file', () => {
  const missing = path.join(os.tmpdir(), 'no-such-dir-gan-course', 'x.ipynb');
  assert.throws(() => readNotebook(missing), /no such notebook/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-'));
  const f = path.join(dir, 'bad.ipynb');
  fs.writeFileSync(f, 'not json');
  assert.throws(() => readNotebook(f), /bad\.ipynb: not a valid notebook/);
  fs.rmSync(dir, { recursive: true });
});

test('toLines keeps newlines and the last partial line', () => {
  assert.deepEqual(toLines('a\nb\n'), ['a\n', 'b\n']);
  assert.deepEqual(toLines('a\n\nb'), ['a\n', '\n', 'b']);
  assert.deepEqual(toLines(''), []);
});
