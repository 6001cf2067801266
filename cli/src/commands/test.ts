/**
 * `gan-course test`: the whole test suite, in stages with timings:
 *   1. unit tests (test/unit, Node's test runner through tsx; includes the notebook
 *      hygiene checks),
 *   2. every notebooks/NN-*.ipynb in quick mode through the runner, `--jobs` at a time
 *      (default 2 on 2+ cores: `gan-course run --jobs`), as is `--full`,
 *   3. exercises: `gan-course validate --check-stubs` over the course: every chapter's
 *      exercise cells are well formed, the teacher's solutions get full marks through the
 *      grader, and no test passes on the unsolved student stubs,
 *   4. interop: notebook 00 executed by Jupyter's own nbconvert/nbclient through the
 *      registered kernelspec, and every executed notebook exported to HTML by nbconvert
 *      with its tables intact (skipped, saying why, where nbconvert is missing), and
 *      test/hub: students on Debian's JupyterHub running a chapter through their servers, and
 *      test/jupyterlab: every chapter run in JupyterLab 4.6's own notebook panel in Chromium, and
 *      test/site: the course website built from those notebooks, every page opened in Chromium.
 * Every stage runs even if an earlier one failed, so one CI run shows all the failures.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installKernelSpec, localJupyterDir, projectRoot } from '../runner';
import { runNotebooks, stopKernelsOnSignals } from './run';
import { courseNotebooks } from './start';

export const summary = 'run the test suite: unit tests, every notebook in quick mode, the exercises, the nbconvert interop test';

const HELP = `usage: gan-course test [--jobs N] [--skip-unit] [--skip-notebooks] [--skip-exercises] [--skip-interop] [unit test filters...]
       gan-course test --full [--jobs N]    (npm run test:full)

--jobs N: notebooks run at the same time in the quick-notebook stage and in --full (gan-course
run --jobs: one wasm thread per kernel); default 2 on a machine with at least 2 cores, else 1.
GAN_COURSE_TEST_JOBS=N sets the default (GAN_COURSE_TEST_JOBS=1: one notebook at a time).

--full runs every chapter in full mode instead (chapter 5 without its hour-long study, whose
results ship in data/): each chapter's results cell fails when one of its claims no longer
holds. Executed copies in build/test/full-notebooks/.

Filters (substrings of test file paths) restrict the unit tests, e.g. 'gan-course test runner'.`;

interface Stage {
  name: string;
  ok: boolean | 'skipped';
  ms: number;
  note?: string;
}

/** Runs a child with inherited output; asynchronous, so signal handlers keep working. */
function runChild(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', cwd, env: { ...process.env, ...env } });
    const stop = () => child.kill('SIGTERM');
    process.once('exit', stop);
    child.on('error', () => resolve(1));
    child.on('exit', (code) => {
      process.off('exit', stop);
      resolve(code ?? 1);
    });
  });
}

export const TEST_JOBS_ENV = 'GAN_COURSE_TEST_JOBS';

/** `files` dealt round-robin into at most `jobs` non-empty groups (the sorted chapters alternate, which balances them). */
export function splitForJobs<T>(files: readonly T[], jobs: number): T[][] {
  const n = Math.max(1, Math.min(jobs, files.length));
  return Array.from({ length: n }, (_, g) => files.filter((_, i) => i % n === g));
}

/**
 * Takes `--jobs N` / `--jobs=N` out of `args`: the notebooks run at the same time by the
 * notebook stages; default GAN_COURSE_TEST_JOBS, else 2 with at least 2 cores, else 1.
 */
export function takeJobs(args: string[], env: NodeJS.ProcessEnv = process.env, cores = os.cpus().length): { jobs: number; rest: string[] } {
  const rest: string[] = [];
  let given: string | undefined;
  let from = '--jobs';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--jobs') given = args[++i] ?? '';
    else if (args[i].startsWith('--jobs=')) given = args[i].slice('--jobs='.length);
    else rest.push(args[i]);
  }
  if (given === undefined && (env[TEST_JOBS_ENV] ?? '').trim() !== '') {
    given = env[TEST_JOBS_ENV]!.trim();
    from = TEST_JOBS_ENV;
  }
  if (given === undefined) return { jobs: cores >= 2 ? 2 : 1, rest };
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`${from} must be an integer from 1 to 64, got "${given}"`);
  return { jobs: n, rest };
}

/** Every chapter in full mode: the results cells assert the chapters' claims. */
async function fullResults(root: string, jobs: number): Promise<number> {
  const notebooks = courseNotebooks(root);
  delete process.env.GAN_COURSE_QUICK;
  process.env.GAN_COURSE_SKIP_STUDY = '1';
  const t0 = Date.now();
  const rs = await runNotebooks({
    quick: false, continueOnError: false, notebooks,
    outDir: path.join(root, 'build', 'test', 'full-notebooks'), cellTimeoutMs: 30 * 60 * 1000, jobs,
  });
  console.log('\nfull mode:');
  for (const r of rs) console.log(`  ${r.error ? 'FAILED ' : 'passed '} ${((r.totalMs ?? 0) / 1000).toFixed(1).padStart(7)} s  ${path.basename(r.path)}${r.error ? `: ${r.error.split('\n')[0]}` : ''}`);
  console.log(`  total   ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s${jobs > 1 ? ` (${jobs} notebooks at a time)` : ''}`);
  return rs.some((r) => r.error) ? 1 : 0;
}

