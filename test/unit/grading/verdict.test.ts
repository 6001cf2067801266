/**
 * Verdicts the student cannot forge (issue 18), without a kernel: the kernel's pure-JS
 * HMAC agrees with Node's, the runner signs exactly what it ran, the grader's judge accepts
 * only a valid signature over the teacher's compiled cell, the library manifest sees a
 * planted file, and the zeromq send queue keeps one send in flight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileTestCell, splitImports, VerdictChannel } from '../../../cli/src/grading/verdict';
import { preludeCode } from '../../../cli/src/grading/prelude';
import { libraryManifest, unbuiltLibraryFiles, verifyLibrary } from '../../../cli/src/grading/manifest';

const root = path.join(__dirname, '..', '..', '..');
const built = fs.existsSync(path.join(root, 'kernel-helpers', 'dist', 'exercises', 'verdict.js'));
const skip = built ? false : 'kernel-helpers is not built (npx tsc -p kernel-helpers)';
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grading-verdict-'));

test("the kernel's HMAC-SHA256 (typed arrays only) is Node's", { skip }, () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const v = require('../../../kernel-helpers/dist/exercises/verdict');
  for (const n of [0, 1, 27, 28, 31, 32, 33, 55, 56, 63, 64, 65, 200, 5000]) {
    const key = randomBytes(32).toString('hex');
    const msg = 'é✓x'.repeat(n);
    assert.equal(v.hmacUtf16Hex(key, msg), createHmac('sha256', Buffer.from(key, 'hex')).update(Buffer.from(msg, 'utf16le')).digest('hex'), `length ${n}`);
  }
});

test('test cells are compiled by the grader; imports stay at the top level', () => {
  const src = "import { check } from 'kernel-helpers/dist/exercises';\ncheck.close(double(2), 4, { name: 'double(2)' });\nconst y: number = await Promise.resolve(1);";
  const { imports, body } = splitImports(src);
  assert.equal(imports, "import { check } from 'kernel-helpers/dist/exercises';");
  assert.doesNotMatch(body, /import/);
  const js = compileTestCell(src);
  assert.match(js, /require\("kernel-helpers\/dist\/exercises"\)/);
  assert.match(js, /double\(2\)/);
  assert.doesNotMatch(js, /^"use strict"/);
  assert.doesNotMatch(js, /: number/);
});

test('the prelude gets the key file and verdict folder as literals, nothing else', () => {
  const code = preludeCode({ secretFile: '/run/kernel/key-1', verdictDir: '/run/kernel/verdicts' });
  assert.match(code, /"\/run\/kernel\/key-1"/);
  assert.match(code, /verdictDir: "\/run\/kernel\/verdicts"/);
  assert.doesNotMatch(code, /__SECRET_FILE__"|__VERDICT_DIR__/);
});

/** Runs the kernel's runner here (this process stands in for the kernel). */
async function runInProcess(channel: VerdictChannel, gradeId: string, teacherSource: string, scope: Record<string, unknown>, opts: { runJs?: (js: string) => string; nonce?: (n: string) => string; kernelFolder?: string } = {}) {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const v = require('../../../kernel-helpers/dist/exercises/verdict');
  const prelude = channel.prelude(undefined, opts.kernelFolder);
  const secretFile = JSON.parse(/const secretFile: string = ("[^"]*")/.exec(prelude)![1]);
  const verdictDir = JSON.parse(/verdictDir: ("[^"]*")/.exec(prelude)![1]);
  const cell = channel.testCell(gradeId, teacherSource);
  const m = /gradingRunVerdict\(("[0-9a-f]{32}"), ("[^"]*"), (".*")\);\n$/.exec(cell.code)!;
  const [nonce, , js] = [JSON.parse(m[1]), JSON.parse(m[2]), JSON.parse(m[3])];
  return { v, secretFile, verdictDir, nonce, js, cell, scope, opts };
}

test("the judge: a pass only with the runner's signature over the teacher's compiled cell and nonce", { skip }, async () => {
  // One kernel stands in per case (the runner is set up once per process), so the cases
  // run the runner's code in child processes.
  const dir = tmp();
  // A sandbox's channel: the kernel's folder (here the same path inside and out) comes with each prelude.
  const channel = new VerdictChannel({ inside: dir });
  assert.match(channel.testCell('double-tests', 'let a = 1;').judge().problem ?? '', /no kernel ran the grader's prelude/);
  const src = "if (double(2) !== 4) throw new Error('double(2) is not 4');";
  const cases: Array<[string, string, boolean, RegExp | null]> = [
    ['honest pass', 'exports.double = (x) => 2 * x;', true, null],
    ['honest fail', 'exports.double = (x) => x;', false, null],
    ['forged file', "fs.writeFileSync(verdictDir + '/' + nonce + '.1', 'v1 ' + nonce + ' 1 1 ' + 'a'.repeat(64) + '\\n'); skipRun = true;", false, /other verdict/],
    ['malformed file', "fs.writeFileSync(verdictDir + '/' + nonce, 'passed'); skipRun = true;", false, /^FORGED/],
    ['runner over other code', "exports.double = (x) => x; await v.runVerdict(nonce, gradeId, '/* nothing */'); skipRun = true;", false, /no verdict.*other verdict/],
    ['runner over the real code twice, honest', 'exports.double = (x) => 2 * x; await v.runVerdict(nonce, gradeId, js);', true, null],
    ['no verdict at all', 'skipRun = true;', false, /^no verdict/],
  ];
  for (const [name, trick, pass, problem] of cases) {
    const r = await runInProcess(channel, 'double-tests', src, {}, { kernelFolder: dir });
    const script = `
      const fs = require('fs');
      const v = require(${JSON.stringify(path.join(root, 'kernel-helpers', 'dist', 'exercises', 'verdict.js'))});
      const exports = {};
      const [secretFile, verdictDir, nonce, gradeId, js] = ${JSON.stringify([r.secretFile, r.verdictDir, r.nonce, 'double-tests', r.js])};
      v.verdictRunner({ secretFile, verdictDir, scope: exports, require });
      (async () => {
        let skipRun = false;
        ${trick}
        if (!skipRun) await v.runVerdict(nonce, gradeId, js).catch(() => {});
        if (fs.existsSync(secretFile)) throw new Error('the key file is still there');
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const { spawnSync } = await import('child_process');
    const p = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(p.status, 0, `${name}: ${p.stderr}`);
    const got = r.cell.judge();
    assert.equal(got.ok, pass, `${name}: ${JSON.stringify(got)}`);
    if (problem) assert.match(got.problem ?? '', problem, name);
  }
  channel.dispose();
  assert.equal(fs.existsSync(path.join(dir, 'verdicts')), false);
});

test('the library manifest: a changed, added or removed file is named; a dist file without a source is reported', () => {
  const r = tmp();
  const kh = path.join(r, 'kernel-helpers');
  fs.mkdirSync(path.join(kh, 'dist', 'exercises'), { recursive: true });
  fs.mkdirSync(path.join(kh, 'src', 'exercises'), { recursive: true });
  fs.writeFileSync(path.join(kh, 'package.json'), '{}');
  fs.writeFileSync(path.join(kh, 'src', 'exercises', 'check.ts'), '');
  fs.writeFileSync(path.join(kh, 'dist', 'exercises', 'check.js'), 'module.exports = 1;');
  fs.writeFileSync(path.join(kh, 'dist', 'exercises', 'check.d.ts'), '');
  const m = libraryManifest(r);
  assert.deepEqual(verifyLibrary(m), []);
  assert.deepEqual(unbuiltLibraryFiles(r), []);
  fs.writeFileSync(path.join(kh, 'dist', 'exercises', 'check.js'), 'module.exports = 2;');
  fs.writeFileSync(path.join(kh, 'dist', 'exercises', 'planted.js'), '');
  fs.rmSync(path.join(kh, 'dist', 'exercises', 'check.d.ts'));
  assert.deepEqual(verifyLibrary(m).sort(), ['kernel-helpers/dist/exercises/check.d.ts: removed', 'kernel-helpers/dist/exercises/check.js: changed', 'kernel-helpers/dist/exercises/planted.js: added']);
  assert.deepEqual(unbuiltLibraryFiles(r), ['kernel-helpers/dist/exercises/planted.js']);
});

test('the zeromq send queue: one send in flight per socket, order kept, failures never unhandled', { skip }, async () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { serialiseSends } = require('../../../kernel-helpers/dist/exercises/sendQueue');
  let inFlight = 0;
  const sent: number[] = [];
  class Socket {
    send(n: number): Promise<void> {
      if (inFlight > 0) throw new Error('Socket is busy writing');
      inFlight++;
      return new Promise((resolve, reject) =>
        setTimeout(() => {
          inFlight--;
          if (n === 3) reject(new Error('send failed'));
          else {
            sent.push(n);
            resolve();
          }
        }, 1),
      );
    }
  }
  const zmq = { Socket };
  assert.equal(serialiseSends(zmq), true);
  assert.equal(serialiseSends(zmq), true, 'twice is harmless');
  const s = new Socket();
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  for (let i = 0; i < 6; i++) void s.send(i); // as tslab does: never awaited
  await new Promise((r) => setTimeout(r, 100));
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(sent, [0, 1, 2, 4, 5]);
  assert.deepEqual(unhandled, []);
});
