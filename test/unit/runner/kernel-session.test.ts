/**
 * KernelSession against the real tslab kernel: outputs, errors, display updates, timeouts,
 * interrupts of an async loop, kernel death and restart.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { KernelSession } from '../../../cli/src/runner/kernel-session';

let k: KernelSession;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-session-test-'));

/** The interrupt module compiled from source, so this test does not depend on a build. */
function compiledInterruptModule(): string {
  const src = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'kernel-helpers', 'src', 'core', 'interrupt.ts'), 'utf8');
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const file = path.join(tmp, 'interrupt.js');
  fs.writeFileSync(file, js);
  return file;
}

before(async () => {
  k = await KernelSession.launch({ cwd: tmp, env: { GAN_COURSE_QUICK: '1', EXTRA_VAR: 'seen' } });
});
after(async () => {
  await k.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const text = (outs: any[], name = 'stdout') =>
  outs.filter((o) => o.output_type === 'stream' && o.name === name).map((o) => o.text).join('');

test('a kernel starts, runs in cwd with the given env, and keeps state between cells', async () => {
  assert.ok(k.isAlive());
  assert.ok(k.startMs > 0);
  const r = await k.execute('const a = 20; console.log(process.cwd(), process.env.EXTRA_VAR, process.env.GAN_COURSE_QUICK);');
  assert.equal(r.status, 'ok', r.error);
  assert.equal(text(r.outputs), `${fs.realpathSync(tmp)} seen 1\n`);
  const r2 = await k.execute('a + 2');
  assert.equal(text(r2.outputs), '22\n');
  assert.equal(r2.executionCount, 2);
});

test('an error is status error with the stderr text, and the next cell runs normally', async () => {
  const r = await k.execute('console.log("before"); throw new Error("boom-123");');
  assert.equal(r.status, 'error');
  assert.match(r.error ?? '', /boom-123/);
  assert.equal(text(r.outputs), 'before\n');
  // sent inside tslab's 200 ms abort window unless the session waits it out
  const next = await k.execute('console.log("after")');
  assert.equal(next.status, 'ok', next.error);
  assert.equal(text(next.outputs), 'after\n');
});

test('a type error is reported as an error', async () => {
  const r = await k.execute('const s: number = "x";');
  assert.equal(r.status, 'error');
  assert.match(r.error ?? '', /not assignable to type 'number'/);
});

test('display_data keeps its MIME bundle and update_display_data replaces it in place', async () => {
  const r = await k.execute(`
const jupyter = require(Object.keys(require.cache).find((m) => m.endsWith('tslab/dist/jupyter.js')));
const write = jupyter.lastWriteDisplayData;
write({ data: { 'text/plain': 'v1', 'image/png': 'AAAA' }, metadata: { tag: 1 }, transient: { display_id: 'dash' } }, false);
write({ data: { 'text/plain': 'other' }, metadata: {} }, false);
write({ data: { 'text/plain': 'v2', 'image/png': 'BBBB' }, metadata: { tag: 2 }, transient: { display_id: 'dash' } }, true);
`);
  assert.equal(r.status, 'ok', r.error);
  const displays = r.outputs.filter((o) => o.output_type === 'display_data') as any[];
  assert.equal(displays.length, 2);
  assert.deepEqual(displays[0].data, { 'text/plain': 'v2', 'image/png': 'BBBB' });
  assert.deepEqual(displays[0].metadata, { tag: 2 });
  assert.equal(displays[0].transient, undefined);
  assert.deepEqual(displays[1].data, { 'text/plain': 'other' });
  // an update sent by a later cell reaches the earlier cell's output
  const later = await k.execute(
    `write({ data: { 'text/plain': 'v3' }, metadata: {}, transient: { display_id: 'dash' } }, true);`,
  );
  assert.equal(later.status, 'ok', later.error);
  assert.deepEqual(displays[0].data, { 'text/plain': 'v3' });
});

test('a cell that never finishes times out, is interrupted, and the kernel stays usable', async () => {
  const r = await k.execute('console.log("waiting"); await new Promise(() => {});', { timeoutMs: 1500 });
  assert.equal(r.status, 'timeout');
  assert.match(r.error ?? '', /1\.5 s/);
  assert.ok(r.ms >= 1500 && r.ms < 8000, `took ${r.ms} ms`);
  assert.ok(k.isAlive());
  const next = await k.execute('console.log(a)');
  assert.equal(next.status, 'ok', next.error);
  assert.equal(text(next.outputs), '20\n');
});

test('an interrupt stops an async training loop at its next step; the next cell runs normally', async () => {
  const mod = compiledInterruptModule();
  const started = k.execute(`
const { watchInterrupt, yieldToEventLoop } = require(${JSON.stringify(mod)});
const state = { steps: 0, stopped: false, weights: [0, 0] };
(globalThis as any).loopState = state;
const watch = watchInterrupt();
try {
  for (let i = 0; i < 1e9 && !watch.stopped; i++) {
    state.weights = [state.weights[0] + 1, state.weights[1] + 1]; // one whole step
    state.steps++;
    const until = Date.now() + 2; while (Date.now() < until) {} // some work
    await yieldToEventLoop();
  }
  state.stopped = watch.stopped;
} finally {
  watch.dispose();
}
`);
  await new Promise((r) => setTimeout(r, 1500));
  k.interrupt();
  const r = await started;
  // tslab's own handler is set aside while the loop watches: the cell ends normally.
  assert.equal(r.status, 'ok', r.error);
  const check = await k.execute(`
const s = (globalThis as any).loopState;
const before = s.steps;
await new Promise((r) => setTimeout(r, 300));
console.log(JSON.stringify({ stopped: s.stopped, moved: s.steps - before, steps: s.steps, consistent: s.weights[0] === s.steps && s.weights[1] === s.steps, listeners: process.listenerCount('SIGINT') }));
`);
  assert.equal(check.status, 'ok', check.error);
  const got = JSON.parse(text(check.outputs));
  assert.equal(got.stopped, true, 'the loop saw the interrupt');
  assert.equal(got.moved, 0, 'the loop no longer runs in the background');
  assert.ok(got.steps > 10, `the loop ran before the interrupt (${got.steps} steps)`);
  assert.equal(got.consistent, true, 'the state holds a whole step');
  assert.equal(got.listeners, 1, "only tslab listens for SIGINT after dispose (its handler is back)");
});

test('a kernel that exits is reported as dead, not hung, and restart() brings a fresh one', async () => {
  const r = await k.execute('process.exit(7)', { timeoutMs: 20_000 });
  assert.equal(r.status, 'dead');
  assert.match(r.error ?? '', /exited with code 7/);
  assert.equal(k.isAlive(), false);
  const again = await k.execute('1');
  assert.equal(again.status, 'dead');
  await k.restart();
  assert.ok(k.isAlive());
  const fresh = await k.execute('console.log(typeof (globalThis as any).loopState)');
  assert.equal(fresh.status, 'ok', fresh.error);
  assert.equal(text(fresh.outputs), 'undefined\n', 'restart gives a fresh kernel');
});

test('start fails with a clear message when the kernel command exits at once', async () => {
  const s = new KernelSession();
  await assert.rejects(
    s.start({ cwd: tmp, argv: [process.execPath, '-e', 'console.error("no kernel here"); process.exit(2)'] }),
    /kernel failed to start: kernel process exited with code 2\n.*no kernel here/s,
  );
  await assert.rejects(new KernelSession().start({ cwd: path.join(tmp, 'missing') }), /cwd .* does not exist/);
});
