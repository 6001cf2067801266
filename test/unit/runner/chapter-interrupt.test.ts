/**
 * A real chapter under a kernel interrupt, as a student meets it: chapter 0's training cell
 * is interrupted through the kernel protocol while it trains; the cell ends normally with
 * one line saying where it stopped (no tslab stack trace), and every cell after it runs.
 * (Needs `npm run build`; `npm test` builds first.)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { KernelSession } from '../../../cli/src/runner/kernel-session';
import { parseNotebook, sourceText } from '../../../cli/src/runner/notebook';

const NOTEBOOKS = path.join(__dirname, '..', '..', '..', 'notebooks');
const FILE = path.join(NOTEBOOKS, '00-start-here.ipynb');
let k: KernelSession;
before(async () => {
  // Full mode: the training cell runs long enough to be interrupted mid-way.
  const env = { ...process.env };
  delete env.GAN_COURSE_QUICK;
  k = await KernelSession.launch({ cwd: NOTEBOOKS, env });
});
after(async () => {
  await k.shutdown();
});

test("interrupting chapter 0's training cell keeps the notebook usable", async () => {
  const nb = parseNotebook(fs.readFileSync(FILE, 'utf8'), FILE);
  const cells = nb.cells.filter((c) => c.cell_type === 'code') as { id?: string; source: string | string[] }[];
  const at = cells.findIndex((c) => c.id === 'train');
  assert.ok(at > 0, 'chapter 0 has a code cell with id "train"');
  for (const c of cells.slice(0, at)) {
    const r = await k.execute(sourceText(c.source), { timeoutMs: 120_000 });
    assert.equal(r.status, 'ok', `cell ${c.id} before training: ${r.error}`);
  }

  let started!: () => void;
  const training = new Promise<void>((res) => (started = res));
  const texts: string[] = [];
  const running = k.execute(sourceText(cells[at].source), {
    timeoutMs: 120_000,
    onOutput: (o) => {
      const t = JSON.stringify(o);
      texts.push(t);
      if (/step \d+\/\d+/.test(t)) started();
    },
  });
  await Promise.race([training, running]);
  await new Promise((res) => setTimeout(res, 300));
  k.interrupt();
  const r = await running;
  const all = texts.join('\n');
  assert.equal(r.status, 'ok', `the interrupted cell ends normally (got ${r.status}: ${r.error})`);
  assert.doesNotMatch(all, /Interrupted asynchronously/);
  assert.match(all, /interrupted at step \d+; the models keep the weights of step \d+/);

  for (const c of cells.slice(at + 1)) {
    const after = await k.execute(sourceText(c.source), { timeoutMs: 120_000 });
    assert.equal(after.status, 'ok', `cell ${c.id} after the interrupt: ${after.error}`);
  }
});
