/**
 * `npm start`: registers the kernel, then opens the course in JupyterLab (or the classic
 * Notebook); without either, runs the course headless into build/ and says how to get one.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { jupyterEnv, jupyterVersion, projectRoot } from '../runner';
import { installKernel } from './kernel';
import { runNotebooks, stopKernelsOnSignals } from './run';

export const summary = 'open the course in JupyterLab / Notebook, or run it headless when neither is installed';

const HELP = `usage: gan-course start [--headless] [--full] [-- <extra jupyter arguments>]

Registers the 'tslab' kernel, then opens notebooks/ in JupyterLab (or the classic Notebook).
Without either (or with --headless) it executes every notebook with the headless runner,
saving executed copies in build/notebooks/.

  --headless  do not open Jupyter even if it is installed
  --full      headless runs use each notebook's full configuration (default: quick mode)`;

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
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const extra = dash >= 0 ? args.slice(dash + 1) : [];
  const unknown = own.filter((a) => a !== '--headless' && a !== '--full');
  if (unknown.length > 0) {
    console.error(`gan-course start: unknown argument ${unknown[0]} (see --help)`);
    return 2;
  }
  const root = projectRoot();
  for (const f of installKernel(false)) console.log(`kernel 'tslab' registered: ${path.relative(root, f)}`);

  if (!own.includes('--headless')) {
    for (const sub of ['lab', 'notebook'] as const) {
      const version = jupyterVersion(sub);
      if (version === null) continue;
      console.log(`opening the course in jupyter ${sub} ${version} (Ctrl-C to stop the server)`);
      const child = spawn('jupyter', [sub, `--notebook-dir=${path.join(root, 'notebooks')}`, ...extra], {
        cwd: path.join(root, 'notebooks'),
        env: jupyterEnv(root),
        stdio: 'inherit',
      });
      // Jupyter asks for confirmation on Ctrl-C itself; do not die before it does.
      const ignore = () => {};
      process.on('SIGINT', ignore);
      const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
      process.once('SIGTERM', forward('SIGTERM'));
      process.once('SIGHUP', forward('SIGHUP'));
      const code = await new Promise<number>((resolve) => {
        child.on('error', (e) => {
          console.error(`could not start jupyter ${sub}: ${e.message}`);
          resolve(1);
        });
        child.on('exit', (c) => resolve(c ?? 0));
      });
      process.off('SIGINT', ignore);
      return code;
    }
    console.log('Neither JupyterLab nor the Jupyter Notebook is installed: running the course headless instead.');
    console.log('To work through the course interactively, install JupyterLab and run `npm start` again:');
    console.log('    pip install jupyterlab plotly\n');
  }

  const notebooks = courseNotebooks(root);
  if (notebooks.length === 0) {
    console.error(`no notebooks found in ${path.join(root, 'notebooks')}`);
    return 1;
  }
  const quick = !own.includes('--full');
  const outDir = path.join(root, 'build', 'notebooks');
  console.log(`running ${notebooks.length} notebooks in ${quick ? 'quick' : 'full'} mode; executed copies go to ${path.relative(process.cwd(), outDir) || outDir}`);
  if (quick) console.log('(`npm start -- --headless --full` runs the full configurations)');
  stopKernelsOnSignals();
  const results = await runNotebooks({ quick, continueOnError: false, outDir, notebooks });
  return results.every((r) => r.ok) ? 0 : 1;
}
