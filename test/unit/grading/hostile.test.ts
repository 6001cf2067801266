/**
 * The hostile class (issue 18): test/fixtures/grading/hostile holds submissions that try a
 * trick; each must get exactly the points it deserves, and the honest student full marks.
 * Runs real tslab kernels (a few small notebooks, two at a time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gradeClass, GradeClassResult } from '../../../cli/src/grading/grade-class';
import { sandboxWorks } from '../../../cli/src/grading/sandbox';
import { serializeNotebook, readNotebook, toLines } from '../../../cli/src/runner';

const root = path.join(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'grading');
const teacherDir = path.join(fixtures, 'teacher');
const built = fs.existsSync(path.join(root, 'kernel-helpers', 'dist', 'exercises', 'index.js'));
const sandbox = sandboxWorks(root);
// The hostile class is only ever run in the sandbox: some of it would harm the machine otherwise.
const skip = !built ? 'kernel-helpers is not built (npx tsc -b kernel-helpers)' : !sandbox.ok ? `no sandbox here (${sandbox.detail})` : false;
const SECRET = `grader-secret-${process.pid}-${Date.now()}`;
const planted = path.join(root, 'kernel-helpers', 'dist', 'exercises', 'planted.js');
const detachedMarker = '/tmp/gan-course-hostile-detached';
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grading-hostile-'));

let result: GradeClassResult;
let out: string;
const rows = (s: string) => result.rows.filter((r) => r.student === s && r.notebook === 'fixture.ipynb');
const total = (s: string) => rows(s).reduce((acc, r) => acc + r.points, 0);
const statuses = (s: string) => rows(s).map((r) => r.status);

test('the hostile class', { skip }, async (t) => {
  out = path.join(tmp(), 'graded');
  process.env.GRADER_SECRET = SECRET;
  fs.rmSync(detachedMarker, { force: true });
  const before = tmpEntries();
  try {
    result = await gradeClass({
      sourceDir: teacherDir,
      submissionsDir: path.join(fixtures, 'hostile'),
      outDir: out,
      jobs: 2,
      limits: { cellTimeoutMs: 8000 },
      sandboxLimits: { memoryBytes: 1.5 * 2 ** 30 },
    });
  } finally {
    delete process.env.GRADER_SECRET;
  }
  const feedback = (s: string) => fs.readFileSync(path.join(out, 'feedback', s, 'fixture.ipynb'), 'utf8');

  await t.test('the gradebook says the kernels ran in the sandbox', () => {
    assert.match(result.isolation, /^sandbox: bubblewrap/);
    const book = JSON.parse(fs.readFileSync(path.join(out, 'gradebook.json'), 'utf8'));
    assert.match(book.isolation, /^sandbox: bubblewrap/);
    assert.match(book.library.from, /^kernel-helpers\/src, transpiled when grading started/, 'the kernels loaded the library compiled from its sources');
  });

  await t.test("the teacher's notebook is out of reach: the copied solution does not run", () => {
    assert.deepEqual(statuses('reads-teacher'), ['passed', 'failed', 'passed']);
    assert.equal(total('reads-teacher'), 2.5);
    assert.match(rows('reads-teacher')[1].message, /expected 2, got -1/);
  });

  await t.test('no environment secret or machine file reaches the feedback', () => {
    assert.equal(total('prints-secrets'), 4.5);
    const fb = feedback('prints-secrets');
    assert.ok(!fb.includes(SECRET), 'the secret is not in the feedback');
    assert.match(fb, /HOME.*\/course\/work/);
    assert.match(fb, /no \/etc\/hostname/);
  });

  await t.test('nothing can be planted in the course library', () => {
    assert.equal(total('plants-library'), 1 + 1.5);
    assert.equal(fs.existsSync(planted), false);
    assert.match(feedback('plants-library'), /could not plant: EROFS/);
  });

  await t.test('a detached process does not outlive the run, and its /tmp is private', async () => {
    assert.equal(total('leaves-a-process'), 4.5);
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(fs.existsSync(detachedMarker), false);
    assert.deepEqual(processesMatching('gan-course-hostile-detached'), []);
    assert.deepEqual(tmpEntries().filter((e) => !before.includes(e) && /^gan-course-(grading|sandbox|verdicts)-/.test(e)), []);
  });

  await t.test('a peer-killer kills nobody else', () => {
    assert.equal(total('kills-peers'), 4.5);
    assert.match(feedback('kills-peers'), /killed 0/);
  });

  await t.test('tricks in the same process as the checks gain nothing', () => {
    // Each has a wrong mean (swaps-library a wrong countPositive too); the rest is right.
    for (const s of ['empty-answer', 'pollutes-prototype', 'before-setup', 'forges-reply']) {
      assert.deepEqual(statuses(s), ['passed', 'failed', 'passed'], s);
      assert.match(rows(s)[1].message, /^CheckError: mean\(\[1, 2, 3\]\): expected 2, got/, s);
    }
    assert.match(rows('empty-answer')[1].message, /no elements/);
    assert.deepEqual(statuses('swaps-library'), ['passed', 'failed', 'failed']);
    assert.equal(total('swaps-library'), 1);
  });

  await t.test('forged verdicts gain nothing: pass lines, the runner signing other code; the nonces cannot be stolen', () => {
    // A wrong mean. Its String.prototype hooks, meant to steal the next cells' nonces and
    // plant verdicts under them, are refused (the intrinsics are frozen), so nothing is planted
    // and its correct countPositive keeps its points. (A planted verdict under a known nonce
    // is flagged FORGED: verdict.test.ts.)
    assert.deepEqual(statuses('forges-verdict'), ['passed', 'failed', 'passed']);
    assert.equal(total('forges-verdict'), 2.5);
    assert.match(feedback('forges-verdict'), /hooks refused: String.prototype is frozen/);
  });

  await t.test('the hidden tests cannot be read as tslab compiles them', () => {
    // mean() answers with the expected value it would find in the stolen test text.
    assert.deepEqual(statuses('reads-hidden-tests'), ['passed', 'failed', 'passed']);
    assert.match(rows('reads-hidden-tests')[1].message, /^CheckError: mean\(\[1, 2, 3\]\): expected 2, got 0/);
    assert.match(feedback('reads-hidden-tests'), /hooks refused: String.prototype is frozen/);
  });

  await t.test('the reporting function cannot be replaced', () => {
    assert.deepEqual(statuses('replaces-reporter'), ['passed', 'failed', 'passed']);
    assert.equal(total('replaces-reporter'), 2.5);
    assert.match(rows('replaces-reporter')[1].message, /^CheckError: mean/);
    const fb = feedback('replaces-reporter');
    for (const re of [/assignment ignored/, /define: Cannot redefine property: runVerdict/, /second runner: verdictRunner: this kernel has its runner already/, /cache write ignored/, /Reflect write ignored/]) assert.match(fb, re);
  });

  await t.test("the verdict key cannot be read: no key file left, no debugger on the kernel's own closures", () => {
    assert.deepEqual(statuses('reads-secret'), ['passed', 'failed', 'passed']);
    assert.equal(total('reads-secret'), 2.5);
    const fb = feedback('reads-secret');
    assert.doesNotMatch(fb, /file key-/);
    assert.match(fb, /file verdicts/);
    assert.match(fb, /inspector: inspector is not available in a grading kernel/);
    assert.match(fb, /binding: process.binding\('inspector'\) is not available/);
    assert.match(fb, /debugProcess: process._debugProcess is not available/);
    assert.match(fb, /port 9229: connect ECONNREFUSED/);
    assert.match(fb, /worker: inspector is not available in a grading kernel/);
    assert.match(fb, /maps: ENOENT/, 'no /proc in the sandbox: no /proc/self/mem either');
    assert.match(fb, /addon: process.dlopen\(\\"\/tmp\/reader.node\\"\): a grading kernel loads native addons from the course runtime only/);
  });

  await t.test("the setup cell is the teacher's: a rewritten one is replaced and flagged", () => {
    assert.deepEqual(statuses('changes-setup'), ['failed', 'passed', 'passed']);
    assert.equal(total('changes-setup'), 3.5);
    assert.match(rows('changes-setup')[0].message, /double\(2\): expected 4, got 8/);
    const notes = result.students.find((x) => x.student === 'changes-setup')!.notes.join('\n');
    assert.match(notes, /FLAGGED: the setup cell .* was changed; the teacher's was run in its place/);
  });

  await t.test('the gradebook names the library the kernels loaded', () => {
    const book = JSON.parse(fs.readFileSync(path.join(out, 'gradebook.json'), 'utf8'));
    assert.match(book.library.sha256, /^[0-9a-f]{64}$/);
    assert.ok(book.library.files > 10);
  });

  await t.test('output floods are capped, memory hogs stopped by the limit', () => {
    assert.deepEqual(statuses('floods'), ['passed', 'passed', 'passed']);
    const fb = feedback('floods');
    assert.ok(fb.length < 3 * 2 ** 20, `feedback is ${fb.length} bytes`);
    assert.match(fb, /bytes of output dropped: the cell printed more than 1048576 bytes/);
  });

  await t.test("every folder a kernel can write is a size-limited tmpfs of its own, the kernel's folder included", () => {
    assert.deepEqual(statuses('fills-folders'), ['passed', 'passed', 'passed']);
    const fb = feedback('fills-folders');
    const filled = (dir: string) => {
      const m = new RegExp(`filled ${dir}: (\\d+) MiB, then (\\w+)`).exec(fb);
      assert.ok(m, `no report for ${dir}`);
      return { mib: Number(m[1]), why: m[2] };
    };
    assert.deepEqual(filled('/run/kernel'), { mib: 15, why: 'ENOSPC' }, 'the 16 MiB kernel folder holds its sockets and 15 files of 1 MiB');
    for (const dir of ['/course/work', '/tmp']) {
      const f = filled(dir);
      assert.equal(f.why, 'ENOSPC');
      assert.ok(f.mib >= 200 && f.mib <= 256, `${dir}: ${f.mib} MiB (a 256 MiB tmpfs)`);
    }
  });

  await t.test('the honest student keeps full marks', () => {
    assert.deepEqual(statuses('all-correct'), ['passed', 'passed', 'passed']);
    assert.equal(total('all-correct'), 4.5);
  });

  await t.test('a timer bomb is not charged to the later, correct exercises', () => {
    assert.deepEqual(statuses('timer-bomb'), ['passed', 'passed', 'passed']);
    assert.equal(total('timer-bomb'), 4.5);
    const notes = result.students.find((s) => s.student === 'timer-bomb')!.notes.join('\n');
    assert.match(notes, /restarted 1 time/);
  });

  await t.test('a formula in the error message and in the folder name stays text in the CSV', () => {
    assert.deepEqual(statuses('@formula'), ['passed', 'failed', 'passed']);
    assert.equal(total('@formula'), 2.5);
    const csv = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8');
    for (const line of csv.split('\r\n').slice(1)) {
      for (const field of line.match(/("([^"]|"")*"|[^,]*)/g) ?? []) assert.doesNotMatch(field.replace(/^"/, ''), /^[=+\-@\t\r]/, line);
    }
    assert.match(csv, /'@formula,fixture\.ipynb,mean-tests,0,2,failed,"'=HYPERLINK/);
  });

  await t.test('a 10,000-deep nested notebook: 0 with the reason, nothing else disturbed', () => {
    assert.deepEqual(statuses('deep-nesting'), ['error', 'error', 'error']);
    assert.match(rows('deep-nesting')[0].message, /nested more than 100 levels deep/);
  });

  await t.test('links are reported, not followed, not skipped', () => {
    assert.deepEqual(statuses('linked-peer'), ['error', 'error', 'error']);
    assert.match(rows('linked-peer')[0].message, /student folder is a symbolic link/);
    assert.deepEqual(statuses('linked-teacher'), ['error', 'error', 'error']);
    assert.match(rows('linked-teacher')[0].message, /is a symbolic link, not a notebook file/);
    assert.equal(total('linked-peer') + total('linked-teacher'), 0);
  });
});

test('without the prelude and its verdicts, the library swap, the forged reply and the peek at the hidden tests would pass (the cell before setup is stopped by the setup cell running first)', { skip }, async () => {
  const dir = tmp();
  for (const s of ['before-setup', 'forges-reply', 'reads-hidden-tests', 'swaps-library']) fs.cpSync(path.join(fixtures, 'hostile', s), path.join(dir, 'subs', s), { recursive: true });
  const r = await gradeClass({ sourceDir: teacherDir, submissionsDir: path.join(dir, 'subs'), outDir: path.join(dir, 'out'), prelude: false, limits: { cellTimeoutMs: 8000 } });
  assert.deepEqual(r.students.map((s) => [s.student, s.points]), [['before-setup', 2.5], ['forges-reply', 4.5], ['reads-hidden-tests', 4.5], ['swaps-library', 4.5]]);
});

test('a student who sleeps in every cell is stopped by the per-student budget', { skip }, async () => {
  const dir = tmp();
  const sub = readNotebook(path.join(fixtures, 'submissions', 'all-correct', 'fixture.ipynb'));
  const at = sub.cells.findIndex((c) => c.metadata.nbgrader?.grade_id === 'double-tests');
  for (let k = 0; k < 4; k++) {
    sub.cells.splice(at + 1, 0, { cell_type: 'code', metadata: {}, source: toLines('await new Promise((r) => setTimeout(r, 2500));'), outputs: [], execution_count: null });
  }
  fs.mkdirSync(path.join(dir, 'subs', 'sleeper'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'subs', 'sleeper', 'fixture.ipynb'), serializeNotebook(sub));
  const r = await gradeClass({ sourceDir: teacherDir, submissionsDir: path.join(dir, 'subs'), outDir: path.join(dir, 'out'), limits: { cellTimeoutMs: 8000, studentTimeoutMs: 7000 } });
  assert.deepEqual(r.rows.map((x) => x.status), ['passed', 'not-run', 'not-run']);
  assert.match(r.rows[1].message, /the student's time budget of 7 s ran out/);
  // The kernel's start is not charged to the budget (a loaded machine takes 15 s for it).
  assert.ok(r.ms < 45_000, `took ${r.ms} ms`);
});

function tmpEntries(): string[] {
  return fs.readdirSync(os.tmpdir());
}

function processesMatching(text: string): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(text)) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The pids of `pid`'s descendants, from /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) if (pp === p) out.push(c), walk(c);
  };
  walk(pid);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

for (const afterMs of [4000, 0]) {
  test(`SIGTERM during grading (${afterMs} ms after the first child) kills every kernel and removes every scratch folder`, { skip }, async () => {
    const before = tmpEntries();
    const dir = tmp();
    const sub = readNotebook(path.join(fixtures, 'submissions', 'infinite-loop', 'fixture.ipynb'));
    fs.mkdirSync(path.join(dir, 'subs', 'looper'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'subs', 'looper', 'fixture.ipynb'), serializeNotebook(sub));
    const args = ['--source', teacherDir, '--submissions', path.join(dir, 'subs'), '--out', path.join(dir, 'out'), '--cell-timeout', '60', ...(process.env.GRADE_TEST_ARGS ?? '').split(' ').filter(Boolean)];
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `require(${JSON.stringify(path.join(root, 'cli', 'src', 'commands', 'grade.ts'))}).main(${JSON.stringify(args)}).then((c) => process.exit(c))`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', () => undefined);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Wait for the first child (the library build, then the sandboxed kernel).
    let kids: number[] = [];
    for (let i = 0; i < 100 && kids.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      kids = descendants(child.pid!);
    }
    assert.ok(kids.length > 0, 'a kernel was started');
    // 4 s: the kernel runs the loop; 0: the library is still being built or a sandbox started.
    await new Promise((r) => setTimeout(r, afterMs));
    kids = descendants(child.pid!);
    child.kill('SIGTERM');
    assert.equal(await exited, 143, stderr);
    assert.match(stderr, /stopped by SIGTERM/);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(kids.filter(alive), [], 'no kernel process survives');
    assert.equal(fs.existsSync(path.join(teacherDir, '.grading-work')), false, 'no scratch folder is left');
    assert.deepEqual(tmpEntries().filter((e) => !before.includes(e) && /^gan-course-(grading|sandbox|verdicts)-/.test(e)), [], `no sandbox folder is left; the grader said:\n${stderr}`);
    assert.equal(fs.existsSync(path.join(dir, 'out', 'gradebook.csv')), false);
  });
}
