/**
 * `gan-course start` / `npm start -- ...`: its own options, everything else to Jupyter (no
 * double `--`), --allow-root as root, --student folders. A fake `jupyter` on PATH records
 * the command line it gets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jupyterCommand, main, parseStartArgs, resolveUserPath } from '../../../cli/src/commands/start';
import { quietly } from './quietly';

const ROOT = path.join(__dirname, '..', '..', '..');
const NOTEBOOKS = path.join(ROOT, 'notebooks');

test('start keeps its own options and passes every other argument to Jupyter, in order', () => {
  assert.deepEqual(parseStartArgs(['--no-browser', '--port', '8899', '--ServerApp.token=x']), {
    headless: false, full: false, folder: null, via: null, help: false,
    jupyter: ['--no-browser', '--port', '8899', '--ServerApp.token=x'],
  });
  const p = parseStartArgs(['--student', 'student/week1', '--ip=0.0.0.0', '--', '--full', '--headless']);
  assert.equal(p.folder, 'student/week1');
  assert.equal(p.via, 'student');
  assert.equal(p.full, false, "after '--' nothing is start's");
  assert.deepEqual(p.jupyter, ['--ip=0.0.0.0', '--full', '--headless']);
  assert.deepEqual(parseStartArgs(['--notebook-dir=/tmp/x']), { headless: false, full: false, folder: '/tmp/x', via: 'notebook-dir', help: false, jupyter: [] });
  assert.equal(parseStartArgs(['--headless', '--full']).full, true);
  // The old spelling with a double '--' still works.
  assert.deepEqual(parseStartArgs(['--', '--port', '9000']).jupyter, ['--port', '9000']);
  assert.throws(() => parseStartArgs(['--student']), /--student needs a folder/);
  assert.throws(() => parseStartArgs(['--student', '--port']), /--student needs a folder/);
  assert.throws(() => parseStartArgs(['--student', 'a', '--notebook-dir', 'b']), /give one of them/);
});

test('Jupyter gets the folder first, then --allow-root when run as root (unless the user decided), then the arguments', () => {
  assert.deepEqual(jupyterCommand('lab', '/c/notebooks', ['--port', '1'], 1000), { args: ['lab', '--notebook-dir=/c/notebooks', '--port', '1'], allowRoot: false });
  assert.deepEqual(jupyterCommand('notebook', '/c/nb', [], 0), { args: ['notebook', '--notebook-dir=/c/nb', '--allow-root'], allowRoot: true });
  assert.equal(jupyterCommand('lab', '/c', ['--allow-root'], 0).allowRoot, false);
  assert.deepEqual(jupyterCommand('lab', '/c', ['--ServerApp.allow_root=False'], 0).args, ['lab', '--notebook-dir=/c', '--ServerApp.allow_root=False']);
  assert.equal(jupyterCommand('lab', '/c', [], undefined).allowRoot, false, 'Windows has no uid');
});

test('a folder is taken relative to where the user typed the command (npm sets INIT_CWD)', () => {
  assert.equal(resolveUserPath('student/a', { INIT_CWD: '/home/u/course' }, '/elsewhere'), path.resolve('/home/u/course/student/a'));
  assert.equal(resolveUserPath('student/a', {}, '/elsewhere'), path.resolve('/elsewhere/student/a'));
  assert.equal(resolveUserPath('/abs', { INIT_CWD: '/x' }), path.resolve('/abs'));
});

test('start --help documents the pass-through, --student and running as root', async () => {
  const r = await quietly(() => main(['--help']));
  assert.equal(r.value, 0);
  const help = r.out.join('\n');
  assert.match(help, /npm start -- --no-browser --port 8899/);
  assert.match(help, /--student <folder>/);
  assert.match(help, /--allow-root/);
});

test('bad uses of start exit 2 or 1 with one line, before anything starts', async () => {
  let r = await quietly(() => main(['--headless', '--port', '8899']));
  assert.equal(r.value, 2);
  assert.match(r.err[0], /--port is for Jupyter, and --headless runs the course without it/);
  r = await quietly(() => main(['--student']));
  assert.equal(r.value, 2);
  r = await quietly(() => main(['--student', path.join(os.tmpdir(), 'no-such-student-folder-xyz')]));
  assert.equal(r.value, 1);
  assert.match(r.err[0], /no such folder \(make it with 'gan-course student <release-folder>'\)/);
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'student-outside-'));
  try {
    r = await quietly(() => main(['--student', outside]));
    assert.equal(r.value, 1);
    assert.match(r.err[0], /kernel-helpers does not resolve there/);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

/** A fake `jupyter` that answers `--version` and records any other command line. */
function fakeJupyter(dir: string, record: string, has: 'lab' | 'notebook' | 'none'): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const script =
    `#!/bin/sh\n` +
    `if [ "$2" = "--version" ]; then\n` +
    `  if [ "$1" = "${has}" ]; then echo 9.9.9; exit 0; fi\n` +
    `  exit 1\n` +
    `fi\n` +
    `printf '%s\\n' "$(pwd)" "$@" > ${JSON.stringify(record)}\n` +
    `exit 0\n`;
  fs.writeFileSync(path.join(bin, 'jupyter'), script, { mode: 0o755 });
  return bin;
}

