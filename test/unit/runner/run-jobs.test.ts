/** `gan-course run --jobs N`: notebooks at the same time, one wasm thread per kernel; `test --jobs`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main as runMain, parseRunArgs, runNotebooks } from '../../../cli/src/commands/run';
import { takeJobs, splitForJobs } from '../../../cli/src/commands/test';
import { longestFirst, recordRunTimes, shippedRunTimesFile } from '../../../cli/src/runner/run-times';
import { quietly } from '../cli/quietly';

const FAILS = path.join(__dirname, '..', '..', 'notebooks', 'fails.ipynb');
const OK = path.join(__dirname, '..', '..', 'notebooks', 'ok.ipynb');
const THREADS = path.join(__dirname, '..', '..', 'fixtures', 'runner', 'threads.ipynb');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'run-jobs-test-'));

/** Runs fn with GAN_COURSE_WASM_THREADS set to v (undefined: unset), restoring it after. */
async function withThreadsEnv<T>(v: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.GAN_COURSE_WASM_THREADS;
  if (v === undefined) delete process.env.GAN_COURSE_WASM_THREADS;
  else process.env.GAN_COURSE_WASM_THREADS = v;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.GAN_COURSE_WASM_THREADS;
    else process.env.GAN_COURSE_WASM_THREADS = saved;
  }
}

const outputText = (file: string, cell: number): string =>
  JSON.parse(fs.readFileSync(file, 'utf8')).cells[cell].outputs.map((o: { text?: string }) => o.text ?? '').join('');

test('run --jobs 2: both notebooks at once, both copies written, the failure reported, the other completes, exit 1', async () => {
  const out = path.join(tmp, 'par');
  const { value, out: lines, err } = await withThreadsEnv(undefined, () => quietly(() => runMain(['--quick', '--jobs', '2', '--out', out, FAILS, THREADS])));
  assert.equal(value, 1);
  // Both executed copies: the failing one up to its failure, the other complete, with one wasm thread.
  assert.equal(outputText(path.join(out, 'fails.ipynb'), 0), 'before\n');
  assert.equal(outputText(path.join(out, 'threads.ipynb'), 0), 'threads=1\n');
  assert.equal(outputText(path.join(out, 'threads.ipynb'), 1), 'quick=1\n');
  assert.match(err.join('\n'), /FAILED .*fails\.ipynb, cell 1 \(id c1\) failed: .*boom in cell 1/s);
  // Both started before either ended: they ran at the same time.
  const started = lines.map((l, i) => (/: started$/.test(l) ? i : -1)).filter((i) => i >= 0);
  const firstBlock = lines.findIndex((l) => / kernel started in /.test(l));
  assert.equal(started.length, 2, lines.join('\n'));
  assert.ok(started[1] < firstBlock, lines.join('\n'));
  // Each notebook's cell lines are printed together, after its kernel line.
  const threadsBlock = lines.findIndex((l) => l.includes('threads.ipynb: kernel started'));
  assert.match(lines[threadsBlock + 1], /^\s+cell\s+0 ok /);
  assert.match(lines[threadsBlock + 2], /^\s+cell\s+1 ok /);
  // The summary keeps the given order.
  const s = lines.indexOf('\nsummary:');
  assert.ok(s >= 0, lines.join('\n'));
  assert.match(lines[s + 1], /^ {2}FAILED .*fails\.ipynb$/);
  assert.match(lines[s + 2], /^ {2}ok .*threads\.ipynb$/);
  assert.match(lines[s + 3], /^ {2}wall .*\(2 at a time\)$/);
});

test('run --jobs 2 keeps a GAN_COURSE_WASM_THREADS the user set; results in the given order', async () => {
  const out = path.join(tmp, 'user');
  const rs = await withThreadsEnv('2', () =>
    quietly(() => runNotebooks({ quick: false, continueOnError: false, outDir: out, notebooks: [OK, THREADS], jobs: 2, timesFile: null })),
  );
  assert.deepEqual(rs.value.map((r) => [path.basename(r.path), r.ok]), [['ok.ipynb', true], ['threads.ipynb', true]]);
  assert.equal(outputText(path.join(out, 'threads.ipynb'), 0), 'threads=2\n');
  assert.equal(outputText(path.join(out, 'threads.ipynb'), 1), 'quick=\n');
});

