/**
 * Where the course's files are, computed in one place: the course root is the folder that
 * holds `kernel-helpers/` (the repository root), whether this file runs from `src/` (tests,
 * through tsx) or from `dist/` (the built package, notebooks, the CLI).
 */
import * as fs from 'fs';
import * as path from 'path';

let cached: string | null = null;

/** The `kernel-helpers` package folder (the one with its package.json). */
export function libraryRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kernel-helpers') return (cached = dir);
      } catch {
        // an unreadable package.json on the way up: keep looking
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`kernel-helpers: cannot find the package folder above ${__dirname}`);
  }
}

/** The repository root: the course's notebooks/, data/ and kernel-helpers/ are in it. */
export function courseRoot(): string {
  return path.dirname(libraryRoot());
}

/** A file shipped in the course's `data/` folder. */
export function courseDataFile(name: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('..') || path.isAbsolute(name)) {
    throw new Error(`courseDataFile: name must be a file name inside data/, got ${JSON.stringify(name)}`);
  }
  return path.join(courseRoot(), 'data', name);
}
