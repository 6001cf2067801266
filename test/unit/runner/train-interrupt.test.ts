/**
 * The course's training loop under a real kernel interrupt: `train()` from the built
 * kernel-helpers stops at its next step, the models stay usable, the next cells run.
 * (Needs `npm run build`; `npm test` builds first.)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { KernelSession } from '../../../cli/src/runner/kernel-session';

const NOTEBOOKS = path.join(__dirname, '..', '..', '..', 'notebooks');
let k: KernelSession;
before(async () => {
  k = await KernelSession.launch({ cwd: NOTEBOOKS });
});
after(async () => {
  await k.shutdown();
});

const stdout = (outs: any[]) => outs.filter((o) => o.output_type === 'stream' && o.name === 'stdout').map((o) => o.text).join('');

test('interrupting train() stops it at the next step and leaves the models usable', async () => {
  const setup = await k.execute(
    `import { tf, initBackend, mlpGenerator, mlpDiscriminator, train, ring8, rng } from 'kernel-helpers';
await initBackend({ quiet: true });
const data = ring8({ seed: 1 });
const r = rng(3);
const G = mlpGenerator({ width: 16, depth: 1, seed: 1 });
const D = mlpDiscriminator({ width: 16, depth: 1, seed: 2 });
const cfg = {
  generator: G, discriminator: D, batchSize: 16,
  sampleReal: (n: number) => tf.tensor2d(data.sample(n, r)),
  sampleLatent: (n: number) => tf.randomNormal([n, 2], 0, 1, 'float32', r.int(1e9)),
};
const g = globalThis as any;`,
    { timeoutMs: 120_000 },
  );
  assert.equal(setup.status, 'ok', setup.error);

  let sawSteps!: () => void;
  const stepsSeen = new Promise<void>((r) => (sawSteps = r));
  const running = k.execute(
    `g.result = null; g.lastStep = 0;
g.result = await train({ ...cfg, steps: 1000000, callbacks: { onStep(i) { g.lastStep = i.step; if (i.step === 20) console.log('step 20'); } } });
g.second = await train({ ...cfg, steps: 50 });`,
    { timeoutMs: 120_000, onOutput: (o) => o.output_type === 'stream' && String(o.text).includes('step 20') && sawSteps() },
  );
  await Promise.race([stepsSeen, running]);
  k.interrupt();
  const r = await running;
  assert.equal(r.status, 'ok', `the interrupted cell ends normally, not with tslab's error (got ${r.status}: ${r.error})`);
  assert.equal((stdout(r.outputs).match(/interrupted at step \d+; the models keep the weights of step \d+/g) ?? []).length, 1, 'one line, once per cell');

  const check = await k.execute(
    `await new Promise((res) => setTimeout(res, 500));
const stepAfter = g.lastStep;
await new Promise((res) => setTimeout(res, 300));
const out = tf.tidy(() => G.apply(cfg.sampleLatent(8)).arraySync() as number[][]);
console.log(JSON.stringify({ secondSteps: g.second?.steps, secondInterrupted: g.second?.interrupted, interrupted: g.result?.interrupted, steps: g.result?.steps, still: g.lastStep === stepAfter, finite: out.flat().every(Number.isFinite), shape: [out.length, out[0].length] }));`,
    { timeoutMs: 60_000 },
  );
  assert.equal(check.status, 'ok', check.error);
  const got = JSON.parse(stdout(check.outputs));
  assert.equal(got.interrupted, true, 'train() reports it was interrupted');
  assert.equal(got.secondSteps, 0, 'a later train() in the interrupted cell does not train');
  assert.equal(got.secondInterrupted, true);
  assert.ok(got.steps >= 20 && got.steps < 1000000, `steps ${got.steps}`);
  assert.equal(got.still, true, 'no steps run in the background after the interrupt');
  assert.equal(got.finite, true);
  assert.deepEqual(got.shape, [8, 2]);

  const again = await k.execute(`const second = await train({ ...cfg, steps: 5 }); console.log(second.steps, second.interrupted);`, { timeoutMs: 60_000 });
  assert.equal(again.status, 'ok', again.error);
  assert.equal(stdout(again.outputs), '5 false\n', 'the same models train again after the interrupt');
});
