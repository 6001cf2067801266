/** `gan-course grade`: run every submission, score the exercises, write the gradebook. */
import { ArgError, parseArgs, secondsOption } from '../grading/args';
import { gradeClass, GradingInputError } from '../grading/grade-class';
import { GradingLimits } from '../grading/run-graded';
import { MergeError, mergeShards, parseShard } from '../grading/shard';

export const summary = 'grade submissions (one folder per student) into a gradebook and feedback notebooks';

const HELP = `usage: gan-course grade --source <teacher notebooks dir> --submissions <dir> --out <dir>
                        [--release <dir>] [--jobs 1|2] [--full] [--cell-timeout S]
                        [--notebook-timeout S] [--student-timeout S] [--class-timeout S]
                        [--force] [--no-sandbox] [--shard K/N]
       gan-course grade --merge <shard out dir>... --out <dir> [--force]

<submissions>/<student>/<notebook>.ipynb: one folder per student, notebooks named as released.
Each submission runs in its own kernel (quick mode unless --full) with the teacher's test and
read-only cells (hidden tests included). Each test cell scores its points if it runs without
an error, else 0. Writes <out>/gradebook.csv, <out>/gradebook.json and
<out>/feedback/<student>/<notebook>.ipynb; an existing gradebook is kept unless --force.
--release <dir> (the folder \`assign\` wrote) grades only the notebooks released in it;
without it every notebook in --source is graded.
Every kernel runs in an OS sandbox (bubblewrap: own user, PID, IPC and network namespaces,
no network, read-only course runtime, a private folder with only the student's notebook,
limits on memory, files and processes); grade refuses to run where the sandbox does not
work, unless --no-sandbox (a trusted class only: student code then runs with your rights).
The gradebook records which it was.
Time limits (seconds): per cell, per notebook, per student (all of their notebooks) and for
the whole class; what a limit stops scores 0 as not-run, with the reason.
Defaults: --jobs 2, --cell-timeout 120, --notebook-timeout 1200, --student-timeout 2400,
no class limit.
--shard K/N grades only the students whose folder name hashes to share K of N (the same
share on every machine); --merge joins the N shards' --out folders into one gradebook and
feedback folder, the same as one run over the whole class would write (with
SOURCE_DATE_EPOCH set, byte for byte). A notebook renamed by a browser (\`01-minimax (1).ipynb\`)
is graded as the teacher notebook whose nbgrader cells (grade ids and checksums) it holds.`;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const mergeAt = args.indexOf('--merge');
  if (mergeAt >= 0) return merge(args.slice(0, mergeAt), args.slice(mergeAt + 1));
  let opts;
  try {
    const p = parseArgs(args, ['source', 'release', 'submissions', 'out', 'jobs', 'cell-timeout', 'notebook-timeout', 'student-timeout', 'class-timeout', 'shard'], ['full', 'force', 'quiet', 'no-sandbox']);
    if (p.positional.length) throw new ArgError(`unexpected argument ${p.positional[0]}`);
    const need = (k: string) => {
      const v = p.options.get(k);
      if (!v) throw new ArgError(`--${k} is required`);
      return v;
    };
    const jobsText = p.options.get('jobs') ?? '2';
    const jobs = Number(jobsText);
    if (!(jobs === 1 || jobs === 2)) throw new ArgError(`--jobs must be 1 or 2, got "${jobsText}"`);
    const limits: Partial<GradingLimits> = {};
    const c = secondsOption(p, 'cell-timeout');
    const n = secondsOption(p, 'notebook-timeout');
    if (c !== undefined) limits.cellTimeoutMs = c;
    if (n !== undefined) limits.notebookTimeoutMs = n;
    const st = secondsOption(p, 'student-timeout');
    const cl = secondsOption(p, 'class-timeout');
    if (st !== undefined) limits.studentTimeoutMs = st;
    if (cl !== undefined) limits.classTimeoutMs = cl;
    opts = {
      sourceDir: need('source'),
      releaseDir: p.options.get('release'),
      submissionsDir: need('submissions'),
      outDir: need('out'),
      jobs,
      quick: !p.flags.has('full'),
      force: p.flags.has('force'),
      sandbox: !p.flags.has('no-sandbox'),
      shard: p.options.has('shard') ? parseShard(p.options.get('shard')!) : undefined,
      limits,
      log: p.flags.has('quiet') ? undefined : (l: string) => console.log(l),
    };
  } catch (e) {
    console.error(`gan-course grade: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  try {
    const r = await gradeClass(opts);
    for (const s of r.students) console.log(`${s.student.padEnd(24)} ${s.points} / ${s.max}`);
    console.log(`graded ${r.students.length} student(s) in ${(r.ms / 1000).toFixed(1)} s (${r.isolation}): ${r.gradebookCsv}, ${r.gradebookJson}`);
    if (r.errors.length) {
      console.error(`could not grade:\n${r.errors.join('\n')}`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof GradingInputError) {
      console.error(`gan-course grade: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** `grade --merge <dirs...> --out <dir> [--force]`: the shards' outputs into one gradebook. */
function merge(before: string[], after: string[]): number {
  const dirs: string[] = [];
  const rest = [...before];
  let i = 0;
  while (i < after.length && !after[i].startsWith('--')) dirs.push(after[i++]);
  rest.push(...after.slice(i));
  let out: string;
  let force: boolean;
  try {
    const p = parseArgs(rest, ['out'], ['force', 'quiet']);
    if (p.positional.length) throw new ArgError(`unexpected argument ${p.positional[0]}`);
    const o = p.options.get('out');
    if (!o) throw new ArgError('--out is required');
    if (dirs.length === 0) throw new ArgError('--merge needs the shards\' output folders');
    out = o;
    force = p.flags.has('force');
  } catch (e) {
    console.error(`gan-course grade: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  try {
    const r = mergeShards(dirs, out, force);
    for (const s of r.students) console.log(`${s.student.padEnd(24)} ${s.points} / ${s.max}`);
    console.log(`merged ${dirs.length} shard(s), ${r.students.length} student(s): ${r.gradebookCsv}, ${r.gradebookJson}`);
    return 0;
  } catch (e) {
    if (e instanceof MergeError) {
      console.error(`gan-course grade --merge: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
