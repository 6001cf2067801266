/**
 * Verdicts a student's code cannot forge: the grader's half (the kernel's half is
 * kernel-helpers/src/exercises/verdict.ts).
 *
 * Per kernel (every start and restart) the grader makes a fresh 32-byte key and writes it to
 * a file that only the prelude reads, and deletes, before any student cell runs. Each test
 * cell is compiled here (TypeScript to JavaScript, the grader's own compiler) and sent as
 *
 *     import ... (the test cell's imports)
 *     if ((0 as number) === 1) { <the test cell> }        // tslab still type-checks it
 *     import { runVerdict as gradingRunVerdict } from 'kernel-helpers/dist/exercises/verdict';
 *     await gradingRunVerdict("<nonce>", "<grade id>", "<the compiled test cell>");
 *
 * with a fresh random nonce. The kernel's runner evaluates exactly the compiled text and
 * writes an HMAC of (nonce, grade id, outcome, counter, text) into `<dir>/<nonce>.<counter>`.
 * A test cell passes only if a verdict file for its nonce holds a valid MAC, under this
 * kernel's key, for this grade id, the text compiled here and the outcome "1", and no
 * failing one or forged one is beside it. Verdicts signed over other code (a student calling
 * the runner themselves) are ignored and noted. What the kernel replies, prints or writes
 * otherwise is never taken for a pass.
 */
import { createHmac, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { preludeCode } from './prelude';

export interface VerdictCheck {
  ok: boolean;
  /** Why a cell that the kernel said was fine did not pass (no verdict, a forged one). */
  problem?: string;
}

/** The test cell compiled for the grader's runner (CommonJS, as tslab's imports behave). */
export function compileTestCell(source: string): string {
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true, sourceMap: false, removeComments: false },
    reportDiagnostics: false,
  }).outputText;
  return out.replace(/^"use strict";\r?\n/, '');
}

/** The test cell's import declarations (kept at the top level, where tslab wants them) and the rest. */
export function splitImports(source: string): { imports: string; body: string } {
  const sf = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
  const imports: string[] = [];
  const ranges: Array<[number, number]> = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) {
      imports.push(source.slice(st.getStart(sf), st.getEnd()));
      ranges.push([st.getStart(sf), st.getEnd()]);
    }
  }
  let body = '';
  let at = 0;
  for (const [s, e] of ranges) {
    body += source.slice(at, s);
    at = e;
  }
  body += source.slice(at);
  return { imports: imports.join('\n'), body };
}

export class VerdictChannel {
  /**
   * The folder as the grader sees it, and as the kernel does (the same without a sandbox).
   * In a sandbox the folder is the kernel's own tmpfs: `outside` is the running kernel's,
   * given to `prelude` at every start.
   */
  private outside: string;
  private readonly inside: string;
  private readonly owned: boolean;
  private key: Buffer | null = null;

  constructor(sandbox?: { inside: string }) {
    if (sandbox) {
      this.outside = '';
      this.inside = sandbox.inside;
      this.owned = false;
    } else {
      this.outside = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-course-verdicts-'));
      this.inside = this.outside;
      this.owned = true;
    }
    if (this.owned) fs.mkdirSync(path.join(this.outside, 'verdicts'), { recursive: true, mode: 0o700 });
  }

  /**
   * The prelude for a kernel about to start: a fresh key in a file the prelude deletes;
   * `preload`: prelude.ts preloadModules; `kernelFolder`: the kernel's folder as reached from
   * here, when it is the sandbox's own (KernelSession.ipcOutside).
   */
  prelude(preload?: readonly string[], kernelFolder?: string | null): string {
    if (!this.owned) {
      if (!kernelFolder) throw new Error("VerdictChannel.prelude: the sandboxed kernel's folder is not known (KernelSession.ipcOutside)");
      this.outside = kernelFolder;
      fs.mkdirSync(path.join(this.outside, 'verdicts'), { recursive: true, mode: 0o700 });
    }
    this.key = randomBytes(32);
    const name = `key-${randomBytes(8).toString('hex')}`;
    fs.writeFileSync(path.join(this.outside, name), this.key.toString('hex'), { mode: 0o600 });
    return preludeCode({ secretFile: path.posix.join(this.inside, name), verdictDir: path.posix.join(this.inside, 'verdicts'), preload });
  }

  /** The code that runs test cell `source` (grade id `gradeId`) and how to judge its run. */
  testCell(gradeId: string, source: string): { code: string; judge: () => VerdictCheck } {
    const nonce = randomBytes(16).toString('hex');
    const js = compileTestCell(source);
    const { imports, body } = splitImports(source);
    const code = `import { runVerdict as gradingRunVerdict } from 'kernel-helpers/dist/exercises/verdict';\n${imports}\nif ((0 as number) === 1) {\n${body}\n}\nawait gradingRunVerdict(${JSON.stringify(nonce)}, ${JSON.stringify(gradeId)}, ${JSON.stringify(js)});\n`;
    return { code, judge: () => this.judge(nonce, gradeId, js) };
  }

  private judge(nonce: string, gradeId: string, js: string): VerdictCheck {
    // A sandboxed channel's folder is the kernel's, known once a kernel has had the prelude.
    if (!this.outside) return { ok: false, problem: "no verdict from the grader's check of this test cell (no kernel ran the grader's prelude)" };
    const dir = path.join(this.outside, 'verdicts');
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((f) => f === nonce || f.startsWith(`${nonce}.`));
    } catch {
      names = [];
    }
    let passes = 0;
    let fails = 0;
    let forged = 0;
    let otherCode = 0;
    for (const f of names.slice(0, 64)) {
      const file = path.join(dir, f);
      let text = '';
      try {
        const st = fs.lstatSync(file);
        if (st.isFile() && st.size <= 4096) text = fs.readFileSync(file, 'latin1');
      } catch {
        /* unreadable: forged below */
      }
      const m = /^v1 ([0-9a-f]{32}) ([01]) ([1-9][0-9]{0,8}) ([0-9a-f]{64})\n$/.exec(text);
      if (!m || m[1] !== nonce || f !== `${nonce}.${m[3]}` || !this.key) {
        forged++;
        continue;
      }
      const mac = (ok: string) => createHmac('sha256', this.key!).update(Buffer.from(`${nonce}\n${gradeId}\n${ok}\n${m[3]}\n${js}`, 'utf16le')).digest('hex');
      if (mac(m[2]) === m[4]) m[2] === '1' ? passes++ : fails++;
      else otherCode++; // signed by the runner, but over other code or another cell (or not signed at all)
    }
    for (const f of names) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    if (forged) return { ok: false, problem: `FORGED: ${forged} verdict file(s) for this test cell were not written by the grader's check (no valid signature)` };
    const review = otherCode ? ` (${otherCode} other verdict(s) for this cell's nonce, over other code, were ignored: review)` : '';
    if (passes && !fails) return { ok: true, problem: review || undefined };
    if (!passes && !fails) return { ok: false, problem: `no verdict from the grader's check of this test cell (the cell did not run the tests to the end, or its verdict was suppressed)${review}` };
    return { ok: false, problem: review || undefined };
  }

  dispose(): void {
    this.key = null;
    if (this.owned) fs.rmSync(this.outside, { recursive: true, force: true });
    else if (this.outside) {
      try {
        fs.rmSync(path.join(this.outside, 'verdicts'), { recursive: true, force: true });
        for (const f of fs.readdirSync(this.outside)) if (f.startsWith('key-')) fs.rmSync(path.join(this.outside, f), { force: true });
      } catch {
        /* the sandbox's own folder: gone with its kernel */
      }
    }
  }
}
