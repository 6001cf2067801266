/** `gan-course assign`: student versions of the teacher's notebooks, in one release folder. */
import * as fs from 'fs';
import * as path from 'path';
import { ArgError, parseArgs } from '../grading/args';
import { assertExerciseFormat, listExercises } from '../grading/exercise-format';
import { studentVersion } from '../grading/student-version';
import { Notebook, readNotebook, serializeNotebook } from '../runner';

export const summary = 'write student versions (stubs, no hidden tests, checksums) into a release folder';

const HELP = `usage: gan-course assign <notebooks...> --out release/<assignment> [--force]

Writes one student notebook per teacher notebook into the release folder: every solution
region replaced by a stub that throws "not implemented yet", hidden tests removed, outputs
cleared, nbgrader checksums on solution, test and read-only cells. Nothing is written if any
notebook breaks the exercise format (docs/exercises.md). An existing non-empty release
folder is left alone unless --force is given.`;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let out: string;
  let files: string[];
  let force: boolean;
  try {
    const p = parseArgs(args, ['out'], ['force']);
    files = p.positional;
    if (files.length === 0) throw new ArgError('no notebooks given');
    const o = p.options.get('out');
    if (!o) throw new ArgError('--out <release folder> is required, e.g. --out release/ch03');
    out = o;
    force = p.flags.has('force');
  } catch (e) {
    console.error(`gan-course assign: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }

  const released: Array<{ name: string; nb: Notebook; exercises: number }> = [];
  const problems: string[] = [];
  const names = new Set<string>();
  for (const f of files) {
    try {
      const nb = readNotebook(f);
      assertExerciseFormat(nb, f);
      const name = path.basename(f);
      if (names.has(name)) throw new Error(`${f}: a second notebook named ${name}; release file names must be unique`);
      names.add(name);
      released.push({ name, nb: studentVersion(nb), exercises: listExercises(nb).length });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length) {
    console.error(`gan-course assign: nothing was written:\n${problems.join('\n')}`);
    return 1;
  }
  const resolvedOut = path.resolve(out);
  for (const f of files) {
    if (path.dirname(path.resolve(f)) === resolvedOut) {
      console.error(`gan-course assign: --out ${out} is the folder of the teacher's notebook ${f}; nothing was written`);
      return 1;
    }
  }
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0 && !force) {
    console.error(`gan-course assign: ${out} is not empty; nothing was written (choose another folder or pass --force)`);
    return 1;
  }
  fs.mkdirSync(out, { recursive: true });
  for (const r of released) {
    const target = path.join(out, r.name);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, serializeNotebook(r.nb));
    fs.renameSync(tmp, target);
    console.log(`${target}: ${r.exercises} exercise(s)`);
  }
  return 0;
}
