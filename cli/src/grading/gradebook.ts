/** The gradebook: one row per student, notebook and exercise, as CSV and JSON. */
import { ExerciseResult } from './score';

export const GRADEBOOK_COLUMNS = ['student', 'notebook', 'exercise', 'points', 'max', 'status', 'message', 'flagged'] as const;

/**
 * One CSV field. A text starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be
 * taken for a formula by a spreadsheet (an error message or folder name a student chose):
 * it gets a leading `'`, as OWASP's CSV-injection advice says. Numbers are written as they are.
 */
export function csvField(v: string | number | boolean): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row; opens in any spreadsheet. */
export function gradebookCsv(rows: ExerciseResult[]): string {
  const lines = [GRADEBOOK_COLUMNS.join(',')];
  for (const r of rows) lines.push(GRADEBOOK_COLUMNS.map((k) => csvField(r[k])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export interface StudentTotal {
  student: string;
  points: number;
  max: number;
  notes: string[];
}

export interface Gradebook {
  assignment: string;
  gradedAt: string;
  /** How the kernels ran (the sandbox, or none). */
  isolation?: string;
  /** The course library the kernels loaded: SHA-256 over its files' hashes. */
  /** What the kernels loaded: its digest, file count, where it came from, and (trusted runs) dist files no source accounts for. */
  library?: { sha256: string; files: number; from?: string; unbuilt?: string[] };
  students: StudentTotal[];
  rows: ExerciseResult[];
  /** Only in a shard's gradebook: which share, and every student of the class (sorted). */
  shard?: { k: number; n: number; allStudents: string[] };
}

export function gradebookJson(book: Gradebook): string {
  return JSON.stringify(book, null, 2) + '\n';
}

export function totals(rows: ExerciseResult[], notes: Map<string, string[]>): StudentTotal[] {
  const by = new Map<string, StudentTotal>();
  for (const r of rows) {
    const t = by.get(r.student) ?? { student: r.student, points: 0, max: 0, notes: notes.get(r.student) ?? [] };
    t.points += r.points;
    t.max += r.max;
    by.set(r.student, t);
  }
  for (const [student, n] of notes) if (!by.has(student)) by.set(student, { student, points: 0, max: 0, notes: n });
  return [...by.values()].sort((a, b) => a.student.localeCompare(b.student));
}
