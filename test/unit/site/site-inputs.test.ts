/**
 * `gan-course site`'s inputs, without a browser or nbconvert: the mode an executed notebook
 * ran in, what counts as executed (never, partly, with an error), a build over notebooks
 * that were never executed fails naming them, links between chapters, the options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../cli/src/commands/site';
import { rewriteChapterLinks } from '../../../cli/src/site/build';
import { SiteError, chapterTitle, courseChapters, executionProblem, notebookMode, shortTitle } from '../../../cli/src/site/notebooks';
import type { Notebook } from '../../../cli/src/runner/notebook';

const ROOT = path.join(__dirname, '..', '..', '..');

async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    return { value: await fn(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

function nb(cells: any[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'tslab', language: 'typescript' } }, cells } as Notebook;
}
const md = (s: string) => ({ cell_type: 'markdown', metadata: {}, source: s });
const code = (s: string, count: number | null, outputs: any[] = [], metadata: any = {}) => ({ cell_type: 'code', metadata, source: s, execution_count: count, outputs });
const stream = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
const error = (ename: string, evalue: string) => ({ output_type: 'error', ename, evalue, traceback: [] });

test('the mode comes from the "mode: quick|full" line a chapter prints', () => {
  assert.equal(notebookMode(nb([code('setup()', 1, [stream('backend: cpu\nmode: quick (GAN_COURSE_QUICK is set: short runs)\n')])])), 'quick');
  assert.equal(notebookMode(nb([code('setup()', 1, [stream('mode: full\n')])])), 'full');
  assert.equal(notebookMode(nb([code('x', 1, [stream('nothing about modes\n')])])), 'unknown');
});

test('executed, never executed, partly executed, failed', () => {
  assert.equal(executionProblem(nb([md('# T'), code('a', 1), code('b', 2, [stream('x')])])), null);
  assert.match(executionProblem(nb([md('# T'), code('a', null), code('b', null)]))!, /never executed/);
  assert.match(executionProblem(nb([code('a', 1), code('const b = 2', null)]))!, /only partly executed: cell 1 \(const b = 2\)/);
  assert.match(executionProblem(nb([code('a', 1, [error('TypeError', 'x is not a function')])]))!, /error in cell 0 .*TypeError: x is not a function/);
  // An error the lesson expects (nbclient's raises-exception tag) is fine; empty cells need not run.
  assert.equal(executionProblem(nb([code('a', 1, [error('Error', 'on purpose')], { tags: ['raises-exception'] }), code('  ', null)])), null);
});

test('titles: the first heading, shortened for the contents', () => {
  const t = chapterTitle(nb([md('Intro'), md('# Chapter 3 — Training dynamics and mode collapse\n\ntext')]), '03-x.ipynb');
  assert.equal(t, 'Chapter 3 — Training dynamics and mode collapse');
  assert.equal(shortTitle(t), '3 · Training dynamics and mode collapse');
  assert.equal(shortTitle('00 · Start here'), '00 · Start here');
  assert.equal(chapterTitle(nb([code('x', 1)]), 'dir/05-y.ipynb'), '05-y');
});

test('links to another chapter notebook point to its page', () => {
  const files = new Set(['01-minimax.ipynb', '04-wasserstein.ipynb']);
  assert.equal(rewriteChapterLinks('see [chapter 1](01-minimax.ipynb) and [4](./04-wasserstein.ipynb#duality)', files), 'see [chapter 1](01-minimax.html) and [4](04-wasserstein.html#duality)');
  assert.equal(rewriteChapterLinks('[not on the site](09-other.ipynb)', files), '[not on the site](09-other.ipynb)');
});

test('a site over notebooks that were never executed fails, naming each of them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-unexecuted-'));
  try {
    // The course's own notebooks as committed: no outputs.
    for (const f of ['01-minimax.ipynb', '02-divergences.ipynb']) fs.copyFileSync(path.join(ROOT, 'notebooks', f), path.join(dir, f));
    const r = await quietly(() => main(['--from', dir, '--out', path.join(dir, 'site')]));
    assert.equal(r.value, 1);
    assert.match(r.err, /01-minimax\.ipynb was never executed/);
    assert.match(r.err, /02-divergences\.ipynb was never executed/);
    assert.equal(fs.existsSync(path.join(dir, 'site')), false, 'nothing is written');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without --from, a chapter with no executed copy is named with the command that executes it', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'site-none-'));
  try {
    assert.throws(
      () => courseChapters(ROOT, [empty]),
      (e: unknown) => e instanceof SiteError && /notebooks\/00-start-here\.ipynb was never executed/.test(e.message) && /gan-course run --out build\/notebooks/.test(e.message),
    );
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('options: unknown ones, a missing folder, a stray argument', async () => {
  assert.equal((await quietly(() => main(['--nope']))).value, 2);
  assert.equal((await quietly(() => main(['somewhere']))).value, 2);
  const r = await quietly(() => main(['--from', path.join(os.tmpdir(), 'no-such-site-input')]));
  assert.equal(r.value, 1);
  assert.match(r.err, /no such folder/);
  assert.match((await quietly(() => main(['--help']))).out, /usage: gan-course site/);
});

test('an output folder that is not a site is not overwritten', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-out-'));
  try {
    const src = path.join(dir, 'in');
    fs.mkdirSync(src);
    const executed = nb([md('# Chapter 9 — Test'), code('console.log("mode: quick")', 1, [stream('mode: quick\n')])]);
    fs.writeFileSync(path.join(src, '09-test.ipynb'), JSON.stringify(executed));
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'precious.txt'), 'keep me');
    const r = await quietly(() => main(['--from', src, '--out', out]));
    // 1 either way: refused here, or nbconvert missing on this machine; the file stays.
    assert.equal(r.value, 1);
    assert.match(r.err, /is not a site built by gan-course site|nbconvert is not installed|MathJax is not installed/);
    assert.equal(fs.readFileSync(path.join(out, 'precious.txt'), 'utf8'), 'keep me');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without --from, a full-mode copy wins over a quick-mode one, and a broken copy is passed over', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'site-root-'));
  try {
    const dirs = ['notebooks', 'quick', 'full', 'broken'].map((d) => path.join(root, d));
    for (const d of dirs) fs.mkdirSync(d);
    const [src, quick, full, broken] = dirs;
    const write = (dir: string, name: string, n: Notebook) => fs.writeFileSync(path.join(dir, name), JSON.stringify(n));
    for (const name of ['08-a.ipynb', '09-b.ipynb']) write(src, name, nb([md('# A'), code('x', null)]));
    write(quick, '08-a.ipynb', nb([md('# A'), code('x', 1, [stream('mode: quick\n')])]));
    write(full, '08-a.ipynb', nb([md('# A'), code('x', 1, [stream('mode: full\n')])]));
    write(broken, '09-b.ipynb', nb([md('# B'), code('x', 1, [error('Error', 'boom')])]));
    write(quick, '09-b.ipynb', nb([md('# B'), code('x', 1, [stream('mode: quick\n')])]));
    const notes: string[] = [];
    const got = courseChapters(root, [broken, quick, full], (l) => notes.push(l));
    assert.deepEqual(got.map((c) => [c.name, c.mode, path.basename(path.dirname(c.path))]), [['08-a.ipynb', 'full', 'full'], ['09-b.ipynb', 'quick', 'quick']]);
    assert.match(notes.join('\n'), /not used: .*broken.*09-b\.ipynb has an error in cell 1/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
