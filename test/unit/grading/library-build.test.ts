/**
 * The library sandboxed kernels load is compiled by the grader from kernel-helpers/src when
 * grading starts: what lies in kernel-helpers/dist (a planted or altered .js) is never part
 * of it; only .d.ts files that a source accounts for are taken from dist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildGradingLibrary } from '../../../cli/src/grading/library-build';
import { libraryManifest, verifyLibrary } from '../../../cli/src/grading/manifest';

const tools = path.join(__dirname, '..', '..', '..');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'library-build-'));

/** A course with one module, `exercises/answer`, whose dist/ has been tampered with. */
function tamperedCourse(): string {
  const r = tmp();
  const kh = path.join(r, 'kernel-helpers');
  fs.mkdirSync(path.join(kh, 'src', 'exercises'), { recursive: true });
  fs.mkdirSync(path.join(kh, 'dist', 'exercises'), { recursive: true });
  fs.writeFileSync(path.join(r, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { target: 'ES2020', esModuleInterop: true, strict: true } }));
  fs.writeFileSync(path.join(kh, 'package.json'), JSON.stringify({ name: 'kernel-helpers', main: 'dist/index.js', types: 'dist/index.d.ts' }));
  fs.writeFileSync(path.join(kh, 'src', 'index.ts'), "export { answer } from './exercises/answer';\n");
  fs.writeFileSync(path.join(kh, 'src', 'exercises', 'answer.ts'), 'export function answer(x: number): number {\n  return 2 * x;\n}\n');
  fs.writeFileSync(path.join(kh, 'dist', 'index.d.ts'), "export { answer } from './exercises/answer';\n");
  fs.writeFileSync(path.join(kh, 'dist', 'index.js'), 'module.exports = { answer: () => 42 };\n');
  fs.writeFileSync(path.join(kh, 'dist', 'exercises', 'answer.d.ts'), 'export declare function answer(x: number): number;\n');
  fs.writeFileSync(path.join(kh, 'dist', 'exercises', 'answer.js'), 'exports.answer = () => 42;\n');
  fs.writeFileSync(path.join(kh, 'dist', 'exercises', 'planted.js'), "require('child_process');\n");
  fs.writeFileSync(path.join(kh, 'dist', 'exercises', 'planted.d.ts'), 'export {};\n');
  return r;
}

test('the grading copy runs what the sources say, whatever dist/ holds; only sourced .d.ts files come from dist', () => {
  const r = tamperedCourse();
  const out = path.join(tmp(), 'library');
  const lib = buildGradingLibrary(out, r, tools);
  assert.equal(lib.modules, 2);
  const dist = path.join(out, 'kernel-helpers', 'dist');
  const files: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(path.join(d, rel), { withFileTypes: true })) (e.isDirectory() ? walk(d, path.join(rel, e.name)) : files.push(path.join(rel, e.name)));
  };
  walk(dist, '');
  assert.deepEqual(files.sort(), ['exercises/answer.d.ts', 'exercises/answer.js', 'index.d.ts', 'index.js']);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(path.join(out, 'kernel-helpers', 'dist', 'index.js')) as { answer(x: number): number };
  assert.equal(mod.answer(5), 10, 'the compiled source, not the planted 42');
  assert.equal(fs.readFileSync(path.join(out, 'kernel-helpers', 'package.json'), 'utf8'), fs.readFileSync(path.join(r, 'kernel-helpers', 'package.json'), 'utf8'));
  // The manifest is made of the copy, and sees a change to it.
  const m = libraryManifest(out);
  assert.deepEqual(verifyLibrary(m), []);
  fs.appendFileSync(path.join(dist, 'exercises', 'answer.js'), '\n// changed\n');
  assert.deepEqual(verifyLibrary(m), ['kernel-helpers/dist/exercises/answer.js: changed']);
});

test('the grading copy refuses a package.json that points elsewhere, an unbuilt library and a source that does not compile', () => {
  const r = tamperedCourse();
  const pkg = path.join(r, 'kernel-helpers', 'package.json');
  fs.writeFileSync(pkg, JSON.stringify({ name: 'kernel-helpers', main: 'scripts/evil.js', types: 'dist/index.d.ts' }));
  assert.throws(() => buildGradingLibrary(path.join(tmp(), 'a'), r, tools), /"main" must be "dist\/index.js"/);
  fs.writeFileSync(pkg, JSON.stringify({ name: 'kernel-helpers', main: 'dist/index.js', types: 'dist/index.d.ts' }));
  fs.rmSync(path.join(r, 'kernel-helpers', 'dist', 'index.d.ts'));
  assert.throws(() => buildGradingLibrary(path.join(tmp(), 'b'), r, tools), /dist\/index\.d\.ts is missing: build the library first/);
  fs.writeFileSync(path.join(r, 'kernel-helpers', 'dist', 'index.d.ts'), '');
  fs.writeFileSync(path.join(r, 'kernel-helpers', 'src', 'exercises', 'answer.ts'), 'export function answer(x: number { return x; }\n');
  assert.throws(() => buildGradingLibrary(path.join(tmp(), 'c'), r, tools), /kernel-helpers\/src does not compile:[^]*kernel-helpers\/src\/exercises\/answer\.ts/);
});
