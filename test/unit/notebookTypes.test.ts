/** The notebooks are typed code: no `any` (the library's types say what each value is). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const DIR = path.join(__dirname, '..', '..', 'notebooks');

test('no notebook code cell uses any', () => {
  const found: string[] = [];
  for (const f of fs.readdirSync(DIR).filter((n) => n.endsWith('.ipynb')).sort()) {
    const nb = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as { cells: { cell_type: string; id?: string; source: string[] | string }[] };
    for (const c of nb.cells) {
      if (c.cell_type !== 'code') continue;
      const src = Array.isArray(c.source) ? c.source.join('') : c.source;
      src.split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
        if (/(\bas any\b|:\s*any\b|<any>|\bany\[\]|as unknown as)/.test(code)) found.push(`${f} cell ${c.id} line ${i + 1}: ${line.trim()}`);
      });
    }
  }
  assert.deepEqual(found, []);
});
