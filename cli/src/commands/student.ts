/**
 * `gan-course student <release-folder>`: the student's working folder, made from the
 * notebooks a teacher released with `gan-course assign`. The folder is inside the course
 * checkout by default (student/<release name>/), where `kernel-helpers` resolves as it does
 * for notebooks/; a folder elsewhere gets a node_modules/kernel-helpers link to this course.
 * Teacher versions (solutions, hidden tests, no checksums) are refused, and a notebook the
 * student already has is never overwritten.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BEGIN_HIDDEN_TESTS, BEGIN_SOLUTION } from '../grading/markers';
import { cellText, isTracked, nbgraderMeta } from '../grading/nbgrader-cell';
import { ArgError, parseArgs } from '../options';
import { parseNotebook, checkKernel, projectRoot } from '../runner';

export const summary = "make a student's working folder from released notebooks (refuses teacher versions, keeps existing work)";

const HELP = `usage: gan-course student <release-folder> [--out <folder>]

Copies the released notebooks (the student versions that 'gan-course assign' wrote) into a
working folder and says how to open it:

  --out <folder>  where to put them (default: student/<release folder name>/ in the course
                  checkout). A folder outside the checkout gets a node_modules/kernel-helpers
                  link to this course, so that the notebooks' imports resolve there too.

A notebook that is already in the working folder is never overwritten (it is your work);
only the missing ones are copied. Teacher versions (with solutions or hidden tests, or
without the checksums that 'assign' writes) are refused: nothing is copied.

Then: npm start -- --student <folder>   (or: npx gan-course start --student <folder>)`;

/** Why a notebook is not a released student version, or null when it is one. */
export function teacherVersionReason(text: string, file: string): string | null {
  const nb = parseNotebook(text, file);
  checkKernel(nb, file);
  const solution: number[] = [];
  const hidden: number[] = [];
  const unsigned: number[] = [];
  nb.cells.forEach((c, i) => {
    const src = cellText(c);
    if (src.includes(BEGIN_SOLUTION)) solution.push(i);
    if (src.includes(BEGIN_HIDDEN_TESTS)) hidden.push(i);
    if (isTracked(c) && typeof nbgraderMeta(c)?.checksum !== 'string') unsigned.push(i);
  });
  const list = (xs: number[]) => `cell${xs.length > 1 ? 's' : ''} ${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', ...' : ''}`;
  if (solution.length) return `${file}: a teacher version, with solutions (${BEGIN_SOLUTION} in ${list(solution)})`;
  if (hidden.length) return `${file}: a teacher version, with hidden tests (${BEGIN_HIDDEN_TESTS} in ${list(hidden)})`;
  if (unsigned.length) return `${file}: not released by 'gan-course assign' (exercise ${list(unsigned)} without nbgrader checksums)`;
  return null;
}

/** True when `require('kernel-helpers')` from a notebook in `dir` loads this course's library. */
export function kernelHelpersResolvesFrom(dir: string, root = projectRoot()): boolean {
  try {
    const found = require.resolve('kernel-helpers/package.json', { paths: [path.resolve(dir)] });
    return fs.realpathSync(path.dirname(found)) === fs.realpathSync(path.join(root, 'kernel-helpers'));
  } catch {
    return false;
  }
}

/** True when `dir` is `root` or inside it. */
export function isInside(dir: string, root: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(dir));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface StudentFolderResult {
  out: string;
  copied: string[];
  kept: string[];
  linked: boolean;
}

/**
 * Copies the released notebooks of `release` into `out` (byte for byte: checksums stay
 * valid). Throws an Error saying why when nothing may be copied.
 */
export function makeStudentFolder(release: string, out: string, root = projectRoot()): StudentFolderResult {
  if (!fs.existsSync(release) || !fs.statSync(release).isDirectory()) throw new Error(`${release}: no such release folder`);
  const names = fs.readdirSync(release).filter((f) => f.endsWith('.ipynb') && fs.statSync(path.join(release, f)).isFile()).sort();
  if (names.length === 0) throw new Error(`${release}: no notebooks in it (a release folder is what 'gan-course assign ... --out <folder>' wrote)`);
  if (path.resolve(release) === path.resolve(out)) throw new Error(`--out ${out} is the release folder itself; choose another folder`);
  const problems: string[] = [];
  const texts = new Map<string, string>();
  for (const n of names) {
    const file = path.join(release, n);
    try {
      const text = fs.readFileSync(file, 'utf8');
      const why = teacherVersionReason(text, file);
      if (why) problems.push(why);
      texts.set(n, text);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length) {
    const teacher = problems.some((p) => p.includes('teacher version') || p.includes('not released'));
    throw new Error(
      `nothing was copied:\n  ${problems.join('\n  ')}` +
        (teacher ? `\nStudents get the versions that 'gan-course assign <notebooks...> --out release/<name>' writes.` : ''),
    );
  }
  fs.mkdirSync(out, { recursive: true });
  let linked = false;
  if (!kernelHelpersResolvesFrom(out, root)) {
    // Outside the checkout: a link to the library, as npm links a workspace package.
    const link = path.join(out, 'node_modules', 'kernel-helpers');
    if (fs.existsSync(link) || isSymlink(link)) throw new Error(`${link} exists but is not this course's kernel-helpers; remove it and run the command again`);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(root, 'kernel-helpers'), link, process.platform === 'win32' ? 'junction' : 'dir');
    linked = true;
    if (!kernelHelpersResolvesFrom(out, root)) throw new Error(`kernel-helpers does not resolve from ${out} even through ${link}`);
  }
  const copied: string[] = [];
  const kept: string[] = [];
  for (const n of names) {
    const target = path.join(out, n);
    try {
      // 'wx': never replace a file that is there, even one that appeared meanwhile.
      fs.writeFileSync(target, texts.get(n)!, { flag: 'wx' });
      copied.push(n);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      kept.push(n);
    }
  }
  return { out, copied, kept, linked };
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The default working folder: student/<release folder name>/ in the course checkout. */
export function defaultStudentFolder(release: string, root = projectRoot()): string {
  return path.join(root, 'student', path.basename(path.resolve(release)));
}

function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let release: string;
  let out: string;
  try {
    const p = parseArgs(args, ['out'], []);
    if (p.positional.length !== 1) throw new ArgError(p.positional.length === 0 ? 'no release folder given' : `one release folder, got ${p.positional.length}`);
    release = p.positional[0];
    out = p.options.get('out') ?? defaultStudentFolder(release);
  } catch (e) {
    console.error(`gan-course student: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  let r: StudentFolderResult;
  try {
    r = makeStudentFolder(release, out);
  } catch (e) {
    console.error(`gan-course student: ${(e as Error).message}`);
    return 1;
  }
  for (const n of r.copied) console.log(`${shown(path.join(r.out, n))}: copied`);
  for (const n of r.kept) console.log(`${shown(path.join(r.out, n))}: already there, kept as it is (your work is never overwritten)`);
  if (r.linked) console.log(`${shown(path.join(r.out, 'node_modules', 'kernel-helpers'))}: linked to this course's library`);
  console.log(`\nOpen it with:  npm start -- --student ${shown(r.out)}`);
  console.log('Replace each stub that throws "not implemented yet", run the tests below it, and hand the notebooks back without renaming them.');
  return 0;
}
