/**
 * A grader that finishes (issue 18, part 4), without kernels: submissions that cannot be run
 * get 0 with the reason and the class still gets its gradebook; sizes are checked before
 * reading; links are reported; CSV fields cannot become formulas; budgets stop the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gradeClass } from '../../../cli/src/grading/grade-class';
import { jsonDepth } from '../../../cli/src/grading/grade-submission';
import { csvField, gradebookCsv } from '../../../cli/src/grading/gradebook';

const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'grading');
const teacherDir = path.join(fixtures, 'teacher');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grading-robust-'));

function put(dir: string, rel: string, content: string | Buffer): void {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
}

test('CSV: text fields that a spreadsheet would run as formulas are escaped', () => {
  for (const lead of ['=', '+', '-', '@', '\t', '\r']) assert.ok(csvField(`${lead}1+2`).replace(/^"/, '').startsWith("'"), JSON.stringify(lead));
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField('all checks passed'), 'all checks passed');
  assert.equal(csvField(-1), '-1');
  const csv = gradebookCsv([{ student: '@evil', notebook: 'n.ipynb', exercise: 'e', points: 0, max: 1, status: 'failed', message: '=1+2', flagged: false }]);
  assert.match(csv, /^'@evil,n\.ipynb,e,0,1,failed,'=1\+2,false\r$/m);
});

test('jsonDepth counts without recursion', () => {
  assert.equal(jsonDepth(1), 0);
  assert.equal(jsonDepth({ a: [1, { b: [] }] }), 4);
  const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
  assert.ok(jsonDepth(deep) > 100);
});

test('bad submissions get 0 with the reason; the class still gets its gradebook (no kernel started)', async () => {
  const dir = tmp();
  const subs = path.join(dir, 'submissions');
  const good = fs.readFileSync(path.join(fixtures, 'submissions', 'all-correct', 'fixture.ipynb'), 'utf8');
  // Too big (the limit is lowered for the test), checked before reading.
  put(subs, 'huge/fixture.ipynb', good + ' '.repeat(64 * 1024));
  // A sparse 2 GB file: never read.
  fs.mkdirSync(path.join(subs, 'sparse'));
  const fd = fs.openSync(path.join(subs, 'sparse', 'fixture.ipynb'), 'w');
  fs.ftruncateSync(fd, 2 ** 31);
  fs.closeSync(fd);
  // 10,000-deep JSON, binary garbage, nbformat 3.
  put(subs, 'deep/fixture.ipynb', good.replace('"metadata": {', `"metadata": {"x": ${'['.repeat(10_000)}${']'.repeat(10_000)},`));
  put(subs, 'garbage/fixture.ipynb', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]));
  put(subs, 'nbformat3/fixture.ipynb', JSON.stringify({ nbformat: 3, worksheets: [] }));
  // Links: a student folder linked to another, a notebook linked to the teacher's, a linked sub-folder.
  fs.symlinkSync('garbage', path.join(subs, 'linked-folder'));
  fs.mkdirSync(path.join(subs, 'linked-notebook'));
  fs.symlinkSync(path.join(teacherDir, 'fixture.ipynb'), path.join(subs, 'linked-notebook', 'fixture.ipynb'));
  fs.mkdirSync(path.join(subs, 'linked-subfolder'));
  fs.symlinkSync(teacherDir, path.join(subs, 'linked-subfolder', 'work'));

  const out = path.join(dir, 'out');
  const r = await gradeClass({ sourceDir: teacherDir, submissionsDir: subs, outDir: out, limits: { maxNotebookBytes: 48 * 1024 } });
  const rows = (s: string) => r.rows.filter((x) => x.student === s);
  const msg = (s: string) => rows(s)[0]?.message ?? '';
  const students = ['deep', 'garbage', 'huge', 'linked-folder', 'linked-notebook', 'linked-subfolder', 'nbformat3', 'sparse'];
  assert.deepEqual([...new Set(r.rows.map((x) => x.student))].sort(), students, 'every student is in the gradebook, links included');
  for (const s of students) {
    assert.equal(rows(s).length, 3, s);
    assert.ok(rows(s).every((x) => x.points === 0), `${s} gets 0`);
  }
  assert.match(msg('huge'), /huge\/fixture\.ipynb: the notebook is \d+ KB, more than the 48 KB allowed; not read/);
  assert.match(msg('sparse'), /2048\.0 MB, more than/);
  assert.match(msg('deep'), /nested more than 100 levels deep/);
  assert.match(msg('garbage'), /malformed notebook: .*not JSON/);
  assert.match(msg('nbformat3'), /nbformat 3 is not supported/);
  assert.match(msg('linked-folder'), /student folder is a symbolic link; not followed, not graded/);
  assert.match(msg('linked-notebook'), /is a symbolic link, not a notebook file; not followed/);
  assert.equal(rows('linked-subfolder')[0].status, 'missing');
  assert.match(r.students.find((s) => s.student === 'linked-subfolder')!.notes.join('\n'), /work: is a symbolic link; not followed/);
  for (const s of students.filter((x) => x !== 'linked-subfolder')) assert.equal(rows(s)[0].status, 'error', s);
  assert.ok(fs.existsSync(path.join(out, 'gradebook.csv')) && fs.existsSync(path.join(out, 'gradebook.json')));
  assert.ok(fs.existsSync(path.join(out, 'feedback', 'deep', 'fixture.ipynb')));
});

test('the class time budget: students it does not reach are not run, and say why', async () => {
  const dir = tmp();
  const subs = path.join(dir, 'submissions');
  const good = fs.readFileSync(path.join(fixtures, 'submissions', 'all-correct', 'fixture.ipynb'), 'utf8');
  for (const s of ['a', 'b', 'c']) put(subs, `${s}/fixture.ipynb`, good);
  const r = await gradeClass({ sourceDir: teacherDir, submissionsDir: subs, outDir: path.join(dir, 'out'), limits: { classTimeoutMs: 1 } });
  assert.equal(r.rows.length, 9);
  assert.ok(r.rows.every((x) => x.status === 'not-run' && x.points === 0));
  assert.match(r.rows[0].message, /the class's time budget of 0 s ran out before this notebook/);
});
