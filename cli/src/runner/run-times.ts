/**
 * Each notebook's last successful run time, per mode, in build/run-times.json, so that
 * `gan-course run --jobs N` starts the longest notebooks first (a short one left for the
 * end fills the gap while the other job finishes a long one). In CI the quick stage's
 * times order the full stage of the same run: the long chapters are long in both modes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from './kernelspec';

export type RunMode = 'quick' | 'full';
type Times = Partial<Record<RunMode, Record<string, number>>>;

export function runTimesFile(root = projectRoot()): string {
  return path.join(root, 'build', 'run-times.json');
}

/**
 * Times shipped with the course (one CI run's, same layout as the record), for a fresh
 * checkout with no record of the mode about to run: the quick times are a poor guide to the
 * full ones (chapter 10 takes 35 s quick and 240 s full, chapter 4 35 s and 286 s).
 */
export function shippedRunTimesFile(root = projectRoot()): string {
  return path.join(root, 'cli', 'expected-run-times.json');
}

function keyOf(nb: string, file: string): string {
  return path.relative(path.dirname(path.dirname(file)), path.resolve(nb)).split(path.sep).join('/');
}

function readTimes(file: string): Times {
  try {
    const t = JSON.parse(fs.readFileSync(file, 'utf8')) as Times;
    return t && typeof t === 'object' ? t : {};
  } catch {
    return {};
  }
}

/** Merges these runs' times into the record; a record that cannot be written is only a lost hint. */
export function recordRunTimes(file: string, mode: RunMode, runs: { path: string; ms: number }[]): void {
  if (runs.length === 0) return;
  try {
    const t = readTimes(file);
    const m = (t[mode] = t[mode] ?? {});
    for (const r of runs) m[keyOf(r.path, file)] = Math.round(r.ms);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(t, null, 1) + '\n');
    fs.renameSync(tmp, file);
  } catch {
    // read-only checkout, full disk: the next run starts in file-size order
  }
}

function sizeOf(nb: string): number {
  try {
    return fs.statSync(nb).size;
  } catch {
    return 0;
  }
}

/**
 * Indices of `notebooks` in start order: longest recorded time first (this mode's record,
 * else the shipped times of this mode, else the other mode's record, whichever first has
 * any of them); notebooks without a time there go before those (a new chapter may be
 * long), largest file first.
 */
export function longestFirst(notebooks: string[], mode: RunMode, file: string, shippedFile?: string): number[] {
  const t = readTimes(file);
  const shipped = shippedFile ? readTimes(shippedFile) : {};
  const other: RunMode = mode === 'quick' ? 'full' : 'quick';
  const keys = notebooks.map((nb) => keyOf(nb, file));
  const has = (times: Times, m: RunMode) => keys.some((k) => typeof times[m]?.[k] === 'number');
  const rec = has(t, mode) ? t[mode]! : has(shipped, mode) ? shipped[mode]! : has(t, other) ? t[other]! : {};
  const est = keys.map((k) => (typeof rec[k] === 'number' ? rec[k] : null));
  const size = notebooks.map(sizeOf);
  return notebooks
    .map((_, i) => i)
    .sort((a, b) => {
      const ea = est[a];
      const eb = est[b];
      if (ea === null && eb === null) return size[b] - size[a] || a - b;
      if (ea === null) return -1;
      if (eb === null) return 1;
      return eb - ea || a - b;
    });
}
