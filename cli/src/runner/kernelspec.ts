/**
 * The project's Jupyter kernelspec `tslab` and where it is installed.
 *
 * Jupyter finds kernels in `<data dir>/kernels/<name>/kernel.json` for every data dir on
 * JUPYTER_PATH, then the user's data dir, then the system dirs. The project-local dir
 * `.jupyter-local` is put on JUPYTER_PATH for the Jupyter processes we launch; `--user`
 * installs into the user's data dir, which VS Code and a plain `jupyter lab` also search.
 */
// The paths module alone: the package's entry point would load TensorFlow.js.
import { courseRoot } from 'kernel-helpers/dist/core/paths';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const KERNEL_NAME = 'tslab';
export const KERNEL_LANGUAGE = 'typescript';
export const KERNEL_DISPLAY_NAME = 'TypeScript (tslab)';

/**
 * The notebook metadata Jupyter writes when it opens a notebook on this kernel: the
 * registered kernelspec and tslab 1.0.22's language_info. Notebooks committed with exactly
 * this open without "unsaved changes".
 */
export const NOTEBOOK_METADATA = {
  kernelspec: { name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: 'typescript' },
  language_info: {
    name: 'typescript',
    version: '3.7.2',
    mimetype: 'text/typescript',
    file_extension: '.ts',
    codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
  },
} as const;

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'signal' | 'message';
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

/** The repository root, as the library computes it. */
export function projectRoot(): string {
  return courseRoot();
}

/** Absolute path of the tslab launcher installed by `npm ci`. */
export function tslabBin(root = projectRoot()): string {
  let pkg: string;
  try {
    pkg = require.resolve('tslab/package.json', { paths: [root] });
  } catch {
    throw new Error(`tslab is not installed under ${root}/node_modules: run \`npm ci\` in ${root}`);
  }
  return path.join(path.dirname(pkg), 'bin', 'tslab');
}

/** The course's kernel launcher: the project's tslab with hints under common errors. */
export function courseKernelBin(root = projectRoot()): string {
  tslabBin(root); // the same clear error when tslab is missing
  return path.join(root, 'cli', 'dist', 'kernel', 'tslabKernel.js');
}

/** The kernelspec: this Node binary runs the project's own tslab (no global install). */
export function kernelSpec(root = projectRoot(), nodePath = process.execPath): KernelSpec {
  return {
    argv: [nodePath, courseKernelBin(root), 'kernel', '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: KERNEL_LANGUAGE,
    interrupt_mode: 'signal',
  };
}

/** The project-local Jupyter data dir. */
export function localJupyterDir(root = projectRoot()): string {
  return path.join(root, '.jupyter-local');
}

/** The user's Jupyter data dir, as `jupyter --data-dir` computes it. */
export function userJupyterDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Jupyter');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'jupyter');
  const xdg = env.XDG_DATA_HOME && env.XDG_DATA_HOME.trim() !== '' ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'jupyter');
}

/** Writes `<dataDir>/kernels/tslab/kernel.json`; returns the kernel.json path. */
export function installKernelSpec(dataDir: string, root = projectRoot()): string {
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'kernel.json');
  fs.writeFileSync(file, JSON.stringify(kernelSpec(root), null, 2) + '\n');
  return file;
}

/** Reads an installed kernelspec, or null when there is none (or it is unreadable). */
export function readKernelSpec(dataDir: string): KernelSpec | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, 'kernels', KERNEL_NAME, 'kernel.json'), 'utf8')) as KernelSpec;
  } catch {
    return null;
  }
}

/** True when an installed spec launches a tslab that exists with a node that exists. */
export function kernelSpecWorks(spec: KernelSpec | null): boolean {
  if (!spec || !Array.isArray(spec.argv) || spec.argv.length < 2) return false;
  return fs.existsSync(spec.argv[0]) && fs.existsSync(spec.argv[1]);
}

/** Environment for Jupyter processes we start: the project-local data dir first on JUPYTER_PATH. */
export function jupyterEnv(root = projectRoot(), base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const local = localJupyterDir(root);
  const rest = (base.JUPYTER_PATH ?? '').split(path.delimiter).filter((p) => p !== '' && p !== local);
  return { ...base, JUPYTER_PATH: [local, ...rest].join(path.delimiter) };
}
