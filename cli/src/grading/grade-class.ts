/**
 * `gan-course grade`: every student's submission of every teacher notebook, at most two
 * students at a time, into a gradebook (CSV + JSON) and feedback notebooks.
 *
 * Layout: `<submissions>/<student>/**\/<notebook>.ipynb`, notebooks named as released.
 * Problems with the teacher's side (missing folder, format errors) stop everything before
 * anything is written; problems with one submission become that student's rows.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Notebook, readNotebook, serializeNotebook } from '../runner';
import { assertExerciseFormat, listExercises } from './exercise-format';
import { gradebookCsv, gradebookJson, totals, StudentTotal } from './gradebook';
import { gradeSubmission } from './grade-submission';
import { GradingLimits } from './run-graded';
import { ExerciseResult, unGradedRows } from './score';

export class GradingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GradingInputError';
  }
}

export interface GradeClassOptions {
  sourceDir: string;
  /** The release folder `assign` wrote: only the notebooks in it are graded (default: all of sourceDir's). */
  releaseDir?: string;
  submissionsDir: string;
  outDir: string;
  /** Students graded at once (1 or 2; the machine has two cores). */
  jobs?: number;
  quick?: boolean;
  limits?: Partial<GradingLimits>;
  /** Replace an existing gradebook in outDir. */
  force?: boolean;
  log?: (line: string) => void;
}

export interface GradeClassResult {
  rows: ExerciseResult[];
  students: StudentTotal[];
  /** Submissions (or files) that could not be graded, as sentences naming the file. */
  errors: string[];
  ms: number;
  gradebookCsv: string;
  gradebookJson: string;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function findNotebooks(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue; // .ipynb_checkpoints and other hidden folders
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findNotebooks(p));
    else if (e.isFile() && e.name.endsWith('.ipynb')) out.push(p);
  }
  return out.sort();
}

/**
 * Loads and checks the teacher's notebooks (those named in `releaseDir` when given); throws
 * naming every problem.
 */
export function loadTeacherNotebooks(sourceDir: string, releaseDir?: string): Map<string, { file: string; nb: Notebook }> {
  if (!isDir(sourceDir)) throw new GradingInputError(`--source ${sourceDir}: no such folder (the teacher's notebooks, with solutions)`);
  let files = fs.readdirSync(sourceDir).filter((f) => f.endsWith('.ipynb')).sort();
  if (releaseDir !== undefined) {
    if (!isDir(releaseDir)) throw new GradingInputError(`--release ${releaseDir}: no such folder (the folder \`assign\` wrote)`);
    const released = fs.readdirSync(releaseDir).filter((f) => f.endsWith('.ipynb')).sort();
    if (released.length === 0) throw new GradingInputError(`--release ${releaseDir}: no .ipynb notebooks in it`);
    const missing = released.filter((f) => !files.includes(f));
    if (missing.length) {
      throw new GradingInputError(missing.map((f) => `${path.join(releaseDir, f)}: no teacher version ${f} in ${sourceDir}; nothing was graded`).join('\n'));
    }
    files = released;
  }
  if (files.length === 0) throw new GradingInputError(`--source ${sourceDir}: no .ipynb notebooks in it`);
  const out = new Map<string, { file: string; nb: Notebook }>();
  const problems: string[] = [];
  for (const f of files) {
    const file = path.join(sourceDir, f);
    try {
      const nb = readNotebook(file);
      assertExerciseFormat(nb, file);
      if (listExercises(nb).length === 0) problems.push(`${file}: has no test cells (nothing to grade)`);
      out.set(f, { file, nb });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length) throw new GradingInputError(`the teacher's notebooks have problems; nothing was graded:\n${problems.join('\n')}`);
  return out;
}

const OUTPUTS = ['gradebook.csv', 'gradebook.json', 'feedback'];

/**
 * A fresh working folder for one graded run, next to the teacher's notebook so that
 * `kernel-helpers` resolves from it as from the notebook: files a submission writes with
 * relative paths land there and are removed afterwards. (Student code still runs with the
 * grader's rights; see docs/exercises.md.) Falls back to the notebook's folder if it is
 * read-only.
 */
function scratchDir(notebookDir: string, student: string): { dir: string; remove: () => void } {
  try {
    const base = path.join(notebookDir, '.grading-work');
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, `${student.replace(/[^\w.-]/g, '_')}-`));
    return {
      dir,
      remove: () => {
        fs.rmSync(dir, { recursive: true, force: true });
        try {
          fs.rmdirSync(base); // only if no other run is using it
        } catch {
          /* still in use */
        }
      },
    };
  } catch {
    return { dir: notebookDir, remove: () => undefined };
  }
}

