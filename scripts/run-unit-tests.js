#!/usr/bin/env node
// Runs every test/unit/**/*.test.ts with Node's test runner through tsx.
// Optional arguments filter by substring of the path, e.g. `npm run test:unit -- runtime`.
// Two test files run at a time (each in its own process), or GAN_COURSE_TEST_JOBS of them.
// The test runner is a child process; SIGINT/SIGTERM/SIGHUP are passed on to it so that no
// test (or kernel started by one) is left running when this script is stopped.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', 'test', 'unit');
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
})(root);
const filters = process.argv.slice(2);
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (chosen.length === 0) {
  console.error(`no unit test files matched ${filters.map((f) => `'${f}'`).join(', ')}`);
  process.exit(1);
}
const t0 = Date.now();
// quiet-tfjs-banner.js: without it, TensorFlow.js's "running in Node.js" banner is printed
// once per test file that uses the cpu backend (the test runner passes --require on to them).
const quiet = path.join(__dirname, 'quiet-tfjs-banner.js');
const child = spawn(process.execPath, ['--require', quiet, '--import', 'tsx', '--test', `--test-concurrency=${process.env.GAN_COURSE_TEST_JOBS ?? '2'}`, ...chosen], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => {
  console.log(`unit tests: ${chosen.length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(code === null ? (signal === 'SIGINT' ? 130 : 1) : code);
});
