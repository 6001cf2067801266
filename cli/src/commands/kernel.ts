/** `gan-course kernel install [--user]` and `gan-course kernel status`. */
import * as path from 'path';
import {
  KERNEL_NAME,
  installKernelSpec,
  kernelSpecWorks,
  localJupyterDir,
  readKernelSpec,
  userJupyterDataDir,
} from '../runner';

export const summary = "register the 'tslab' TypeScript kernel with Jupyter (project-local, or --user)";

const HELP = `usage: gan-course kernel install [--user]
       gan-course kernel status

install         writes the kernelspec '${KERNEL_NAME}' to ${path.relative(process.cwd(), localJupyterDir()) || '.jupyter-local'}/kernels/${KERNEL_NAME}
                (used by 'npm start', which sets JUPYTER_PATH for the Jupyter it launches)
install --user  also writes it to your Jupyter data dir (${userJupyterDataDir()}),
                where VS Code, a plain 'jupyter lab' and nbconvert find it
status          shows where the kernelspec is installed and whether it still works`;

/** Installs the project-local kernelspec (and the user one); returns the files written. */
export function installKernel(user: boolean): string[] {
  const files = [installKernelSpec(localJupyterDir())];
  if (user) files.push(installKernelSpec(userJupyterDataDir()));
  return files;
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
  console.error(`gan-course kernel: unknown subcommand '${sub}' (install, status)`);
  return 2;
}
