/**
 * A class on JupyterHub: Debian's JupyterHub 3 started with deploy/jupyterhub/
 * jupyterhub_config.py on the loopback (dummy authenticator, local users made with
 * useradd), several students logged in through the hub, their servers started through
 * its REST API, and chapter 2 run in quick mode in each at once (kernels started 2 s apart),
 * through each server's kernel WebSocket. Checks that each student got the course's student copy and the tslab
 * kernel, and the chapter's outputs.
 *
 * Skips, saying why, when not root or when JupyterHub, its proxy or the notebook server is
 * missing; under GAN_COURSE_REQUIRE_HUB=1 (CI) it fails with the reason instead.
 * GAN_COURSE_HUB_STUDENTS sets the number of students (default 3).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { test } from 'node:test';
import { HubClass, ROOT, STUDENT_FOLDER, missingPrerequisites, outputSummary } from './hub-harness';

const CHAPTER = '02-divergences.ipynb';
const STUDENTS = Number(process.env.GAN_COURSE_HUB_STUDENTS ?? 3);
const required = process.env.GAN_COURSE_REQUIRE_HUB === '1';
const missing = missingPrerequisites();
const skip = missing.length > 0 && !required ? `JupyterHub test skipped, this machine lacks: ${missing.join('; ')}` : false;
if (skip) console.log(`# ${skip}`);

const log = (l: string) => console.log(`# ${l}`);

test(`${STUDENTS} students on Debian's JupyterHub each run chapter 2 in quick mode through their own server`, { skip, timeout: 240_000 }, async () => {
  if (missing.length) assert.fail(`GAN_COURSE_REQUIRE_HUB=1 but this machine lacks: ${missing.join('; ')}`);
  const hub = new HubClass(log);
  try {
    hub.assign([path.join(ROOT, 'notebooks', CHAPTER)]);
    const names = hub.createUsers(STUDENTS);
    await hub.start();

    const students = await Promise.all(names.map((n) => hub.login(n)));
    const startMs = await Promise.all(students.map((s) => hub.startServer(s)));
    log(`servers ready in ${startMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s`);

    const teacher = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', CHAPTER), 'utf8'));
    const released = JSON.parse(fs.readFileSync(path.join(hub.release, CHAPTER), 'utf8'));
    for (const s of students) {
      // The deployment's promise: the student copy in their home and the course's kernel.
      const specs = await hub.server(s, 'GET', 'api/kernelspecs');
      assert.equal(specs.status, 200, specs.text);
      assert.ok(specs.json.kernelspecs.tslab, `${s.name}: no tslab kernel; kernels: ${Object.keys(specs.json.kernelspecs).join(', ')}`);
      assert.match(specs.json.kernelspecs.tslab.spec.argv.join(' '), new RegExp(`${ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/cli/dist/kernel/tslabKernel\\.js`));
      const copy = await hub.server(s, 'GET', `api/contents/${STUDENT_FOLDER}/${CHAPTER}`);
      assert.equal(copy.status, 200, `${s.name}: no ${STUDENT_FOLDER}/${CHAPTER} in their home: ${copy.text}\n${hub.userLog(s.name)}`);
      assert.equal(copy.json.content.metadata.kernelspec.name, 'tslab');
      assert.equal(copy.json.content.cells.length, released.cells.length);
      const text = JSON.stringify(copy.json.content.cells);
      assert.ok(!text.includes('BEGIN SOLUTION') && text.includes('not implemented yet'), `${s.name}: the copy is not the student version`);
      const owner = fs.statSync(path.join(s.home, STUDENT_FOLDER, CHAPTER)).uid;
      assert.equal(owner, fs.statSync(s.home).uid, `${s.name}: the copy is not owned by the student`);
    }

    // The teacher's chapter (the student copy's stubs throw by design), in a kernel opened
    // on the student's copy: it starts in their folder, with their environment.
    const cells = teacher.cells
      .map((c: any, index: number) => ({ c, index }))
      .filter(({ c }: any) => c.cell_type === 'code' && (Array.isArray(c.source) ? c.source.join('') : c.source).trim() !== '')
      .map(({ c, index }: any) => ({ index, source: Array.isArray(c.source) ? c.source.join('') : c.source }));
    // And a last cell that shows where the kernel runs: as the student, in their folder, within the limits.
    const probe = { index: -1, source: "console.log('probe ' + JSON.stringify({ user: require('os').userInfo().username, cwd: process.cwd(), threads: process.env.GAN_COURSE_WASM_THREADS, heapMiB: Math.round(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20) }));" };
    // The kernels start 2 s apart, then run at once. Each server picks its kernel's five ports
    // by binding port 0 and letting go, and the kernel binds them a second or two later: two
    // servers doing that at the same instant can be handed the same port (one kernel then
    // fails with "Address already in use", and its client talks to the other kernel, whose
    // replies fail the HMAC check). Starting 2 s apart, each kernel holds its ports before the
    // next server picks.
    const runs = await Promise.all(students.map((s, i) => new Promise((r) => setTimeout(r, 2000 * i)).then(() => hub.runCells(s, `${STUDENT_FOLDER}/${CHAPTER}`, [...cells, probe]))));
    for (const run of runs) {
      const bad = run.cells.find((c) => c.status !== 'ok');
      assert.ok(!bad, `${run.user}: cell ${bad?.index} ${bad?.status}: ${bad?.error}\n${hub.userLog(run.user)}`);
      assert.equal(run.cells.length, cells.length + 1, `${run.user}: ${run.cells.length} of ${cells.length + 1} cells ran`);
      const where = JSON.parse(/probe (\{.*\})/.exec(outputSummary(run).streams)?.[1] ?? '{}');
      const student = students.find((s) => s.name === run.user)!;
      assert.equal(where.user, run.user, 'the kernel runs as the student');
      assert.equal(fs.realpathSync(where.cwd), fs.realpathSync(path.join(student.home, STUDENT_FOLDER)), 'the kernel starts in the student folder');
      // The config's defaults, 1 CPU and 2G: one wasm thread, V8's heap at 3/4 of 2 GiB.
      assert.equal(where.threads, '1');
      assert.ok(where.heapMiB >= 1536 && where.heapMiB < 1800, `V8 heap limit ${where.heapMiB} MiB, expected about 1536`);
      const out = outputSummary(run);
      assert.match(out.streams, /randomPairs: 300/, `${run.user}: not in quick mode`);
      assert.match(out.streams, /all properties hold/, `${run.user}: the divergence properties cell did not report`);
      assert.match(out.streams, /backend: \w+/, `${run.user}: no backend line`);
      assert.ok(out.charts >= 3, `${run.user}: ${out.charts} Vega-Lite charts with a PNG, expected 3`);
      assert.ok(!run.cells.some((c) => c.outputs.some((o) => o.output_type === 'error')), `${run.user}: an error output`);
    }
    log(`chapter 2, quick mode, ${STUDENTS} at once: ${runs.map((r) => `${r.user} ${(r.totalMs / 1000).toFixed(1)} s (kernel ${(r.kernelStartMs / 1000).toFixed(1)} s)`).join(', ')}`);
    await Promise.all(students.map((s) => hub.stopServer(s)));
  } finally {
    await hub.cleanup();
  }
});

test('a hub that cannot find its proxy says which package is missing', { skip, timeout: 60_000 }, async () => {
  if (missing.length) assert.fail(`GAN_COURSE_REQUIRE_HUB=1 but this machine lacks: ${missing.join('; ')}`);
  const hub = new HubClass(log);
  try {
    await assert.rejects(hub.start({ env: { PATH: path.join(hub.tmp, 'no-bin') }, timeoutMs: 30_000 }), (e: Error) => {
      assert.match(e.message, /configurable-http-proxy not found: apt-get install node-configurable-http-proxy/);
      return true;
    });
  } finally {
    await hub.cleanup();
  }
});

test("a hub whose proxy cannot take its port says so", { skip, timeout: 60_000 }, async () => {
  if (missing.length) assert.fail(`GAN_COURSE_REQUIRE_HUB=1 but this machine lacks: ${missing.join('; ')}`);
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  const hub = new HubClass(log);
  try {
    const port = (taken.address() as net.AddressInfo).port;
    await assert.rejects(hub.start({ port, timeoutMs: 45_000 }), (e: Error) => {
      assert.match(e.message, /already in use/);
      assert.match(e.message, /proxy/i);
      return true;
    });
  } finally {
    taken.close();
    await hub.cleanup();
  }
});

test("with the config's default, PAM, a student logs in with their system password and not with another", { skip, timeout: 60_000 }, async () => {
  if (missing.length) assert.fail(`GAN_COURSE_REQUIRE_HUB=1 but this machine lacks: ${missing.join('; ')}`);
  const hub = new HubClass(log);
  try {
    const [name] = hub.createUsers(1);
    const r = spawnSync('chpasswd', [], { input: `${name}:${hub.password}\n`, encoding: 'utf8' });
    assert.equal(r.status, 0, `chpasswd: ${r.stderr}`);
    await hub.start({ env: { GAN_COURSE_HUB_AUTH: 'pam', GAN_COURSE_HUB_DUMMY_PASSWORD: '' } });
    const s = await hub.login(name); // also checks that a wrong password is refused
    assert.equal(s.name, name);
  } finally {
    await hub.cleanup();
  }
});
