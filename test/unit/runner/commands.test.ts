/** The kernel and start commands' small pieces: installing the kernelspec, finding the notebooks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main as kernelMain } from '../../../cli/src/commands/kernel';
import { courseNotebooks } from '../../../cli/src/commands/start';
import { parseRunArgs } from '../../../cli/src/commands/run';

test('kernel install --user writes the kernelspec into the user data dir (JUPYTER_DATA_DIR)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jupyter-user-'));
  const saved = process.env.JUPYTER_DATA_DIR;
  const log = console.log;
  const lines: string[] = [];
  console.log = (s: string) => lines.push(s);
  try {
    process.env.JUPYTER_DATA_DIR = dir;
    assert.equal(await kernelMain(['install', '--user']), 0);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'kernels', 'tslab', 'kernel.json'), 'utf8'));
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'signal');
    assert.ok(lines.some((l) => l.includes(dir)));
    assert.equal(await kernelMain(['status']), 0);
  } finally {
    console.log = log;
    if (saved === undefined) delete process.env.JUPYTER_DATA_DIR;
    else process.env.JUPYTER_DATA_DIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('kernel rejects unknown arguments with exit code 2', async () => {
  const err = console.error;
  const msgs: string[] = [];
  console.error = (s: string) => msgs.push(s);
  try {
    assert.equal(await kernelMain(['install', '--system']), 2);
    assert.equal(await kernelMain(['remove']), 2);
  } finally {
    console.error = err;
  }
  assert.match(msgs[0], /unknown argument --system/);
  assert.match(msgs[1], /unknown subcommand 'remove'/);
});

test('the course notebooks are found in order, NN-name.ipynb only', () => {
  const nbs = courseNotebooks();
  assert.ok(nbs.length > 0);
  const names = nbs.map((p) => path.basename(p));
  assert.equal(names[0], '00-start-here.ipynb');
  assert.deepEqual([...names].sort(), names);
  for (const n of names) assert.match(n, /^\d\d-.*\.ipynb$/);
  assert.ok(parseRunArgs(nbs));
});
