/**
 * The library's layering: a module imports only from its own area or from a lower one, the
 * order is the one the entry point's comment states, and every area lists its public names
 * explicitly (no `export *` below the root).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'kernel-helpers', 'src');

/** The layer order, lowest first, as `src/index.ts` documents it. */
function documentedLayers(): string[] {
  const text = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8');
  const comment = text.slice(0, text.indexOf('*/'));
  const start = comment.indexOf('Layers, lowest first');
  assert.ok(start >= 0, 'src/index.ts documents the layers ("Layers, lowest first")');
  return comment
    .slice(start)
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/^\s*\*\s?/, ''))
    .map((l) => /^ {2,}([a-z]+)\s{2,}/.exec(l)?.[1])
    .filter((a): a is string => !!a);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const areaOf = (file: string) => path.relative(SRC, file).split(path.sep)[0];

function relativeImports(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of src.matchAll(/(?:from|import|require\()\s*\(?\s*'(\.{1,2}\/[^']*)'/g)) specs.push(m[1]);
  return specs;
}

test('the documented layers are exactly the folders of src/', () => {
  const layers = documentedLayers();
  const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  assert.deepEqual([...layers].sort(), folders);
});

test('no module imports an upper layer, and nothing outside the library', () => {
  const rank = new Map(documentedLayers().map((a, i) => [a, i]));
  const violations: string[] = [];
  for (const file of walk(SRC)) {
    if (path.dirname(file) === SRC) continue; // the entry point re-exports every area
    const from = areaOf(file);
    for (const spec of relativeImports(file)) {
      const target = path.resolve(path.dirname(file), spec);
      const rel = path.relative(SRC, target);
      if (rel.startsWith('..')) {
        violations.push(`${path.relative(SRC, file)} imports ${spec}, outside kernel-helpers/src`);
        continue;
      }
      const to = rel.split(path.sep)[0];
      if ((rank.get(to) ?? -1) > (rank.get(from) ?? -1)) violations.push(`${path.relative(SRC, file)} (${from}) imports ${spec} (${to}, a higher layer)`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the layer rule is able to fail: an upward import is caught', () => {
  const rank = new Map(documentedLayers().map((a, i) => [a, i]));
  assert.ok(rank.get('gan')! > rank.get('nn')!, 'gan sits above nn');
  assert.ok(rank.get('core')! < rank.get('backend')!, 'core is the ground floor');
});

test('every area lists its public names (no export * below the entry point)', () => {
  const offenders = walk(SRC)
    .filter((f) => f.endsWith(`${path.sep}index.ts`) && path.dirname(f) !== SRC)
    .filter((f) => /export \*/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(SRC, f));
  assert.deepEqual(offenders, []);
});

test('internals stay internal', async () => {
  const lib = (await import('../../kernel-helpers/src')) as Record<string, unknown>;
  for (const name of ['checkPositiveInt', 'toRng', 'initVariable', 'assignFlat', 'captureStockKernel', 'heapF32', 'startWasm']) {
    assert.equal(lib[name], undefined, `${name} is not part of the public face`);
  }
  for (const name of ['train', 'initBackend', 'show', 'mlpGenerator', 'leafNet']) {
    assert.equal(typeof lib[name], 'function', `${name} is public`);
  }
});
