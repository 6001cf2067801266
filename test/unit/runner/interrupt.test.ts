/** watchInterrupt in a plain Node process (outside a kernel). The kernel case is in kernel-session.test.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as path from 'path';
import { watchInterrupt, yieldToEventLoop } from '../../../kernel-helpers/src/core/interrupt';

const MODULE = path.join(__dirname, '..', '..', '..', 'kernel-helpers', 'src', 'core', 'interrupt.ts');

test('stop() ends the loop; dispose removes the SIGINT listener after the current turn', async () => {
  const before = process.listenerCount('SIGINT');
  const w = watchInterrupt();
  await yieldToEventLoop();
  assert.equal(process.listenerCount('SIGINT'), before + 1);
  let steps = 0;
  for (; steps < 1000 && !w.stopped; steps++) {
    if (steps === 5) w.stop();
    await yieldToEventLoop();
  }
  assert.equal(steps, 6);
  w.dispose();
  w.dispose();
  await yieldToEventLoop();
  assert.equal(process.listenerCount('SIGINT'), before);
});

test('two watches share one listener; the kernel handler is set aside while they run and put back after', async () => {
  const before = process.listenerCount('SIGINT');
  let kernelCalls = 0;
  const kernelHandler = () => void kernelCalls++; // stand-in for tslab's own handler
  process.on('SIGINT', kernelHandler);
  const a = watchInterrupt();
  const b = watchInterrupt();
  await yieldToEventLoop();
  assert.equal(process.listenerCount('SIGINT'), 1, 'only the course listener while loops watch');
  process.kill(process.pid, 'SIGINT');
  for (let i = 0; i < 100 && !(a.stopped && b.stopped); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(a.stopped && b.stopped);
  assert.equal(kernelCalls, 0, "the kernel's handler did not see the interrupt (it would fail the cell)");
  a.dispose();
  await yieldToEventLoop();
  assert.equal(process.listenerCount('SIGINT'), 1, 'still set aside while one watch remains');
  b.dispose();
  await yieldToEventLoop();
  assert.ok(process.listeners('SIGINT').includes(kernelHandler), "the kernel's handler is back");
  assert.equal(process.listenerCount('SIGINT'), before + 1);
  process.off('SIGINT', kernelHandler);
  assert.equal(process.listenerCount('SIGINT'), before);
});

test('in a standalone script the first Ctrl-C stops the loop and a second one exits with 130', async () => {
  const script = `
const { watchInterrupt, yieldToEventLoop } = require(${JSON.stringify(MODULE)});
(async () => {
  const w = watchInterrupt();
  let steps = 0;
  while (!w.stopped) { steps++; if (steps === 3) console.log('ready'); await yieldToEventLoop(); }
  console.log('stopped after ' + steps);
  w.dispose();
  const again = watchInterrupt();
  console.log('ready2');
  await new Promise((r) => setTimeout(r, 20000));
  console.log('not reached');
})();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const waitFor = (s: string) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${s}; stdout=${out} stderr=${err}`)), 20000);
      const check = () => {
        if (out.includes(s)) {
          clearTimeout(t);
          resolve();
        }
      };
      child.stdout.on('data', (d) => {
        out += d;
        check();
      });
      check();
    });
  await waitFor('ready\n');
  child.kill('SIGINT');
  await waitFor('ready2');
  assert.match(out, /stopped after \d+/);
  assert.match(err, /stopping at the next step/);
  await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGINT');
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 130);
  assert.doesNotMatch(out, /not reached/);
});
