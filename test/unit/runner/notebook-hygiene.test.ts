/**
 * The course notebooks are committed clean: no outputs, no execution counts, the tslab
 * kernelspec, cell ids, unique nbgrader grade ids, and the first code cell starts the backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const DIR = path.join(__dirname, '..', '..', '..', 'notebooks');
/** What to run when a notebook saved from Jupyter fails here. */
const CLEAN = (f: string) => `run \`npx gan-course clean notebooks/${f}\` (strips outputs and execution counts, keeps ids and metadata)`;
const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.ipynb')).sort() : [];

test('the course has notebooks, named NN-name.ipynb', () => {
  assert.ok(files.length > 0, `no notebooks in ${DIR}`);
  for (const f of files) assert.match(f, /^\d\d-[a-z0-9-]+\.ipynb$/, `${f}: expected NN-name.ipynb`);
});

for (const f of files) {
  test(`${f} is committed clean, for tslab, with cell ids`, () => {
    const nb = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
    assert.equal(nb.nbformat, 4, `${f}: nbformat`);
    assert.ok(nb.nbformat_minor >= 5, `${f}: nbformat_minor ${nb.nbformat_minor} < 5 (cell ids need 4.5)`);
    assert.equal(nb.metadata?.kernelspec?.name, 'tslab', `${f}: metadata.kernelspec.name`);
    assert.equal(nb.metadata?.kernelspec?.language, 'typescript', `${f}: metadata.kernelspec.language`);
    assert.equal(nb.metadata?.language_info?.name, 'typescript', `${f}: metadata.language_info.name`);
    const ids = new Set<string>();
    const gradeIds = new Set<string>();
    nb.cells.forEach((c: any, i: number) => {
      const where = `${f}, cell ${i}`;
      assert.equal(typeof c.id, 'string', `${where}: no id`);
      assert.match(c.id, /^[a-zA-Z0-9_-]{1,64}$/, `${where}: invalid id '${c.id}'`);
      assert.ok(!ids.has(c.id), `${where}: duplicate id '${c.id}'`);
      ids.add(c.id);
      if (c.cell_type === 'code') {
        assert.deepEqual(c.outputs, [], `${where}: committed with outputs; ${CLEAN(f)}`);
        assert.equal(c.execution_count, null, `${where}: committed with an execution count; ${CLEAN(f)}`);
      }
      const g = c.metadata?.nbgrader;
      if (g?.grade_id !== undefined) {
        assert.ok(!gradeIds.has(g.grade_id), `${where}: duplicate nbgrader grade_id '${g.grade_id}'`);
        gradeIds.add(g.grade_id);
      }
    });
    const first = nb.cells.find((c: any) => c.cell_type === 'code');
    assert.ok(first, `${f}: no code cell`);
    const src = Array.isArray(first.source) ? first.source.join('') : first.source;
    assert.match(src, /await initBackend\(/, `${f}: the first code cell should call await initBackend()`);
  });
}
