/**
 * The course library that sandboxed grading kernels load, made by the grader when grading
 * starts, in a folder of the run that only the grader writes:
 *   - JavaScript: every kernel-helpers/src/**\/*.ts compiled afresh by esbuild, one output
 *     file per source, with the package's target and its tsconfig (the compiler that, through
 *     tsx, runs the whole unit-test suite on these sources): about a second for the library;
 *   - types: the package's .d.ts files from kernel-helpers/dist, only those a source in src/
 *     accounts for. Types decide which calls a cell may make, never what runs;
 *   - package.json, whose `main` and `types` must point into dist/.
 * The sandbox mounts this folder as /course/kernel-helpers. So a kernel never loads what is in
 * kernel-helpers/dist or kernel-helpers/native:
 *   - a .js file planted in dist/ by an earlier, unsandboxed run survives `npm run build`,
 *     whose incremental build does not re-emit a source it thinks up to date;
 *   - native/ holds the native BLAS addon, a binary that no check of the sources can vouch
 *     for; without it the graded kernels run on the wasm kernels alone.
 * The manifest made of this folder is verified before every graded notebook, as before.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../runner';

export interface GradingLibrary {
  /** The folder that holds `kernel-helpers/` (what `libraryManifest` and the sandbox take). */
  root: string;
  /** JavaScript files transpiled. */
  modules: number;
  ms: number;
}

function walk(dir: string, rel: string, out: string[]): void {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(dir, r, out);
    else if (e.isFile()) out.push(r);
  }
}

/**
 * Builds the grading copy of the library of the course at `root` under `outRoot` (which must
 * not exist yet); esbuild is resolved from `tools` (the course's node_modules).
 */
export function buildGradingLibrary(outRoot: string, root = projectRoot(), tools = root): GradingLibrary {
  const t0 = Date.now();
  const src = path.join(root, 'kernel-helpers', 'src');
  const dist = path.join(root, 'kernel-helpers', 'dist');
  const pkgFile = path.join(root, 'kernel-helpers', 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { main?: unknown; types?: unknown };
  if (pkg.main !== 'dist/index.js' || pkg.types !== 'dist/index.d.ts') {
    throw new Error(`kernel-helpers/package.json: "main" must be "dist/index.js" and "types" "dist/index.d.ts", got ${JSON.stringify(pkg.main)} and ${JSON.stringify(pkg.types)}`);
  }
  if (!fs.existsSync(path.join(dist, 'index.d.ts'))) throw new Error('kernel-helpers/dist/index.d.ts is missing: build the library first (npm run build)');
  let esbuild: string;
  try {
    esbuild = require.resolve('esbuild/bin/esbuild', { paths: [tools] });
  } catch {
    throw new Error("esbuild is not installed in the course's node_modules (npm ci)");
  }
  const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { target?: string } };
  const target = (base.compilerOptions.target ?? 'ES2020').toLowerCase();

  const lib = path.join(outRoot, 'kernel-helpers');
  fs.mkdirSync(outRoot, { recursive: false, mode: 0o755 });
  fs.mkdirSync(path.join(lib, 'dist'), { recursive: true });
  fs.copyFileSync(pkgFile, path.join(lib, 'package.json'));
  const sources: string[] = [];
  walk(src, '', sources);
  const stems = new Set<string>();
  const entries: string[] = [];
  for (const rel of sources) {
    if (!rel.endsWith('.ts') || rel.endsWith('.d.ts')) continue;
    stems.add(rel.slice(0, -3));
    entries.push(path.join(src, rel));
  }
  // One short-lived esbuild process for every file (no bundling: one .js per source). Not
  // its in-process API, whose long-lived helper process the grader's reaper would kill.
  const r = spawnSync(esbuild, [...entries, `--outdir=${path.join(lib, 'dist')}`, `--outbase=${src}`, '--format=cjs', '--platform=node', `--target=${target}`, '--log-level=error'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(0, 6).join('\n');
    throw new Error(`kernel-helpers/src does not compile:\n${why.split(src + path.sep).join('kernel-helpers/src/')}`);
  }
  const modules = entries.length;
  const built: string[] = [];
  walk(dist, '', built);
  for (const rel of built) {
    if (!rel.endsWith('.d.ts') || !stems.has(rel.slice(0, -5))) continue;
    const target = path.join(lib, 'dist', rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(dist, rel), target);
  }
  return { root: outRoot, modules, ms: Date.now() - t0 };
}