test('--jobs starts the longest recorded notebooks first, unrecorded ones (largest file first) before them', () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'times-'));
  const nbs = ['a', 'b', 'c', 'd'].map((n) => path.join(dir, `${n}.ipynb`));
  nbs.forEach((f, i) => fs.writeFileSync(f, 'x'.repeat(10 + i)));
  const file = path.join(dir, 'build', 'run-times.json');
  assert.deepEqual(longestFirst(nbs, 'quick', file), [3, 2, 1, 0], 'no record: largest file first');
  recordRunTimes(file, 'full', [{ path: nbs[0], ms: 9000 }, { path: nbs[1], ms: 500 }]);
  assert.deepEqual(longestFirst(nbs, 'quick', file), [3, 2, 0, 1], "the other mode's times where this mode has none");
  recordRunTimes(file, 'quick', [{ path: nbs[0], ms: 4000 }, { path: nbs[1], ms: 100 }, { path: nbs[2], ms: 2000 }]);
  assert.deepEqual(longestFirst(nbs, 'quick', file), [3, 0, 2, 1]);
  assert.deepEqual(longestFirst(nbs, 'full', file), [3, 2, 0, 1]);
});

test("--jobs: the shipped times of this mode come before the other mode's record", () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'shipped-'));
  const nbs = ['a', 'b', 'c'].map((n) => path.join(dir, `${n}.ipynb`));
  nbs.forEach((f) => fs.writeFileSync(f, 'x'));
  const file = path.join(dir, 'build', 'run-times.json');
  const shipped = path.join(dir, 'cli', 'expected-run-times.json');
  recordRunTimes(file, 'quick', [{ path: nbs[0], ms: 3000 }, { path: nbs[1], ms: 2000 }, { path: nbs[2], ms: 1000 }]);
  assert.deepEqual(longestFirst(nbs, 'full', file, shipped), [0, 1, 2], 'no shipped file: the quick record orders the full run');
  recordRunTimes(shipped, 'full', [{ path: nbs[0], ms: 10 }, { path: nbs[1], ms: 30 }, { path: nbs[2], ms: 20 }]);
  assert.deepEqual(longestFirst(nbs, 'full', file, shipped), [1, 2, 0], 'the shipped full times win over the quick record');
  recordRunTimes(file, 'full', [{ path: nbs[2], ms: 99 }, { path: nbs[0], ms: 1 }, { path: nbs[1], ms: 2 }]);
  assert.deepEqual(longestFirst(nbs, 'full', file, shipped), [2, 1, 0], 'and the local full record wins over both');
  fs.writeFileSync(shipped, '{ not json');
  assert.deepEqual(longestFirst(nbs, 'full', file, shipped), [2, 1, 0], 'a broken shipped file is ignored');
});

test('the shipped run times name every course notebook, in both modes', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const shipped = JSON.parse(fs.readFileSync(shippedRunTimesFile(root), 'utf8'));
  const names = fs.readdirSync(path.join(root, 'notebooks')).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).map((f) => `notebooks/${f}`).sort();
  for (const mode of ['quick', 'full']) assert.deepEqual(Object.keys(shipped[mode]).sort(), names, `cli/expected-run-times.json (${mode}): add the new chapter's time from a CI run`);
});

test('run and test parse --jobs', () => {
  assert.equal((parseRunArgs(['--jobs', '2', 'a.ipynb']) as { jobs?: number }).jobs, 2);
  assert.equal((parseRunArgs(['a.ipynb']) as { jobs?: number }).jobs, undefined);
  assert.throws(() => parseRunArgs(['--jobs', '0', 'a.ipynb']), /--jobs must be an integer from 1 to 64, got "0"/);
  assert.deepEqual(takeJobs(['--skip-unit', 'runner'], {}, 2), { jobs: 2, rest: ['--skip-unit', 'runner'] });
  assert.deepEqual(takeJobs([], {}, 1), { jobs: 1, rest: [] });
  assert.deepEqual(takeJobs(['--full', '--jobs', '3'], {}, 2), { jobs: 3, rest: ['--full'] });
  assert.deepEqual(takeJobs(['--jobs=1'], { GAN_COURSE_TEST_JOBS: '2' }, 2), { jobs: 1, rest: [] });
  assert.deepEqual(takeJobs([], { GAN_COURSE_TEST_JOBS: '1' }, 2), { jobs: 1, rest: [] });
  assert.throws(() => takeJobs(['--jobs', 'x'], {}, 2), /--jobs must be an integer from 1 to 64, got "x"/);
  assert.throws(() => takeJobs([], { GAN_COURSE_TEST_JOBS: 'two' }, 2), /GAN_COURSE_TEST_JOBS must be/);
});

test('splitForJobs deals the chapters round-robin into at most jobs non-empty groups', () => {
  assert.deepEqual(splitForJobs(['00', '01', '02', '03', '04'], 2), [['00', '02', '04'], ['01', '03']]);
  assert.deepEqual(splitForJobs(['00'], 2), [['00']]);
  assert.deepEqual(splitForJobs(['00', '01'], 1), [['00', '01']]);
  assert.deepEqual(splitForJobs([], 2), [[]]);
});
