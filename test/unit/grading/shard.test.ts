/**
 * More students than one machine grades (issue 18): `--shard K/N` shares and `--merge`
 * giving the one-shot gradebook byte for byte; renamed notebooks matched by their cells;
 * `--source` at the student versions said in one line. The shard run uses real kernels
 * (three small submissions, twice).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gradeClass, GradingInputError, loadTeacherNotebooks } from '../../../cli/src/grading/grade-class';
import { sandboxWorks } from '../../../cli/src/grading/sandbox';
import { inShard, mergeShards, MergeError, parseShard, shardOf } from '../../../cli/src/grading/shard';
import { studentVersion } from '../../../cli/src/grading/student-version';
import { readNotebook, serializeNotebook } from '../../../cli/src/runner';

const root = path.join(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'grading');
const teacherDir = path.join(fixtures, 'teacher');
const built = fs.existsSync(path.join(root, 'kernel-helpers', 'dist', 'exercises', 'index.js'));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grading-shard-'));

test('shards: every student in exactly one, stable, K/N parsed', () => {
  const names = Array.from({ length: 200 }, (_, i) => `student-${i}`);
  for (const n of [1, 2, 3, 7]) {
    for (const s of names) assert.equal([...Array(n).keys()].filter((k) => inShard(s, k + 1, n)).length, 1);
  }
  const sizes = [0, 1, 2].map((k) => names.filter((s) => shardOf(s, 3) === k).length);
  assert.ok(Math.min(...sizes) > 40, `shares ${sizes}`);
  assert.deepEqual(parseShard('2/5'), { k: 2, n: 5 });
  for (const bad of ['0/3', '4/3', '1/0', 'x', '1/2/3']) assert.throws(() => parseShard(bad), /--shard must be K\/N/);
});

test('--source at the student versions is recognised and said in one line', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'fixture.ipynb'), serializeNotebook(studentVersion(readNotebook(path.join(teacherDir, 'fixture.ipynb')))));
  assert.throws(
    () => loadTeacherNotebooks(dir),
    (e: Error) => e instanceof GradingInputError && !e.message.includes('\n') && /holds the student versions .*point --source at the teacher's notebooks/.test(e.message),
  );
});

test('grade --shard 1/2 and 2/2, then --merge: the one-shot gradebook and feedback, byte for byte; a renamed notebook is graded', { skip: built ? false : 'kernel-helpers is not built' }, async () => {
  const dir = tmp();
  const subs = path.join(dir, 'subs');
  for (const s of ['all-correct', 'partly-wrong', 'all-stubs']) fs.cpSync(path.join(fixtures, 'submissions', s), path.join(subs, s), { recursive: true });
  // A browser's rename: graded as fixture.ipynb, recognised by its cells.
  fs.mkdirSync(path.join(subs, 'renamed'));
  fs.copyFileSync(path.join(fixtures, 'submissions', 'all-correct', 'fixture.ipynb'), path.join(subs, 'renamed', 'fixture (1).ipynb'));
  const students = ['all-correct', 'all-stubs', 'partly-wrong', 'renamed'];
  assert.ok([1, 2].every((k) => students.some((s) => inShard(s, k, 2))), 'both shards have students');
  const sandbox = sandboxWorks(root).ok;
  const base = { sourceDir: teacherDir, submissionsDir: subs, jobs: 2, limits: { cellTimeoutMs: 20_000 }, sandbox };
  process.env.SOURCE_DATE_EPOCH = '1700000000';
  try {
    const one = await gradeClass({ ...base, outDir: path.join(dir, 'one') });
    assert.deepEqual(one.students.map((s) => [s.student, s.points]), [['all-correct', 4.5], ['all-stubs', 0], ['partly-wrong', 1], ['renamed', 4.5]]);
    assert.match(one.students.find((s) => s.student === 'renamed')!.notes.join('\n'), /fixture \(1\)\.ipynb: graded as fixture\.ipynb \(renamed; recognised by its nbgrader cells/);
    const s1 = await gradeClass({ ...base, outDir: path.join(dir, 's1'), shard: { k: 1, n: 2 } });
    const s2 = await gradeClass({ ...base, outDir: path.join(dir, 's2'), shard: { k: 2, n: 2 } });
    assert.equal(s1.students.length + s2.students.length, 4);
    assert.throws(() => mergeShards([path.join(dir, 's1')], path.join(dir, 'bad')), (e: Error) => e instanceof MergeError && /shard\(s\) 2\/2 missing/.test(e.message));
    assert.throws(() => mergeShards([path.join(dir, 's1'), path.join(dir, 's1')], path.join(dir, 'bad')), /shard 1\/2 again/);
    assert.throws(() => mergeShards([path.join(dir, 'one')], path.join(dir, 'bad')), /not a shard's gradebook/);
    mergeShards([path.join(dir, 's2'), path.join(dir, 's1')], path.join(dir, 'merged'));
  } finally {
    delete process.env.SOURCE_DATE_EPOCH;
  }
  const files = (d: string): string[] => {
    const out: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(d, rel), { withFileTypes: true })) {
        const r = path.join(rel, e.name);
        if (e.isDirectory()) walk(r);
        else out.push(r);
      }
    };
    walk('');
    return out.sort();
  };
  const one = path.join(dir, 'one');
  const merged = path.join(dir, 'merged');
  assert.deepEqual(files(merged), files(one));
  for (const f of files(one)) assert.equal(fs.readFileSync(path.join(merged, f), 'utf8'), fs.readFileSync(path.join(one, f), 'utf8'), f);
  assert.equal(JSON.parse(fs.readFileSync(path.join(one, 'gradebook.json'), 'utf8')).gradedAt, '2023-11-14T22:13:20.000Z');
});
