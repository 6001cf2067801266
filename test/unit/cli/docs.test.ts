/** The README and the command list say what the first hour needs: npx, pass-through options, root, pipx, the student folder, clean. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test('the README documents the first commands, Jupyter options, root, and installing JupyterLab without pip into the system Python', () => {
  assert.match(README, /npx gan-course --help/);
  assert.match(README, /npm start -- --no-browser --port 8899/);
  assert.match(README, /--allow-root/);
  assert.match(README, /pipx install --include-deps jupyterlab/);
  assert.match(README, /python3 -m venv \.venv/);
  assert.match(README, /externally-managed-environment/);
  assert.doesNotMatch(README, /^\s*pip install jupyterlab/m, 'a bare pip install fails on Debian/Ubuntu');
  assert.match(README, /EBADENGINE/);
});

test("the README's exercises section says how students open the released notebooks", () => {
  const section = README.slice(README.indexOf('## Exercises and grading'), README.indexOf('\n## ', README.indexOf('## Exercises and grading') + 5));
  assert.match(section, /npx gan-course student release\/week1/);
  assert.match(section, /npm start -- --student student\/week1/);
  assert.match(section, /never overwrites/);
});

test('.gitignore keeps what the exercise commands write out of git', () => {
  const ignore = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
  for (const d of ['/release/', '/submitted/', '/graded/', '/student/']) assert.ok(ignore.includes(d), `${d} in .gitignore`);
});

test('every command module exports a summary and main; student and clean are among them', async () => {
  const dir = path.join(ROOT, 'cli', 'src', 'commands');
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  for (const n of ['student', 'clean', 'start', 'kernel']) assert.ok(names.includes(n), n);
  for (const n of ['student', 'clean']) {
    const m = await import(path.join(dir, `${n}.ts`));
    assert.equal(typeof m.summary, 'string');
    assert.equal(typeof m.main, 'function');
  }
});
