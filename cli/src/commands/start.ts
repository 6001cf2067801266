/**
 * `npm start`: registers the kernel, then opens the course in JupyterLab (or the classic
 * Notebook); without either, runs the course headless into build/ and says how to get one.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { jupyterEnv, jupyterVersion, projectRoot } from '../runner';
import { ArgError } from '../options';
import { installKernel } from './kernel';
import { runNotebooks, stopKernelsOnSignals } from './run';
import { kernelHelpersResolvesFrom } from './student';

/** How to get JupyterLab where `pip install` is refused (Debian 12+, Ubuntu 23.04+: PEP 668). */
export const INSTALL_HINT = [
  'Install JupyterLab with pipx (or into a virtual environment; see "Installing JupyterLab" in the README):',
  '    sudo apt install pipx        # Debian/Ubuntu; elsewhere: python3 -m pip install --user pipx',
  '    pipx install --include-deps jupyterlab && pipx inject jupyterlab plotly && pipx ensurepath',
].join('\n');

export const summary = 'open the course (or a student folder) in JupyterLab / Notebook, or run it headless when neither is installed';

const HELP = `usage: gan-course start [--headless] [--full] [--student <folder>] [<jupyter options>...] [-- <jupyter options>...]
       npm start -- [the same]

Registers the 'tslab' kernel, then opens notebooks/ in JupyterLab (or the classic Notebook).
Without either (or with --headless) it executes every notebook with the headless runner,
saving executed copies in build/notebooks/.

  --headless            do not open Jupyter even if it is installed
  --full                headless runs use each notebook's full configuration (default: quick mode)
  --student <folder>    open a student's working folder (made by 'gan-course student') instead
                        of notebooks/; it must be one where kernel-helpers resolves
  --notebook-dir <dir>  open another folder (passed to Jupyter; the kernel must resolve there too)

Every other argument goes to Jupyter as it is, e.g.
  npm start -- --no-browser --port 8899
  npm start -- --ip 0.0.0.0 --ServerApp.token=secret
and everything after a '--' does too. Run as root (uid 0: containers, WSL, cloud VMs), it
adds --allow-root, without which Jupyter refuses to start.`;

export interface StartArgs {
  headless: boolean;
  full: boolean;
  /** The folder to open, as given (--student or --notebook-dir), or null for notebooks/. */
  folder: string | null;
  via: 'student' | 'notebook-dir' | null;
  /** Arguments for Jupyter, in the order given. */
  jupyter: string[];
  help: boolean;
}

/**
 * Splits start's arguments: its own options (--headless, --full, --student, --notebook-dir,
 * --help) and everything else, which goes to Jupyter unchanged (after a '--', everything).
 */
export function parseStartArgs(args: readonly string[]): StartArgs {
  const out: StartArgs = { headless: false, full: false, folder: null, via: null, jupyter: [], help: false };
  const setFolder = (via: 'student' | 'notebook-dir', value: string | undefined) => {
    if (value === undefined || value === '' || (value.startsWith('-') && value !== '-')) throw new ArgError(`--${via} needs a folder`);
    if (out.via !== null && out.via !== via) throw new ArgError('--student and --notebook-dir name the same thing: give one of them');
    out.folder = value;
    out.via = via;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.jupyter.push(...args.slice(i + 1));
      break;
    }
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--headless') out.headless = true;
    else if (a === '--full') out.full = true;
    else if (a === '--student' || a === '--notebook-dir') setFolder(a.slice(2) as 'student', args[++i]);
    else if (a.startsWith('--student=') || a.startsWith('--notebook-dir=')) {
      const eq = a.indexOf('=');
      setFolder(a.slice(2, eq) as 'student', a.slice(eq + 1));
    } else out.jupyter.push(a);
  }
  return out;
}

/** True when the arguments already decide about running as root. */
function mentionsAllowRoot(args: readonly string[]): boolean {
  return args.some((a) => /^--(no-)?allow-root(=|$)/.test(a) || /^--(ServerApp|NotebookApp)\.allow_root(=|$)/.test(a));
}

/** The command line for `jupyter`: the front end, the folder, --allow-root as root, the user's arguments. */
export function jupyterCommand(sub: 'lab' | 'notebook', dir: string, extra: readonly string[], uid: number | undefined): { args: string[]; allowRoot: boolean } {
  const allowRoot = uid === 0 && !mentionsAllowRoot(extra);
  return { args: [sub, `--notebook-dir=${dir}`, ...(allowRoot ? ['--allow-root'] : []), ...extra], allowRoot };
}

