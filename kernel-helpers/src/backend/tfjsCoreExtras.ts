/**
 * Registers tfjs-core's gradients and its method-style ("chained") ops in plain Node.
 *
 * tfjs-core ships these two side-effect modules only as ES modules with extension-less
 * relative imports (`dist/register_all_gradients.js`, `dist/public/chained_ops/...`); its
 * CommonJS bundle (`tf-core.node.js`, what `require('@tensorflow/tfjs-core')` loads) has
 * neither. Node cannot load those ES modules (and tslab compiles notebooks to CommonJS), so
 * they are bundled once into one CommonJS file with esbuild (installed with tsx) and cached
 * under node_modules/.cache. The bundle holds a private copy of the tfjs-core internals the
 * gradients use; that works because tfjs-core keeps its engine, kernel and gradient
 * registries and Tensor class in globals shared by every copy.
 * Where esbuild is missing and nothing is cached, a plain `require` is tried (it works under
 * tsx, which transpiles ES modules on the fly).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ENTRIES = [
  '@tensorflow/tfjs-core/dist/register_all_gradients',
  '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops',
];

function coreVersion(): string {
  return (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
}

function cacheDirs(): string[] {
  const pkg = require.resolve('@tensorflow/tfjs-core/package.json');
  const nodeModules = path.resolve(path.dirname(pkg), '..', '..');
  return [path.join(nodeModules, '.cache', 'gan-course'), path.join(os.tmpdir(), 'gan-course-cache')];
}

function bundleName(): string {
  return `tfjs-core-${coreVersion()}-gradients-chained-ops.cjs`;
}

function buildBundle(): string {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const resolveDir = path.dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
  const res = esbuild.buildSync({
    stdin: { contents: ENTRIES.map((e) => `require(${JSON.stringify(e)});`).join('\n'), resolveDir, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    write: false,
    logLevel: 'silent',
  });
  return res.outputFiles[0].text;
}

function writeCache(text: string): string | null {
  for (const dir of cacheDirs()) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, bundleName());
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
      return file;
    } catch {
      // try the next location
    }
  }
  return null;
}

let done = false;

export function registerGradientsAndChainedOps(): void {
  if (done) return;
  const cached = cacheDirs().map((d) => path.join(d, bundleName())).find((f) => fs.existsSync(f) && fs.statSync(f).size > 0);
  if (cached) {
    require(cached);
    done = true;
    return;
  }
  let bundleError: unknown = null;
  try {
    const text = buildBundle();
    const file = writeCache(text);
    if (file) {
      require(file);
    } else {
      // Nowhere to cache: compile it in memory.
      const Module = require('module') as { new (id: string): { _compile(code: string, file: string): void; exports: unknown } };
      const m = new Module(bundleName());
      m._compile(text, path.join(os.tmpdir(), bundleName()));
    }
    done = true;
    return;
  } catch (e) {
    bundleError = e;
  }
  try {
    for (const e of ENTRIES) require(e);
    done = true;
  } catch (e) {
    throw new Error(
      `cannot register the tfjs-core gradients in this Node (${(e as Error).message.split('\n')[0]}); ` +
      `bundling them with esbuild failed too (${(bundleError as Error)?.message?.split('\n')[0]}). ` +
      'Run `npm install` at the course root so that the dev dependency esbuild (through tsx) is present.');
  }
}
