/** `gan-course kernel uninstall [--user] [--force]`: removes this course's kernelspec, keeps another tslab's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main as kernelMain, uninstallKernelSpec } from '../../../cli/src/commands/kernel';
import { installKernelSpec } from '../../../cli/src/runner';
import { quietly } from './quietly';

function writeSpec(dataDir: string, argv: string[]): void {
  const dir = path.join(dataDir, 'kernels', 'tslab');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify({ argv, display_name: 'TypeScript', language: 'typescript' }));
}

test("uninstall removes the course's kernelspec and a broken one, keeps another tslab's unless forced", () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'jupyter-data-'));
  try {
    assert.equal(uninstallKernelSpec(data), 'absent');
    installKernelSpec(data);
    assert.equal(uninstallKernelSpec(data), 'removed');
    assert.ok(!fs.existsSync(path.join(data, 'kernels', 'tslab')));
    assert.ok(fs.existsSync(path.join(data, 'kernels')), 'only the tslab folder goes');

    // Another tslab that works (a global install, say): kept.
    const other = path.join(data, 'other-tslab');
    fs.writeFileSync(other, '');
    writeSpec(data, [process.execPath, other, 'kernel', '--config-path', '{connection_file}']);
    assert.equal(uninstallKernelSpec(data), 'foreign');
    assert.ok(fs.existsSync(path.join(data, 'kernels', 'tslab', 'kernel.json')));
    assert.equal(uninstallKernelSpec(data, true), 'removed');

    // A kernelspec of a checkout that was moved or deleted: broken, removed.
    writeSpec(data, [process.execPath, path.join(data, 'gone', 'tslab'), 'kernel']);
    assert.equal(uninstallKernelSpec(data), 'removed');
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('kernel uninstall --user removes the user kernelspec that install --user wrote (JUPYTER_DATA_DIR)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jupyter-user-'));
  const saved = process.env.JUPYTER_DATA_DIR;
  try {
    process.env.JUPYTER_DATA_DIR = dir;
    assert.equal((await quietly(() => kernelMain(['install', '--user']))).value, 0);
    assert.ok(fs.existsSync(path.join(dir, 'kernels', 'tslab', 'kernel.json')));
    let r = await quietly(() => kernelMain(['uninstall', '--user']));
    assert.equal(r.value, 0, r.err.join('\n'));
    assert.ok(r.out.some((l) => l.startsWith('user') && l.includes(dir) && l.endsWith('removed')));
    assert.ok(!fs.existsSync(path.join(dir, 'kernels', 'tslab')));
    r = await quietly(() => kernelMain(['uninstall', '--user']));
    assert.equal(r.value, 0);
    assert.ok(r.out.some((l) => l.startsWith('user') && l.endsWith('not installed')));

    const other = path.join(dir, 'other-tslab');
    fs.writeFileSync(other, '');
    writeSpec(dir, [process.execPath, other, 'kernel']);
    r = await quietly(() => kernelMain(['uninstall', '--user']));
    assert.equal(r.value, 1);
    assert.match(r.err.join('\n'), /kept, it runs another tslab .*--force removes it/);
    assert.equal((await quietly(() => kernelMain(['uninstall', '--user', '--force']))).value, 0);
    assert.equal((await quietly(() => kernelMain(['uninstall', '--system']))).value, 2);
    assert.match((await quietly(() => kernelMain(['--help']))).out.join('\n'), /uninstall --user/);
  } finally {
    if (saved === undefined) delete process.env.JUPYTER_DATA_DIR;
    else process.env.JUPYTER_DATA_DIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
    // `uninstall` also removed the project-local kernelspec; put it back as npm start would.
    await quietly(() => kernelMain(['install']));
  }
});
