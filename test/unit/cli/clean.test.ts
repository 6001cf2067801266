/**
 * `gan-course clean`: a notebook saved from Jupyter (outputs, execution counts, timings,
 * keys sorted as nbformat writes them) becomes one that the hygiene test accepts, with its
 * ids, sources and metadata kept; a clean notebook is left byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cleanNotebookText, defaultNotebooks, main } from '../../../cli/src/commands/clean';
import { quietly } from './quietly';

const ROOT = path.join(__dirname, '..', '..', '..');
const CHAPTER = path.join(ROOT, 'notebooks', '01-minimax.ipynb');

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]));
  return x;
}

/** What Jupyter saves after running every cell: outputs, counts, timings, sorted keys. */
function savedFromJupyter(nb: any): string {
  let n = 0;
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    n++;
    c.execution_count = n;
    c.outputs = [
      { output_type: 'stream', name: 'stdout', text: ['step 1\n'] },
      { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': ['<chart>'] }, metadata: {} },
    ];
    c.metadata.execution = { 'iopub.execute_input': '2025-01-01T00:00:00.000Z', 'shell.execute_reply': '2025-01-01T00:00:01.000Z' };
    c.metadata.scrolled = true;
    c.metadata.tags = ['kept'];
  }
  return JSON.stringify(sortKeys(nb), null, 1) + '\n';
}

test('a notebook saved from Jupyter is clean again: no outputs or counts, ids, sources and metadata kept', () => {
  const original = JSON.parse(fs.readFileSync(CHAPTER, 'utf8'));
  const saved = savedFromJupyter(JSON.parse(fs.readFileSync(CHAPTER, 'utf8')));
  const clean = JSON.parse(cleanNotebookText(saved, 'saved.ipynb'));
  assert.equal(clean.cells.length, original.cells.length);
  clean.cells.forEach((c: any, i: number) => {
    const o = original.cells[i];
    assert.equal(c.id, o.id);
    assert.deepEqual(c.source, o.source);
    if (c.cell_type === 'code') {
      assert.deepEqual(c.outputs, []);
      assert.equal(c.execution_count, null);
      assert.equal(c.metadata.execution, undefined);
      assert.equal(c.metadata.scrolled, undefined);
      assert.deepEqual(c.metadata.tags, ['kept']);
      const { tags, ...rest } = c.metadata;
      assert.deepEqual(sortKeys(rest), sortKeys(o.metadata), `cell ${i}: nbgrader and other metadata kept`);
    } else assert.deepEqual(c, sortKeys(o));
  });
  assert.deepEqual(sortKeys(clean.metadata), sortKeys(original.metadata));
  assert.equal(clean.nbformat_minor, original.nbformat_minor);
});

test('a clean notebook is left byte for byte (the committed chapters are clean)', () => {
  for (const f of defaultNotebooks()) {
    const text = fs.readFileSync(f, 'utf8');
    assert.equal(cleanNotebookText(text, f), text, `${f} changed by clean`);
  }
  assert.ok(defaultNotebooks().length > 0);
  assert.ok(defaultNotebooks().every((f) => f.endsWith('.ipynb') && path.dirname(path.resolve(f)) === path.join(ROOT, 'notebooks')));
});

test('gan-course clean: in place, --check changes nothing and exits 1, a broken notebook is reported and the rest cleaned', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-test-'));
  try {
    const a = path.join(dir, '01-minimax.ipynb');
    const b = path.join(dir, 'broken.ipynb');
    fs.writeFileSync(a, savedFromJupyter(JSON.parse(fs.readFileSync(CHAPTER, 'utf8'))));
    fs.writeFileSync(b, '{ not json');
    const dirty = fs.readFileSync(a, 'utf8');

    let r = await quietly(() => main(['--check', a]));
    assert.equal(r.value, 1);
    assert.equal(fs.readFileSync(a, 'utf8'), dirty);
    assert.match(r.out[0], /NOT clean/);
    assert.match(r.err.join('\n'), /run `npx gan-course clean`/);

    r = await quietly(() => main([a, b]));
    assert.equal(r.value, 1, 'the broken notebook makes it fail');
    assert.match(r.out[0], /01-minimax\.ipynb: cleaned/);
    assert.match(r.err[0], /broken\.ipynb: not a valid notebook, the file is not JSON/);
    const clean = JSON.parse(fs.readFileSync(a, 'utf8'));
    assert.ok(clean.cells.filter((c: any) => c.cell_type === 'code').every((c: any) => c.outputs.length === 0 && c.execution_count === null));

    const after = fs.readFileSync(a, 'utf8');
    r = await quietly(() => main([a]));
    assert.equal(r.value, 0);
    assert.match(r.out[0], /01-minimax\.ipynb: clean$/);
    assert.equal(fs.readFileSync(a, 'utf8'), after);
    assert.equal((await quietly(() => main(['--check', a]))).value, 0);

    r = await quietly(() => main([path.join(dir, 'missing.ipynb')]));
    assert.equal(r.value, 1);
    assert.match(r.err[0], /missing\.ipynb: no such notebook/);
    assert.equal((await quietly(() => main(['notes.txt']))).value, 2);
    assert.equal((await quietly(() => main(['--frobnicate']))).value, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