export async function main(allArgs: string[]): Promise<number> {
  if (allArgs.includes('--help') || allArgs.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let jobs: number;
  let args: string[];
  try {
    ({ jobs, rest: args } = takeJobs(allArgs));
  } catch (e) {
    console.error(`gan-course test: ${(e as Error).message}`);
    return 2;
  }
  if (args.includes('--full')) {
    if (args.length > 1) {
      console.error('gan-course test: --full takes no other option than --jobs');
      return 2;
    }
    stopKernelsOnSignals();
    return fullResults(projectRoot(), jobs);
  }
  const flags = new Set(args.filter((a) => a.startsWith('--skip-')));
  for (const f of flags) {
    if (!['--skip-unit', '--skip-notebooks', '--skip-exercises', '--skip-interop'].includes(f)) {
      console.error(`gan-course test: unknown option ${f}`);
      return 2;
    }
  }
  const filters = args.filter((a) => !a.startsWith('--'));
  const root = projectRoot();
  stopKernelsOnSignals();
  const stages: Stage[] = [];
  const t0 = Date.now();
  const timed = async (name: string, skip: boolean | string, fn: () => Promise<boolean | 'skipped'> | boolean | 'skipped') => {
    if (skip) return stages.push({ name, ok: 'skipped', ms: 0, note: typeof skip === 'string' ? skip : 'by option' });
    console.log(`\n=== ${name} ===`);
    const s = Date.now();
    const ok = await fn();
    stages.push({ name, ok, ms: Date.now() - s });
    console.log(`=== ${name}: ${ok === true ? 'passed' : ok === false ? 'FAILED' : 'skipped'} in ${((Date.now() - s) / 1000).toFixed(1)} s ===`);
  };

  await timed('unit tests', flags.has('--skip-unit'), async () => (await runChild([path.join(root, 'scripts', 'run-unit-tests.js'), ...filters], root)) === 0);

  await timed(`notebooks (quick mode, headless runner${jobs > 1 ? `, ${jobs} at a time` : ''})`, flags.has('--skip-notebooks') || (filters.length > 0 && 'unit test filter given'), async () => {
    const notebooks = courseNotebooks(root);
    if (notebooks.length === 0) {
      console.error('no notebooks/NN-*.ipynb found');
      return false;
    }
    const rs = await runNotebooks({ quick: true, continueOnError: false, outDir: path.join(root, 'build', 'test', 'notebooks'), notebooks, jobs });
    return rs.every((r) => r.ok);
  });

  await timed(`exercises (validate: solutions score full marks, stubs score none${jobs > 1 ? `, ${jobs} at a time` : ''})`, flags.has('--skip-exercises') || (filters.length > 0 && 'unit test filter given'), async () => {
    // Each validate process grades its share of the chapters in sandboxes of its own (unique
    // scratch folders), one wasm thread per kernel when several run at once.
    const groups = splitForJobs(courseNotebooks(root), jobs);
    const env = groups.length > 1 && !process.env.GAN_COURSE_WASM_THREADS ? { GAN_COURSE_WASM_THREADS: '1' } : {};
    const codes = await Promise.all(groups.map((files) => runChild([path.join(root, 'cli', 'dist', 'main.js'), 'validate', '--check-stubs', ...files], root, env)));
    return codes.every((c) => c === 0);
  });

  await timed('interop (nbconvert/nbclient through the kernelspec)', flags.has('--skip-interop') || (filters.length > 0 && 'unit test filter given'), async () => {
    installKernelSpec(localJupyterDir(root));
    // Every interop test: the nbconvert/nbclient run, and the HTML tables of the notebooks
    // the notebook stage executed.
    const dir = path.join(root, 'test', 'interop');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(dir, f));
    // A class on Debian's JupyterHub (skips, saying why, unless root with jupyterhub installed).
    files.push(path.join(root, 'test', 'hub', 'hub.test.ts'));
    // The chapters in JupyterLab's own notebook panel, in Chromium (skips, saying why, without it).
    files.push(path.join(root, 'test', 'jupyterlab', 'panel.test.ts'));
    // The course website from the executed notebooks, every page in Chromium, offline (skips, saying why, without it).
    files.push(path.join(root, 'test', 'site', 'site.test.ts'));
    const quiet = path.join(root, 'scripts', 'quiet-tfjs-banner.js');
    return (await runChild(['--require', quiet, '--import', 'tsx', '--test', '--test-concurrency=1', ...files], root)) === 0;
  });

  console.log('\nsummary:');
  for (const s of stages) {
    const state = s.ok === true ? 'passed ' : s.ok === false ? 'FAILED ' : 'skipped';
    console.log(`  ${state} ${(s.ms / 1000).toFixed(1).padStart(7)} s  ${s.name}${s.note ? ` (${s.note})` : ''}`);
  }
  console.log(`  total   ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s`);
  return stages.some((s) => s.ok === false) ? 1 : 0;
}
