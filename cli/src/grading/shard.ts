/**
 * Grading a class on several machines: `grade --shard K/N` grades the students whose name
 * hashes to share K (SHA-256 of the folder name, modulo N: stable when students are added,
 * independent of the order folders are listed in), and `grade --merge <outs...> --out <dir>`
 * joins the shards' outputs into the gradebook and feedback a one-shot run writes. With
 * SOURCE_DATE_EPOCH set (seconds), every run's `gradedAt` is that time, so merged and one-shot
 * gradebooks are identical byte for byte; without it the merged `gradedAt` is the latest
 * shard's.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Gradebook, gradebookCsv, gradebookJson, StudentTotal } from './gradebook';
import { ExerciseResult } from './score';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

export function shardOf(student: string, n: number): number {
  return createHash('sha256').update(student, 'utf8').digest().readUInt32BE(0) % n;
}

/** Whether `student` is in shard k (1-based) of n. */
export function inShard(student: string, k: number, n: number): boolean {
  return shardOf(student, n) === k - 1;
}

/** "K/N" as numbers, or an error sentence. */
export function parseShard(text: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1) || !(k >= 1 && k <= n) || n > 10_000) throw new Error(`--shard must be K/N with 1 <= K <= N (e.g. 3/8), got "${text}"`);
  return { k, n };
}

/** The gradebook's time: SOURCE_DATE_EPOCH when set (reproducible runs), else now. */
export function gradedAtNow(env: NodeJS.ProcessEnv = process.env): string {
  const e = env.SOURCE_DATE_EPOCH;
  if (e !== undefined && /^\d+$/.test(e)) return new Date(Number(e) * 1000).toISOString();
  return new Date().toISOString();
}

const OUTPUTS = ['gradebook.csv', 'gradebook.json', 'feedback'];

export interface MergeResult {
  students: StudentTotal[];
  rows: ExerciseResult[];
  gradebookCsv: string;
  gradebookJson: string;
}

export function mergeShards(dirs: string[], outDir: string, force = false): MergeResult {
  if (dirs.length === 0) throw new MergeError('--merge needs the output folders of the shards');
  const books: Array<{ dir: string; book: Gradebook }> = [];
  for (const d of dirs) {
    const file = path.join(d, 'gradebook.json');
    let book: Gradebook;
    try {
      book = JSON.parse(fs.readFileSync(file, 'utf8')) as Gradebook;
    } catch (e) {
      throw new MergeError(`${file}: cannot read a gradebook (${(e as Error).message})`);
    }
    if (!book.shard) throw new MergeError(`${file}: not a shard's gradebook (graded without --shard)`);
    books.push({ dir: d, book });
  }
  const first = books[0].book;
  const n = first.shard!.n;
  const seen = new Map<number, string>();
  for (const { dir, book } of books) {
    const s = book.shard!;
    const differs = (what: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new MergeError(`${dir}: ${what} differs from ${books[0].dir}'s; not the same grading run`);
    };
    differs('the shard count', s.n, n);
    differs('the assignment', book.assignment, first.assignment);
    differs('the isolation', book.isolation, first.isolation);
    differs("the course library's hash", book.library?.sha256, first.library?.sha256);
    differs('the class (its list of students)', s.allStudents, first.shard!.allStudents);
    if (seen.has(s.k)) throw new MergeError(`${dir}: shard ${s.k}/${n} again (also in ${seen.get(s.k)})`);
    seen.set(s.k, dir);
    for (const st of book.students) {
      if (!inShard(st.student, s.k, n)) throw new MergeError(`${dir}: student ${st.student} does not belong to shard ${s.k}/${n}`);
    }
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length) throw new MergeError(`shard(s) ${missing.map((k) => `${k}/${n}`).join(', ')} missing; nothing was written`);
  const existing = OUTPUTS.filter((f) => fs.existsSync(path.join(outDir, f)));
  if (existing.length && !force) throw new MergeError(`--out ${outDir}: already holds ${existing.join(', ')}; nothing was overwritten (choose another folder or pass --force)`);

  // As a one-shot run orders them: rows by the class's sorted student list, totals by name.
  const order = new Map(first.shard!.allStudents.map((s, i) => [s, i]));
  const byStudent = new Map<string, ExerciseResult[]>();
  for (const { book } of books) for (const r of book.rows) byStudent.set(r.student, [...(byStudent.get(r.student) ?? []), r]);
  const rows = [...byStudent.keys()].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)).flatMap((s) => byStudent.get(s)!);
  const students = books.flatMap(({ book }) => book.students).sort((a, b) => a.student.localeCompare(b.student));
  const gradedAt = books.map(({ book }) => book.gradedAt).sort().pop()!;
  const merged: Gradebook = { assignment: first.assignment, gradedAt, isolation: first.isolation, ...(first.library ? { library: first.library } : {}), students, rows };
  // Key order as gradeClass writes it.
  const ordered = JSON.parse(JSON.stringify({ assignment: merged.assignment, gradedAt, isolation: merged.isolation, library: merged.library, students, rows })) as Gradebook;

  fs.mkdirSync(outDir, { recursive: true });
  if (force) for (const f of OUTPUTS) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
  for (const { dir } of books) {
    const fb = path.join(dir, 'feedback');
    if (fs.existsSync(fb)) fs.cpSync(fb, path.join(outDir, 'feedback'), { recursive: true });
  }
  const csvPath = path.join(outDir, 'gradebook.csv');
  const jsonPath = path.join(outDir, 'gradebook.json');
  fs.writeFileSync(csvPath, gradebookCsv(rows));
  fs.writeFileSync(jsonPath, gradebookJson(ordered));
  return { students, rows, gradebookCsv: csvPath, gradebookJson: jsonPath };
}