/** A folder given on the command line, relative to where the user typed it (npm start runs in the root). */
export function resolveUserPath(p: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(env.INIT_CWD && env.INIT_CWD !== '' ? env.INIT_CWD : cwd, p);
}

export function courseNotebooks(root = projectRoot()): string[] {
  const dir = path.join(root, 'notebooks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => {
      const abs = path.join(dir, f);
      const rel = path.relative(process.cwd(), abs);
      return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
    });
}

export async function main(args: string[]): Promise<number> {
  let opts: StartArgs;
  try {
    opts = parseStartArgs(args);
  } catch (e) {
    console.error(`gan-course start: ${(e as Error).message} (see --help)`);
    return 2;
  }
  if (opts.help) {
    console.log(HELP);
    return 0;
  }
  if (opts.headless && (opts.jupyter.length > 0 || opts.folder !== null)) {
    const what = opts.folder !== null ? `--${opts.via}` : opts.jupyter[0];
    console.error(`gan-course start: ${what} is for Jupyter, and --headless runs the course without it (see --help; 'gan-course run' runs any notebooks headless)`);
    return 2;
  }
  const root = projectRoot();
  let dir = path.join(root, 'notebooks');
  if (opts.folder !== null) {
    dir = resolveUserPath(opts.folder);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      console.error(`gan-course start: ${opts.folder}: no such folder${opts.via === 'student' ? " (make it with 'gan-course student <release-folder>')" : ''}`);
      return 1;
    }
    if (!kernelHelpersResolvesFrom(dir, root)) {
      const msg = `${opts.folder}: kernel-helpers does not resolve there, so its notebooks cannot import the course's library ('gan-course student <release-folder> --out ${opts.folder}' sets a folder up)`;
      if (opts.via === 'student') {
        console.error(`gan-course start: ${msg}`);
        return 1;
      }
      console.log(`warning: ${msg}`);
    }
  }
  for (const f of installKernel(false)) console.log(`kernel 'tslab' registered: ${path.relative(root, f)}`);

  if (!opts.headless) {
    for (const sub of ['lab', 'notebook'] as const) {
      const version = jupyterVersion(sub);
      if (version === null) continue;
      const cmd = jupyterCommand(sub, dir, opts.jupyter, process.getuid?.());
      if (cmd.allowRoot) console.log('running as root (uid 0): passing --allow-root to Jupyter, which refuses to start as root without it');
      console.log(`opening ${path.relative(root, dir) || dir} in jupyter ${sub} ${version} (Ctrl-C to stop the server)`);
      const child = spawn('jupyter', cmd.args, {
        cwd: dir,
        env: jupyterEnv(root),
        stdio: 'inherit',
      });
      // Jupyter asks for confirmation on Ctrl-C itself; do not die before it does.
      const ignore = () => {};
      process.on('SIGINT', ignore);
      const onTerm = () => child.kill('SIGTERM');
      const onHup = () => child.kill('SIGHUP');
      process.once('SIGTERM', onTerm);
      process.once('SIGHUP', onHup);
      const code = await new Promise<number>((resolve) => {
        child.on('error', (e) => {
          console.error(`could not start jupyter ${sub}: ${e.message}`);
          resolve(1);
        });
        child.on('exit', (c) => resolve(c ?? 0));
      });
      process.off('SIGINT', ignore);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      return code;
    }
    if (opts.folder !== null || opts.jupyter.length > 0) {
      console.error(`gan-course start: neither JupyterLab nor the Jupyter Notebook is installed, so ${opts.folder !== null ? `--${opts.via}` : opts.jupyter.join(' ')} cannot be used.`);
      console.error(INSTALL_HINT);
      return 1;
    }
    console.log('Neither JupyterLab nor the Jupyter Notebook is installed: running the course headless instead.');
    console.log('To work through the course interactively, install JupyterLab and run `npm start` again.');
    console.log(INSTALL_HINT + '\n');
  }

  const notebooks = courseNotebooks(root);
  if (notebooks.length === 0) {
    console.error(`no notebooks found in ${path.join(root, 'notebooks')}`);
    return 1;
  }
  const quick = !opts.full;
  const outDir = path.join(root, 'build', 'notebooks');
  console.log(`running ${notebooks.length} notebooks in ${quick ? 'quick' : 'full'} mode; executed copies go to ${path.relative(process.cwd(), outDir) || outDir}`);
  if (quick) console.log('(`npm start -- --headless --full` runs the full configurations)');
  stopKernelsOnSignals();
  const results = await runNotebooks({ quick, continueOnError: false, outDir, notebooks });
  return results.every((r) => r.ok) ? 0 : 1;
}
