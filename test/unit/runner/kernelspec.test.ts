import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  installKernelSpec,
  jupyterEnv,
  kernelSpec,
  kernelSpecWorks,
  localJupyterDir,
  projectRoot,
  readKernelSpec,
  userJupyterDataDir,
} from '../../../cli/src/runner/kernelspec';

test('the kernelspec runs this node on the project tslab (through the course launcher) with signal interrupts', () => {
  const spec = kernelSpec();
  assert.equal(spec.argv[0], process.execPath);
  assert.ok(path.isAbsolute(spec.argv[1]));
  assert.ok(spec.argv[1].endsWith(path.join('cli', 'dist', 'kernel', 'tslabKernel.js')));
  assert.ok(fs.existsSync(spec.argv[1]), `${spec.argv[1]} should exist after npm run build`);
  assert.deepEqual(spec.argv.slice(2), ['kernel', '--config-path', '{connection_file}']);
  assert.equal(spec.language, 'typescript');
  assert.equal(spec.display_name, 'TypeScript (tslab)');
  assert.equal(spec.interrupt_mode, 'signal');
});

test('installKernelSpec writes kernels/tslab/kernel.json that reads back and works', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jupyter-data-'));
  const file = installKernelSpec(dir);
  assert.equal(file, path.join(dir, 'kernels', 'tslab', 'kernel.json'));
  const spec = readKernelSpec(dir);
  assert.deepEqual(spec, kernelSpec());
  assert.ok(kernelSpecWorks(spec));
  assert.equal(kernelSpecWorks({ ...spec!, argv: ['/no/such/node', spec!.argv[1]] }), false);
  assert.equal(readKernelSpec(path.join(dir, 'elsewhere')), null);
  fs.rmSync(dir, { recursive: true });
});

test('userJupyterDataDir follows Jupyter: JUPYTER_DATA_DIR, XDG_DATA_HOME, platform defaults', () => {
  assert.equal(userJupyterDataDir({ JUPYTER_DATA_DIR: '/x/j' }, 'linux'), '/x/j');
  assert.equal(userJupyterDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux'), path.join('/xdg', 'jupyter'));
  assert.equal(userJupyterDataDir({}, 'linux'), path.join(os.homedir(), '.local', 'share', 'jupyter'));
  assert.equal(userJupyterDataDir({}, 'darwin'), path.join(os.homedir(), 'Library', 'Jupyter'));
});

test('jupyterEnv puts the project-local dir first on JUPYTER_PATH, once', () => {
  const local = localJupyterDir(projectRoot());
  const env = jupyterEnv(projectRoot(), { JUPYTER_PATH: ['/a', local].join(path.delimiter) });
  assert.equal(env.JUPYTER_PATH, [local, '/a'].join(path.delimiter));
  assert.equal(jupyterEnv(projectRoot(), {}).JUPYTER_PATH, local);
});
