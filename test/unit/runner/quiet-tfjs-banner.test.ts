/**
 * scripts/quiet-tfjs-banner.js: the test runners preload it so that TensorFlow.js's "running
 * in Node.js" banner is not printed once per test file on the cpu backend; other warnings
 * still are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const QUIET = path.join(ROOT, 'scripts', 'quiet-tfjs-banner.js');
const BANNER = /Hi, looks like you are running TensorFlow\.js in Node\.js/;

function runTestFile(preload: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-banner-'));
  try {
    const file = path.join(dir, 'cpu.test.js');
    fs.writeFileSync(
      file,
      `const tf = require(${JSON.stringify(require.resolve('@tensorflow/tfjs-core', { paths: [ROOT] }))});\n` +
        `require(${JSON.stringify(require.resolve('@tensorflow/tfjs-backend-cpu', { paths: [ROOT] }))});\n` +
        `const { test } = require('node:test');\n` +
        `test('cpu', async () => { await tf.setBackend('cpu'); tf.tensor([1, 2]).dataSync(); console.warn('another warning'); });\n`,
    );
    const args = [...(preload ? ['--require', QUIET] : []), '--test', file];
    // A test run of its own, not a child of this one (the test runner marks its children).
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return r.stdout + r.stderr;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('without the preload a cpu test file prints the banner; with it (passed on to the test file) only the other warning', () => {
  assert.match(runTestFile(false), BANNER);
  const quiet = runTestFile(true);
  assert.doesNotMatch(quiet, BANNER);
  assert.match(quiet, /another warning/);
});

test('the unit test runner and gan-course test preload it', () => {
  assert.match(fs.readFileSync(path.join(ROOT, 'scripts', 'run-unit-tests.js'), 'utf8'), /\['--require', quiet, '--import', 'tsx', '--test'/);
  assert.match(fs.readFileSync(path.join(ROOT, 'cli', 'src', 'commands', 'test.ts'), 'utf8'), /\['--require', quiet, '--import', 'tsx', '--test'/);
});
