/**
 * The course library the grading kernels load (kernel-helpers' package.json and dist/),
 * fixed by SHA-256 when grading starts and verified before every graded notebook: a file
 * changed, added or removed during the run (a planted module) stops grading before another
 * kernel loads it. At the start, a compiled file with no source in kernel-helpers/src (left
 * in dist/ by someone, surviving `npm run build`) stops it too.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../runner';

export interface LibraryManifest {
  /** The kernel-helpers folder. */
  dir: string;
  /** Path (relative to dir, with /) -> SHA-256 hex. */
  files: Map<string, string>;
  /** SHA-256 over the sorted list of paths and hashes: one line in the gradebook. */
  digest: string;
}

function walk(dir: string, rel: string, out: string[]): void {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(dir, r, out);
    else out.push(r); // files and links alike: a link is hashed as what it points to, or fails
  }
}

function hashFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function libraryManifest(root = projectRoot()): LibraryManifest {
  const dir = path.join(root, 'kernel-helpers');
  const rels: string[] = ['package.json'];
  if (fs.existsSync(path.join(dir, 'dist'))) walk(dir, 'dist', rels);
  rels.sort();
  const files = new Map<string, string>();
  for (const r of rels) files.set(r, hashFile(path.join(dir, r)));
  const digest = createHash('sha256')
    .update([...files].map(([r, h]) => `${h}  ${r}\n`).join(''))
    .digest('hex');
  return { dir, files, digest };
}

/** What differs between the library now and the manifest; empty when nothing does. */
export function verifyLibrary(m: LibraryManifest): string[] {
  let now: LibraryManifest;
  try {
    now = libraryManifest(path.dirname(m.dir));
  } catch (e) {
    return [`the course library cannot be read (${(e as Error).message})`];
  }
  const problems: string[] = [];
  for (const [r, h] of m.files) {
    const h2 = now.files.get(r);
    if (h2 === undefined) problems.push(`kernel-helpers/${r}: removed`);
    else if (h2 !== h) problems.push(`kernel-helpers/${r}: changed`);
  }
  for (const r of now.files.keys()) if (!m.files.has(r)) problems.push(`kernel-helpers/${r}: added`);
  return problems;
}

/** Compiled files in dist/ that no source in src/ produces (planted, or left from a deleted file). */
export function unbuiltLibraryFiles(root = projectRoot()): string[] {
  const dir = path.join(root, 'kernel-helpers');
  const rels: string[] = [];
  if (!fs.existsSync(path.join(dir, 'dist'))) return [];
  walk(dir, 'dist', rels);
  const out: string[] = [];
  for (const r of rels) {
    const m = /^dist\/(.*?)(\.d\.ts|\.js|\.js\.map|\.d\.ts\.map)$/.exec(r);
    const stem = m ? m[1] : null;
    if (stem === null || (!fs.existsSync(path.join(dir, 'src', `${stem}.ts`)) && !fs.existsSync(path.join(dir, 'src', `${stem}.tsx`)))) out.push(`kernel-helpers/${r}`);
  }
  return out.sort();
}
