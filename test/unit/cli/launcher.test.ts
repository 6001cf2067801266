/**
 * `npx gan-course ...` from a fresh `npm ci`: the bin npm links is the committed launcher
 * cli/bin/gan-course.js (npm skips a bin whose file is missing, and dist/ is built only by
 * `prepare`, after the links), and the launcher runs the built CLI or builds it first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const LAUNCHER = path.join(ROOT, 'cli', 'bin', 'gan-course.js');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { launch } = require(LAUNCHER) as {
  launch(argv: string[], o?: { cliDir?: string; env?: NodeJS.ProcessEnv; log?: (s: string) => void; build?: (root: string) => boolean }): Promise<number | undefined>;
};

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

test('the bin is the committed launcher, in cli/package.json and in the lockfile that npm ci follows', () => {
  assert.deepEqual(readJson(path.join(ROOT, 'cli', 'package.json')).bin, { 'gan-course': 'bin/gan-course.js' });
  assert.deepEqual(readJson(path.join(ROOT, 'package-lock.json')).packages.cli.bin, { 'gan-course': 'bin/gan-course.js' });
  assert.match(fs.readFileSync(LAUNCHER, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  if (process.platform !== 'win32') assert.ok(fs.statSync(LAUNCHER).mode & 0o100, 'the launcher is executable');
  // Not ignored by git (exit 1: not ignored; 128: not a git checkout).
  const ignored = spawnSync('git', ['check-ignore', '-q', 'cli/bin/gan-course.js'], { cwd: ROOT, encoding: 'utf8' });
  if (!ignored.error) assert.notEqual(ignored.status, 0, 'cli/bin/gan-course.js must not be ignored by git');
});

test('npx --no-install gan-course --help runs from the repository root', () => {
  const r = spawnSync('npx', ['--no-install', 'gan-course', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, shell: process.platform === 'win32' });
  assert.equal(r.status, 0, `npx gan-course --help exited ${r.status}: ${r.stderr}`);
  assert.match(r.stdout, /^usage: gan-course <command>/);
  assert.match(r.stdout, /\n {2}start {6}/);
});

test('a fresh npm ci links the launcher before the build, and npx gan-course runs (and builds a missing dist/)', (t) => {
  const npmOk = spawnSync('npm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  if (npmOk.error || npmOk.status !== 0) return t.skip('npm is not on PATH');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-course-npx-'));
  try {
    // A workspace shaped like the course: the real cli/package.json, launcher and lockfile
    // entry, and a `prepare` build that writes a stub dist/main.js.
    fs.mkdirSync(path.join(dir, 'cli', 'bin'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'cli', 'package.json'), path.join(dir, 'cli', 'package.json'));
    fs.copyFileSync(LAUNCHER, path.join(dir, 'cli', 'bin', 'gan-course.js'));
    fs.chmodSync(path.join(dir, 'cli', 'bin', 'gan-course.js'), 0o755);
    fs.writeFileSync(
      path.join(dir, 'make-dist.js'),
      "const fs = require('fs'); fs.mkdirSync('cli/dist', { recursive: true });\n" +
        "fs.writeFileSync('cli/dist/main.js', \"exports.cliMain = async (a) => { console.log('usage: gan-course (stub) ' + a.join(' ')); };\\n\");\n",
    );
    const pkg = { name: 'gan-course', version: '0.1.0', private: true, workspaces: ['cli'], scripts: { build: 'node make-dist.js', prepare: 'npm run build' } };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    const realLock = readJson(path.join(ROOT, 'package-lock.json'));
    const lock = {
      name: 'gan-course',
      version: '0.1.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'gan-course', version: '0.1.0', workspaces: ['cli'] },
        cli: realLock.packages.cli,
        'node_modules/gan-course-cli': realLock.packages['node_modules/gan-course-cli'],
      },
    };
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const sh = process.platform === 'win32';
    const ci = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 120_000, shell: sh });
    assert.equal(ci.status, 0, `npm ci: ${ci.stderr}`);
    const help = spawnSync('npx', ['--no-install', 'gan-course', '--help'], { cwd: dir, encoding: 'utf8', timeout: 60_000, shell: sh });
    assert.equal(help.status, 0, `npx after npm ci: ${help.stderr}`);
    assert.match(help.stdout, /usage: gan-course \(stub\) --help/);

    fs.rmSync(path.join(dir, 'cli', 'dist'), { recursive: true });
    const rebuilt = spawnSync('npx', ['--no-install', 'gan-course', 'kernel', 'status'], { cwd: dir, encoding: 'utf8', timeout: 60_000, shell: sh });
    assert.equal(rebuilt.status, 0, rebuilt.stderr);
    assert.match(rebuilt.stderr, /the CLI is not built yet \(.*main\.js is missing\); building the course first with `npm run build`/);
    assert.match(rebuilt.stdout, /usage: gan-course \(stub\) kernel status/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the launcher without dist/: builds with a message, reports a failed build, or only says what to run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-course-launcher-'));
  const cliDir = path.join(dir, 'cli');
  fs.mkdirSync(cliDir);
  const saved = process.exitCode;
  try {
    const lines: string[] = [];
    const log = (s: string) => lines.push(s);
    // GAN_COURSE_NO_AUTOBUILD=1: no build, exit code 1 and the command to run.
    let built = 0;
    const noBuild = () => (built++, true);
    assert.equal(await launch(['--help'], { cliDir, env: { GAN_COURSE_NO_AUTOBUILD: '1' }, log, build: noBuild }), 1);
    assert.equal(built, 0);
    assert.match(lines.pop()!, /the CLI is not built \(.*main\.js is missing\): run `npm run build` in /);

    // A build that fails (or writes nothing): exit code 1, says so.
    assert.equal(await launch(['--help'], { cliDir, env: {}, log, build: () => false }), 1);
    assert.match(lines.pop()!, /the build failed/);
    assert.equal(await launch(['--help'], { cliDir, env: {}, log, build: () => true }), 1);
    assert.match(lines.pop()!, /the build failed/);

    // A build that works: the command runs in this process, with its arguments.
    const marker = path.join(dir, 'ran.json');
    const writeDist = (root: string) => {
      assert.equal(root, dir);
      fs.mkdirSync(path.join(cliDir, 'dist'));
      fs.writeFileSync(
        path.join(cliDir, 'dist', 'main.js'),
        `exports.cliMain = async (argv) => { require('fs').writeFileSync(${JSON.stringify(marker)}, JSON.stringify(argv)); process.exitCode = 3; };\n`,
      );
      return true;
    };
    lines.length = 0;
    assert.equal(await launch(['start', '--headless'], { cliDir, env: {}, log, build: writeDist }), undefined);
    assert.deepEqual(JSON.parse(fs.readFileSync(marker, 'utf8')), ['start', '--headless']);
    assert.equal(process.exitCode, 3);
    assert.match(lines[0], /building the course first with `npm run build`/);
    assert.match(lines[1], /built; running the command/);
  } finally {
    process.exitCode = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a dist/ from before the launcher is reported as an old build', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-course-launcher-'));
  const cliDir = path.join(dir, 'cli');
  fs.mkdirSync(path.join(cliDir, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(cliDir, 'dist', 'main.js'), 'exports.somethingElse = 1;\n');
  try {
    const lines: string[] = [];
    assert.equal(await launch(['--help'], { cliDir, env: {}, log: (s) => lines.push(s), build: () => assert.fail('no build when dist exists') }), 1);
    assert.match(lines[0], /from an older build: run `npm run build`/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