export async function gradeClass(o: GradeClassOptions): Promise<GradeClassResult> {
  const t0 = Date.now();
  const log = o.log ?? (() => undefined);
  const teachers = loadTeacherNotebooks(o.sourceDir, o.releaseDir);
  if (!isDir(o.submissionsDir)) throw new GradingInputError(`--submissions ${o.submissionsDir}: no such folder (one folder per student)`);
  const students = fs
    .readdirSync(o.submissionsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (students.length === 0) throw new GradingInputError(`--submissions ${o.submissionsDir}: no student folders in it (expected <submissions>/<student>/<notebook>.ipynb)`);
  const existing = OUTPUTS.filter((f) => fs.existsSync(path.join(o.outDir, f)));
  if (existing.length && !o.force) {
    throw new GradingInputError(`--out ${o.outDir}: already holds ${existing.join(', ')}; nothing was overwritten (choose another folder or pass --force)`);
  }
  if (path.resolve(o.outDir).startsWith(path.resolve(o.submissionsDir) + path.sep)) {
    throw new GradingInputError(`--out ${o.outDir}: must not be inside --submissions (it would be taken for a student)`);
  }

  const jobs = Math.max(1, Math.min(2, Math.floor(o.jobs ?? 2)));
  const rowsByStudent = new Map<string, ExerciseResult[]>();
  const notes = new Map<string, string[]>();
  const errors: string[] = [];
  const feedbackDir = path.join(o.outDir, 'feedback');

  async function gradeStudent(student: string): Promise<void> {
    const dir = path.join(o.submissionsDir, student);
    const files = findNotebooks(dir);
    const byName = new Map<string, string>();
    const rows: ExerciseResult[] = [];
    const studentNotes: string[] = [];
    for (const f of files) {
      const name = path.basename(f);
      if (byName.has(name)) {
        const msg = `${f}: a second ${name} in ${dir} (the first, ${byName.get(name)}, is graded)`;
        studentNotes.push(msg);
        errors.push(msg);
        continue;
      }
      if (!teachers.has(name)) {
        const msg = `${f}: no teacher version of ${name} in ${o.sourceDir}; not graded (a submission for another assignment, or a renamed notebook?)`;
        studentNotes.push(msg);
        errors.push(msg);
        rows.push({ student, notebook: name, exercise: '-', points: 0, max: 0, status: 'error', message: msg, flagged: false });
        continue;
      }
      byName.set(name, f);
    }
    for (const [name, { file, nb }] of teachers) {
      const sub = byName.get(name);
      if (!sub) {
        rows.push(...unGradedRows(student, name, nb, 'missing', `no ${name} in ${dir}`));
        continue;
      }
      const t = Date.now();
      const work = scratchDir(path.dirname(path.resolve(file)), student);
      let g;
      try {
        g = await gradeSubmission({
          student,
          notebook: name,
          teacher: nb,
          submissionFile: sub,
          cwd: work.dir,
          quick: o.quick ?? true,
          limits: o.limits,
          log,
        });
      } finally {
        work.remove();
      }
      rows.push(...g.rows);
      studentNotes.push(...g.notes.map((n) => `${name}: ${n}`));
      const bad = g.rows.find((r) => r.status === 'error');
      if (bad) errors.push(bad.message.includes(sub) ? bad.message : `${sub}: ${bad.message}`);
      if (g.feedback) {
        const out = path.join(feedbackDir, student, name);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, serializeNotebook(g.feedback));
      }
      const pts = g.rows.reduce((s, r) => s + r.points, 0);
      const max = g.rows.reduce((s, r) => s + r.max, 0);
      log(`${student}/${name}: ${pts} / ${max} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    rowsByStudent.set(student, rows);
    if (studentNotes.length) notes.set(student, studentNotes);
  }

  fs.mkdirSync(o.outDir, { recursive: true });
  let next = 0;
  const workers = Array.from({ length: Math.min(jobs, students.length) }, async () => {
    while (next < students.length) {
      const s = students[next++];
      await gradeStudent(s);
    }
  });
  await Promise.all(workers);

  const rows = students.flatMap((s) => rowsByStudent.get(s) ?? []);
  const book = {
    assignment: path.basename(path.resolve(o.sourceDir)),
    gradedAt: new Date().toISOString(),
    students: totals(rows, notes),
    rows,
  };
  const csvPath = path.join(o.outDir, 'gradebook.csv');
  const jsonPath = path.join(o.outDir, 'gradebook.json');
  fs.writeFileSync(csvPath, gradebookCsv(rows));
  fs.writeFileSync(jsonPath, gradebookJson(book));
  return { rows, students: book.students, errors, ms: Date.now() - t0, gradebookCsv: csvPath, gradebookJson: jsonPath };
}
