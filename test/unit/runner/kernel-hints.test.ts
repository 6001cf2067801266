/**
 * The course's kernel adds one line of advice under tslab's bare compiler errors for a name
 * from an earlier cell and for the library not found. (Needs `npm run build`.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hintFor } from '../../../cli/src/kernel/hints';
import { KernelSession } from '../../../cli/src/runner/kernel-session';
import { kernelSpec } from '../../../cli/src/runner/kernelspec';

test('hints name what to do for the two common errors and stay quiet otherwise', () => {
  assert.match(hintFor("2:17 - Cannot find name 'generate'.") ?? '', /'generate' is not declared yet: .*run the cells above/);
  assert.match(hintFor("1:20 - Cannot find module 'kernel-helpers' or its corresponding type declarations.") ?? '', /course folder.*npm run build/);
  assert.equal(hintFor("1:5 - Type 'string' is not assignable to type 'number'."), null);
  assert.equal(hintFor("Cannot find name 'require'."), null);
});

const stderr = (outs: { output_type: string; name?: string; text?: string }[]) =>
  outs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => o.text).join('');

test('a cell run before its dependencies gets the hint once; outside the course, the library hint', async () => {
  const spec = kernelSpec();
  const notebooks = path.join(__dirname, '..', '..', '..', 'notebooks');
  const k = await KernelSession.launch({ cwd: notebooks, argv: spec.argv });
  try {
    const r = await k.execute('console.log(generate(3), generate(4));', { timeoutMs: 60_000 });
    assert.equal(r.status, 'error');
    const err = stderr(r.outputs as never);
    assert.match(err, /Cannot find name 'generate'/);
    assert.equal((err.match(/hint: 'generate' is not declared yet/g) ?? []).length, 1, err);
  } finally {
    await k.shutdown();
  }
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-course-'));
  const k2 = await KernelSession.launch({ cwd: outside, argv: spec.argv });
  try {
    const r = await k2.execute("import { show } from 'kernel-helpers';\nconsole.log(typeof show);", { timeoutMs: 60_000 });
    assert.equal(r.status, 'error');
    assert.match(stderr(r.outputs as never), /hint: 'kernel-helpers' is the course's library/);
  } finally {
    await k2.shutdown();
    fs.rmSync(outside, { recursive: true, force: true });
  }
});
