/** `gan-course kernel install [--user]`, `gan-course kernel uninstall [--user] [--force]` and `gan-course kernel status`. */
import * as fs from 'fs';
import * as path from 'path';
import {
  KERNEL_NAME,
  installKernelSpec,
  kernelSpecWorks,
  localJupyterDir,
  projectRoot,
  readKernelSpec,
  userJupyterDataDir,
} from '../runner';
import { isInside } from './student';

export const summary = "register the 'tslab' TypeScript kernel with Jupyter (project-local, or --user)";

const HELP = `usage: gan-course kernel install [--user]
       gan-course kernel uninstall [--user] [--force]
       gan-course kernel status

install         writes the kernelspec '${KERNEL_NAME}' to ${path.relative(process.cwd(), localJupyterDir()) || '.jupyter-local'}/kernels/${KERNEL_NAME}
                (used by 'npm start', which sets JUPYTER_PATH for the Jupyter it launches)
install --user  also writes it to your Jupyter data dir (${userJupyterDataDir()}),
                where VS Code, a plain 'jupyter lab' and nbconvert find it
uninstall       removes the project-local kernelspec ('npm start' writes it again)
uninstall --user  also removes the one in your Jupyter data dir; a 'tslab' kernelspec
                that runs another tslab (not this course's) is left alone unless --force
status          shows where the kernelspec is installed and whether it still works`;

/** Installs the project-local kernelspec (and the user one); returns the files written. */
export function installKernel(user: boolean): string[] {
  const files = [installKernelSpec(localJupyterDir())];
  if (user) files.push(installKernelSpec(userJupyterDataDir()));
  return files;
}

export type UninstallOutcome = 'removed' | 'absent' | 'foreign';

/**
 * Removes `<dataDir>/kernels/tslab` when it is this course's kernelspec (its tslab is inside
 * the course) or a broken one (its tslab or node is gone: a moved or deleted checkout);
 * a working kernelspec of another tslab is 'foreign' and kept unless `force`.
 */
export function uninstallKernelSpec(dataDir: string, force = false, root = projectRoot()): UninstallOutcome {
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  if (!fs.existsSync(dir)) return 'absent';
  const spec = readKernelSpec(dataDir);
  const ours = spec !== null && Array.isArray(spec.argv) && typeof spec.argv[1] === 'string' && isInside(spec.argv[1], root);
  if (!force && !ours && kernelSpecWorks(spec)) return 'foreign';
  fs.rmSync(dir, { recursive: true, force: true });
  return 'removed';
}

export async function main(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    console.log(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'install') {
    const unknown = rest.filter((a) => a !== '--user');
    if (unknown.length > 0) {
      console.error(`gan-course kernel install: unknown argument ${unknown[0]} (only --user)`);
      return 2;
    }
    for (const f of installKernel(rest.includes('--user'))) console.log(`kernelspec '${KERNEL_NAME}' written to ${f}`);
    return 0;
  }
  if (sub === 'uninstall') {
    const unknown = rest.filter((a) => a !== '--user' && a !== '--force');
    if (unknown.length > 0) {
      console.error(`gan-course kernel uninstall: unknown argument ${unknown[0]} (only --user, --force)`);
      return 2;
    }
    const force = rest.includes('--force');
    const dirs: Array<[string, string]> = [['project', localJupyterDir()]];
    if (rest.includes('--user')) dirs.push(['user', userJupyterDataDir()]);
    let code = 0;
    for (const [label, dir] of dirs) {
      const where = path.join(dir, 'kernels', KERNEL_NAME);
      const outcome = uninstallKernelSpec(dir, force);
      if (outcome === 'removed') console.log(`${label.padEnd(8)} ${where}: removed`);
      else if (outcome === 'absent') console.log(`${label.padEnd(8)} ${where}: not installed`);
      else {
        const spec = readKernelSpec(dir);
        console.error(`${label.padEnd(8)} ${where}: kept, it runs another tslab (${spec?.argv[1] ?? '?'}), not this course's; --force removes it`);
        code = 1;
      }
    }
    return code;
  }
  if (sub === 'status') {
    let ok = false;
    for (const [label, dir] of [
      ['project', localJupyterDir()],
      ['user', userJupyterDataDir()],
    ]) {
      const spec = readKernelSpec(dir);
      const works = kernelSpecWorks(spec);
      ok = ok || works;
      const state = spec === null ? 'not installed' : works ? 'installed' : `installed but broken (${spec.argv.slice(0, 2).join(' ')} missing)`;
      console.log(`${label.padEnd(8)} ${path.join(dir, 'kernels', KERNEL_NAME)}: ${state}`);
    }
    return ok ? 0 : 1;
  }
  console.error(`gan-course kernel: unknown subcommand '${sub}' (install, uninstall, status)`);
  return 2;
}
