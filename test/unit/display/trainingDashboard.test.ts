import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { trainingDashboard, progressLine, DashboardStepInfo } from '../../../kernel-helpers/src/display/trainingDashboard';
import { setKernelWriter } from '../../../kernel-helpers/src/display/kernelTransport';
import { compileVegaLite } from '../../../kernel-helpers/src/display/vegaLiteRender';
import { scatterChart } from '../../../kernel-helpers/src/plot/scatterChart';
import { fakeKernel, captureLog, decodePng } from './capture';

const VL = 'application/vnd.vegalite.v5+json';

afterEach(() => setKernelWriter(undefined));

function step(s: number, total: number): DashboardStepInfo {
  return { step: s, total, lossD: 1 + 1 / s, lossG: 0.5 + s / 100, elapsedMs: 10 * s, logged: s % 2 === 0 };
}

async function run(d: ReturnType<typeof trainingDashboard>, total: number): Promise<void> {
  await d.onStart({ total });
  for (let s = 1; s <= total; s++) await d.onStep(step(s, total));
  await d.onEnd({ steps: total, interrupted: false, elapsedMs: 10 * total });
}

test('dashboard: one live display updated in place, every N steps, ending with a fresh PNG', async () => {
  const msgs = fakeKernel();
  const d = trainingDashboard({ title: 'Toy GAN', every: 5, minIntervalMs: 0, pngIntervalMs: 60_000, maxOverhead: 0 });
  await run(d, 20);
  // onStart + steps 5, 10, 15 (20 is left to onEnd) + onEnd
  assert.equal(msgs.length, 5);
  assert.deepEqual(msgs.map((m) => m.isUpdate), [false, true, true, true, true]);
  const ids = new Set(msgs.map((m) => m.content.transient?.display_id));
  assert.equal(ids.size, 1);
  // Every message carries a PNG, the start view (nothing plotted yet) too: JupyterLab's Vega
  // renderer would otherwise store a PNG of its own into the output.
  for (const m of msgs) {
    assert.ok(VL in m.content.data && 'image/png' in m.content.data && 'text/plain' in m.content.data);
    assert.ok(!('text/html' in m.content.data));
  }
  decodePng(msgs[0].content.data['image/png']);
  assert.notEqual(msgs[1].content.data['image/png'], msgs[0].content.data['image/png']);
  // PNG throttled: the start view's PNG does not delay the first one of the curves (step 5),
  // which is reused until the end, which renders a fresh one.
  assert.equal(d.stats.pngRenders, 3);
  assert.equal(msgs[2].content.data['image/png'], msgs[1].content.data['image/png']);
  assert.equal(msgs[3].content.data['image/png'], msgs[1].content.data['image/png']);
  assert.notEqual(msgs[4].content.data['image/png'], msgs[1].content.data['image/png']);
  decodePng(msgs[4].content.data['image/png']);
  const last = String(msgs[4].content.data['text/plain']);
  assert.match(last, /^Toy GAN \[#{24}\] 100% \| step 20\/20 \| lossD 1\.0500 \| lossG 0\.7000 \| .* done in 0:00$/);
  // only logged steps (even ones) were recorded: 10 steps x 2 losses
  assert.equal(d.history.length, 20);
  const spec = msgs[4].content.data[VL] as { vconcat: Array<{ data: { values: unknown[] } }> };
  assert.equal(spec.vconcat[1].data.values.length, 20);
  await compileVegaLite(spec as never);
});

test('dashboard: minIntervalMs limits redraws however small `every` is', async () => {
  const msgs = fakeKernel();
  const d = trainingDashboard({ every: 1, minIntervalMs: 60_000 });
  await run(d, 50);
  assert.equal(msgs.length, 2, 'start and end only: the next redraw would be a minute after the start');
});

test('dashboard: samples panel from render(info), in its own live display', async () => {
  const msgs = fakeKernel();
  const seen: number[] = [];
  const d = trainingDashboard({
    every: 10,
    minIntervalMs: 0,
    samplesIntervalMs: 0,
    maxOverhead: 0,
    render: (info) => {
      seen.push(info.step);
      return scatterChart({ generated: [[info.step, 1], [0, 0]] });
    },
  });
  await run(d, 20);
  assert.deepEqual(seen, [0, 10, 20]);
  const ids = [...new Set(msgs.map((m) => m.content.transient?.display_id))];
  assert.equal(ids.length, 2);
  const sampleMsgs = msgs.filter((m) => m.content.transient?.display_id === ids[1]);
  assert.equal(sampleMsgs.length, 3);
  assert.equal(sampleMsgs[0].isUpdate, false);
  assert.ok(sampleMsgs.slice(1).every((m) => m.isUpdate));
});

test('dashboard: an interrupted run says so; a bad render result is reported clearly', async () => {
  const msgs = fakeKernel();
  const d = trainingDashboard({ every: 100 });
  await d.onStart({ total: 100 });
  for (let s = 1; s <= 7; s++) await d.onStep(step(s, 100));
  await d.onEnd({ steps: 7, interrupted: true, elapsedMs: 70 });
  assert.match(String(msgs[msgs.length - 1].content.data['text/plain']), /interrupted at step 7/);

  const bad = trainingDashboard({ render: () => ({ nope: true }) });
  await assert.rejects(bad.onStart({ total: 10 }), /show\(render\(info\)\): cannot display an object with keys \[nope\]/);
  assert.throws(() => trainingDashboard({ render: 42 as never }), /render must be a function/);
  assert.throws(() => trainingDashboard().onStep({} as never), /info must have numeric step and total/);
});

test('dashboard outside a kernel: prints progress lines, no crash', async () => {
  setKernelWriter(null);
  const d = trainingDashboard({ title: 'Script', every: 1, minIntervalMs: 0, maxOverhead: 0 });
  const lines = await captureLog(() => run(d, 30));
  assert.ok(lines.length >= 2 && lines.length <= 4, `printed ${lines.length} lines`);
  assert.match(lines[lines.length - 1], /^Script \[#+\] 100% \| step 30\/30/);
  assert.equal(d.stats.pngRenders, 0, 'no PNG rendered where nobody sees it');
});

test('dashboard: redraws are spaced so their measured cost stays within maxOverhead', async () => {
  setKernelWriter(null); // no PNGs: the render function's 20 ms is the whole cost
  // Each redraw costs >= 20 ms; with maxOverhead 0.2 the next one waits >= 100 ms.
  const d = trainingDashboard({
    every: 1,
    minIntervalMs: 0,
    samplesIntervalMs: 0,
    maxOverhead: 0.2,
    render: () => {
      const end = Date.now() + 20;
      while (Date.now() < end);
      return 'samples';
    },
  });
  const t0 = Date.now();
  await captureLog(async () => {
    await d.onStart({ total: 30 });
    for (let s = 1; s <= 30; s++) {
      const end = Date.now() + 5;
      while (Date.now() < end);
      await d.onStep(step(s, 30));
    }
  });
  const elapsed = Date.now() - t0;
  // without the budget there would be 31 redraws (start + 30 steps)
  assert.ok(d.stats.refreshes <= 1 + Math.ceil(elapsed / 100), `${d.stats.refreshes} redraws in ${elapsed} ms`);
  assert.ok(d.stats.refreshes < 31);
});

test('dashboard reused for a second run: fresh history and a new output', async () => {
  const msgs = fakeKernel();
  const d = trainingDashboard({ every: 100, maxOverhead: 0 });
  await run(d, 10);
  const firstId = msgs[0].content.transient?.display_id;
  await run(d, 4);
  assert.equal(d.history.length, 4, 'two logged steps x two losses of the second run');
  const second = msgs.filter((m) => m.content.transient?.display_id !== firstId);
  assert.equal(second[0].isUpdate, false);
  assert.match(String(second[second.length - 1].content.data['text/plain']), /step 4\/4/);
});

test('progressLine: ETA from the step rate', () => {
  const line = progressLine('T', { step: 25, total: 100, lossD: 0.5, lossG: 2, elapsedMs: 5000 });
  assert.equal(line, 'T [######------------------] 25% | step 25/100 | lossD 0.5000 | lossG 2.0000 | 5.0 it/s | elapsed 0:05, ETA 0:15');
});