async function withPath<T>(bin: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = `${bin}${path.delimiter}${saved}`;
  try {
    return await fn();
  } finally {
    process.env.PATH = saved;
  }
}

test('start runs jupyter lab in notebooks/ with the arguments (and --allow-root as root)', { skip: process.platform === 'win32' && 'needs a POSIX shell' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-jupyter-'));
  const record = path.join(dir, 'argv.txt');
  try {
    const bin = fakeJupyter(dir, record, 'lab');
    const r = await withPath(bin, () => quietly(() => main(['--no-browser', '--port', '8899'])));
    assert.equal(r.value, 0, r.err.join('\n'));
    const [cwd, ...argv] = fs.readFileSync(record, 'utf8').trimEnd().split('\n');
    assert.equal(fs.realpathSync(cwd), fs.realpathSync(NOTEBOOKS));
    const root = process.getuid?.() === 0;
    assert.deepEqual(argv, ['lab', `--notebook-dir=${NOTEBOOKS}`, ...(root ? ['--allow-root'] : []), '--no-browser', '--port', '8899']);
    assert.equal(r.out.some((l) => /running as root \(uid 0\): passing --allow-root/.test(l)), root);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('start --student opens the student folder in the classic Notebook when that is what is installed', { skip: process.platform === 'win32' && 'needs a POSIX shell' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-jupyter-'));
  const record = path.join(dir, 'argv.txt');
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  const student = fs.mkdtempSync(path.join(ROOT, 'build', 'student-start-test-'));
  try {
    const bin = fakeJupyter(dir, record, 'notebook');
    const r = await withPath(bin, () => quietly(() => main(['--student', student, '--', '--allow-root'])));
    assert.equal(r.value, 0, r.err.join('\n'));
    const [cwd, ...argv] = fs.readFileSync(record, 'utf8').trimEnd().split('\n');
    assert.equal(fs.realpathSync(cwd), fs.realpathSync(student));
    assert.deepEqual(argv, ['notebook', `--notebook-dir=${student}`, '--allow-root']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(student, { recursive: true, force: true });
  }
});

test('without Jupyter, Jupyter options are an error that says how to install it (pipx)', { skip: process.platform === 'win32' && 'needs a POSIX shell' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-jupyter-'));
  try {
    const bin = fakeJupyter(dir, path.join(dir, 'argv.txt'), 'none');
    const r = await withPath(bin, () => quietly(() => main(['--no-browser'])));
    assert.equal(r.value, 1);
    assert.match(r.err.join('\n'), /neither JupyterLab nor the Jupyter Notebook is installed, so --no-browser cannot be used/);
    assert.match(r.err.join('\n'), /pipx install --include-deps jupyterlab/);
    assert.ok(!fs.existsSync(path.join(dir, 'argv.txt')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start -- <jupyter options> reaches Jupyter without a double --', { skip: process.platform === 'win32' && 'needs a POSIX shell' }, (t) => {
  const built = path.join(ROOT, 'cli', 'dist', 'commands', 'start.js');
  if (!fs.existsSync(built) || !fs.readFileSync(built, 'utf8').includes('parseStartArgs')) return t.skip('cli/dist is missing or older than the sources (npm run build)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-jupyter-'));
  const record = path.join(dir, 'argv.txt');
  try {
    const bin = fakeJupyter(dir, record, 'lab');
    const r = spawnSync('npm', ['start', '--silent', '--', '--no-browser', '--port', '8899', '--ServerApp.token=abc'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    });
    assert.equal(r.status, 0, r.stderr);
    const argv = fs.readFileSync(record, 'utf8').trimEnd().split('\n').slice(1);
    assert.deepEqual(argv.filter((a) => a !== '--allow-root'), ['lab', `--notebook-dir=${NOTEBOOKS}`, '--no-browser', '--port', '8899', '--ServerApp.token=abc']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
