/**
 * Tables survive Jupyter's own HTML export: every executed notebook (the quick-mode copies
 * the notebook stage of `npm test` writes to build/test/notebooks/) goes through Debian's
 * `jupyter nbconvert --to html`, and every table in the page has as many cells in each row
 * as its header has columns (a `|` inside a cell, or a matrix in a Markdown table, breaks
 * that). Skips, saying why, when nbconvert or the executed notebooks are missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const EXECUTED = path.join(ROOT, 'build', 'test', 'notebooks');

const version = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
const notebooks = fs.existsSync(EXECUTED) ? fs.readdirSync(EXECUTED).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort() : [];
const missing =
  version.error || version.status !== 0
    ? 'jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert)'
    : notebooks.length === 0
      ? `no executed notebooks in ${EXECUTED} (the notebook stage of npm test writes them)`
      : null;
if (missing) console.log(`# tables skipped: ${missing}`);

const cellCount = (row: string, tag: 'th' | 'td') => (row.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length;

/** Rows whose cell count differs from the header's, for every <table> in the HTML. */
export function brokenRows(html: string): string[] {
  const bad: string[] = [];
  for (const table of html.match(/<table[\s\S]*?<\/table>/g) ?? []) {
    const rows = table.match(/<tr[\s\S]*?<\/tr>/g) ?? [];
    if (rows.length === 0) continue;
    const header = cellCount(rows[0], 'th') || cellCount(rows[0], 'td');
    for (const r of rows.slice(1)) {
      const n = cellCount(r, 'td') + cellCount(r, 'th');
      if (n !== header) bad.push(`${n} cells under ${header} headers: ${r.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120)}`);
    }
  }
  return bad;
}

test('the table check sees a split cell', () => {
  const ok = '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>';
  const split = '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>';
  assert.deepEqual(brokenRows(ok), []);
  assert.equal(brokenRows(split).length, 1);
});

for (const name of notebooks) {
  test(`${name}: every table in nbconvert's HTML has as many cells per row as headers`, { skip: missing ?? false }, () => {
    const r = spawnSync('jupyter', ['nbconvert', '--to', 'html', '--stdout', path.join(EXECUTED, name)], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(brokenRows(r.stdout), []);
  });
}
