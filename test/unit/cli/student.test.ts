/**
 * `gan-course student <release-folder>`: the released notebooks copied byte for byte into a
 * working folder where kernel-helpers resolves; teacher versions refused; a student's
 * existing work never overwritten; a folder outside the checkout linked to the library.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main as assignMain } from '../../../cli/src/commands/assign';
import { defaultStudentFolder, kernelHelpersResolvesFrom, main, makeStudentFolder, teacherVersionReason } from '../../../cli/src/commands/student';
import { runNotebook } from '../../../cli/src/runner/run-notebook';
import { quietly } from './quietly';

const ROOT = path.join(__dirname, '..', '..', '..');
const TEACHER = ['01-minimax.ipynb', '02-divergences.ipynb'].map((f) => path.join(ROOT, 'notebooks', f));

fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
const work = fs.mkdtempSync(path.join(ROOT, 'build', 'student-test-'));
const release = path.join(work, 'release', 'week1');

test.before(async () => {
  const r = await quietly(() => assignMain([...TEACHER, '--out', release]));
  assert.equal(r.value, 0, r.err.join('\n'));
});
test.after(() => fs.rmSync(work, { recursive: true, force: true }));

test('the released notebooks are copied byte for byte into a folder of the checkout where kernel-helpers resolves', () => {
  const out = path.join(work, 'student', 'week1');
  const r = makeStudentFolder(release, out);
  assert.deepEqual(r.copied, ['01-minimax.ipynb', '02-divergences.ipynb']);
  assert.deepEqual(r.kept, []);
  assert.equal(r.linked, false, 'inside the checkout no link is needed');
  for (const n of r.copied) assert.equal(fs.readFileSync(path.join(out, n), 'utf8'), fs.readFileSync(path.join(release, n), 'utf8'));
  assert.ok(kernelHelpersResolvesFrom(out));
  assert.equal(defaultStudentFolder('release/week1'), path.join(ROOT, 'student', 'week1'));
});

test("a student's existing notebooks are never overwritten; missing ones are copied again", () => {
  const out = path.join(work, 'student', 'again');
  makeStudentFolder(release, out);
  const mine = path.join(out, '01-minimax.ipynb');
  fs.writeFileSync(mine, '{"my": "work"}');
  fs.rmSync(path.join(out, '02-divergences.ipynb'));
  const r = makeStudentFolder(release, out);
  assert.deepEqual(r.kept, ['01-minimax.ipynb']);
  assert.deepEqual(r.copied, ['02-divergences.ipynb']);
  assert.equal(fs.readFileSync(mine, 'utf8'), '{"my": "work"}');
});

test("the teacher's notebooks (solutions, hidden tests) are refused and nothing is copied", () => {
  const out = path.join(work, 'student', 'teacher');
  assert.throws(() => makeStudentFolder(path.join(ROOT, 'notebooks'), out), (e: Error) => {
    assert.match(e.message, /^nothing was copied:/);
    assert.match(e.message, /01-minimax\.ipynb: a teacher version, with solutions \(BEGIN SOLUTION in cell/);
    assert.match(e.message, /gan-course assign <notebooks\.\.\.> --out release\/<name>/);
    return true;
  });
  assert.ok(!fs.existsSync(out));

  // One teacher notebook among released ones: still nothing.
  const mixed = path.join(work, 'release', 'mixed');
  fs.mkdirSync(mixed, { recursive: true });
  fs.copyFileSync(path.join(release, '01-minimax.ipynb'), path.join(mixed, '01-minimax.ipynb'));
  fs.copyFileSync(TEACHER[1], path.join(mixed, '02-divergences.ipynb'));
  assert.throws(() => makeStudentFolder(mixed, out), /02-divergences\.ipynb: a teacher version/);
  assert.ok(!fs.existsSync(out));
});

test('what makes a notebook a teacher version, or not a released one', () => {
  const nb = (cells: unknown[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'tslab', language: 'typescript', display_name: 'TypeScript (tslab)' } }, cells });
  const code = (source: string, nbgrader?: object) => ({ cell_type: 'code', id: 'c', source, metadata: nbgrader ? { nbgrader } : {}, outputs: [], execution_count: null });
  assert.equal(teacherVersionReason(nb([code('1 + 1')]), 'plain.ipynb'), null, 'a chapter without exercises is fine');
  assert.match(teacherVersionReason(nb([code('// BEGIN HIDDEN TESTS\nx\n// END HIDDEN TESTS', { grade: true, points: 1, grade_id: 't', checksum: 'x' })]), 'h.ipynb')!, /with hidden tests \(BEGIN HIDDEN TESTS in cell 0\)/);
  assert.match(teacherVersionReason(nb([code('f()', { grade: true, points: 1, grade_id: 't' })]), 'u.ipynb')!, /not released by 'gan-course assign' \(exercise cell 0 without nbgrader checksums\)/);
  assert.throws(() => teacherVersionReason('{"nbformat": 4, "cells": [], "metadata": {"kernelspec": {"name": "python3", "language": "python"}}}', 'py.ipynb'), /for kernel 'python3'/);
});

test('a folder outside the checkout gets a node_modules/kernel-helpers link, and a notebook there imports the library', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'student-outside-'));
  try {
    assert.equal(kernelHelpersResolvesFrom(out), false);
    const r = makeStudentFolder(release, out);
    assert.equal(r.linked, true);
    assert.ok(fs.lstatSync(path.join(out, 'node_modules', 'kernel-helpers')).isSymbolicLink());
    assert.ok(kernelHelpersResolvesFrom(out));
    // Again: the link is there and is ours; the notebooks are kept.
    const again = makeStudentFolder(release, out);
    assert.equal(again.linked, false);
    assert.equal(again.kept.length, 2);

    // The kernel, started in that folder, compiles and runs an import of the library.
    const probe = path.join(out, 'probe.ipynb');
    fs.writeFileSync(
      probe,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'tslab', language: 'typescript', display_name: 'TypeScript (tslab)' } },
        cells: [{ cell_type: 'code', id: 'a', metadata: {}, execution_count: null, outputs: [], source: "import { byMode } from 'kernel-helpers';\nconsole.log(`mode ${byMode({ quick: 'q', full: 'f' })}`);" }],
      }),
    );
    const run = await runNotebook(probe, { quick: true, outPath: path.join(out, 'probe.out.ipynb'), log: () => {} });
    assert.equal(run.ok, true, run.error);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'probe.out.ipynb'), 'utf8'));
    assert.match(JSON.stringify(saved.cells[0].outputs), /mode q/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('gan-course student: usage errors exit 2, problems 1, success says how to open the folder', async () => {
  let r = await quietly(() => main([]));
  assert.equal(r.value, 2);
  assert.match(r.err[0], /no release folder given/);
  r = await quietly(() => main(['a', 'b']));
  assert.equal(r.value, 2);
  r = await quietly(() => main([path.join(work, 'nope')]));
  assert.equal(r.value, 1);
  assert.match(r.err[0], /no such release folder/);
  const out = path.join(work, 'student', 'cli');
  r = await quietly(() => main([release, '--out', out]));
  assert.equal(r.value, 0, r.err.join('\n'));
  assert.match(r.out.join('\n'), /01-minimax\.ipynb: copied/);
  assert.match(r.out.join('\n'), /Open it with: {2}npm start -- --student /);
  r = await quietly(() => main([release, `--out=${out}`]));
  assert.equal(r.value, 0);
  assert.match(r.out.join('\n'), /01-minimax\.ipynb: already there, kept as it is/);
  r = await quietly(() => main(['--help']));
  assert.match(r.out.join('\n'), /never overwritten/);
});
