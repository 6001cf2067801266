/**
 * Loading ESM-only packages (vega 6, vega-lite 6) from this CommonJS library.
 *
 * vega 6 is an ES module with top-level await, so `require('vega')` fails with
 * ERR_REQUIRE_ASYNC_MODULE. TypeScript compiling to CommonJS rewrites a literal `import()`
 * into `require()`, so the dynamic import is built with `new Function`, which tsc leaves
 * alone; Node then performs a real ESM import. The specifier is resolved to an absolute
 * file URL first, because code created by `new Function` has no module of its own to
 * resolve bare names against (under tslab the working directory is the notebook's folder).
 */
import * as path from 'path';
import { pathToFileURL } from 'url';

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

const cache = new Map<string, Promise<unknown>>();

/** Imports an ES module package by name (resolved from this library's location). */
export function importEsm<T>(packageName: string): Promise<T> {
  let p = cache.get(packageName);
  if (!p) {
    let resolved: string;
    try {
      resolved = require.resolve(packageName, { paths: [__dirname, process.cwd()] });
    } catch (e) {
      throw new Error(`cannot find package '${packageName}' (needed for chart rendering): ${(e as Error).message}`);
    }
    const url = path.isAbsolute(resolved) ? pathToFileURL(resolved).href : resolved;
    p = nativeImport(url);
    p.catch(() => cache.delete(packageName));
    cache.set(packageName, p);
  }
  return p as Promise<T>;
}

/** The ES module packages the charts load on first use. */
export const CHART_ESM_PACKAGES: readonly string[] = ['vega', 'vega-lite'];

/**
 * Loads them now. The grader's prelude does, before it freezes the intrinsics: vega-lite
 * adds `Set.prototype.toJSON` when it loads, which a frozen realm refuses.
 */
export async function preloadChartModules(): Promise<void> {
  await Promise.all(CHART_ESM_PACKAGES.map((p) => importEsm(p)));
}
