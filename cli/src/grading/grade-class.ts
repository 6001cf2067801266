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
import * as os from 'os';
import { KernelSession, Notebook, parseNotebook, readNotebook, serializeNotebook, StartOptions } from '../runner';
import { computeChecksum } from './checksum';
import { cellText, gradeId, isSolution, isTracked } from './nbgrader-cell';
import { BEGIN_SOLUTION } from './markers';
import { NOT_IMPLEMENTED_MESSAGE } from 'kernel-helpers/dist/exercises/notImplemented';
import { studentCell } from './student-version';
import { assertExerciseFormat, listExercises } from './exercise-format';
import { gradebookCsv, gradebookJson, totals, StudentTotal } from './gradebook';
import { gradeSubmission, jsonDepth, MAX_JSON_DEPTH, SubmissionGrade } from './grade-submission';
import { Budget, DEFAULT_LIMITS, GradingLimits } from './run-graded';
import { createSandbox, reapDescendants, reapDescendantsSync, Sandbox, SandboxLimits, sandboxWorks } from './sandbox';
import { ExerciseResult, unGradedRows } from './score';
import { libraryManifest, unbuiltLibraryFiles, verifyLibrary } from './manifest';
import { buildGradingLibrary, GradingLibrary } from './library-build';
import { gradedAtNow, inShard } from './shard';

export class GradingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GradingInputError';
  }
}

/** The course library changed while grading ran: nothing graded after the change can be trusted. */
export class LibraryChangedError extends GradingInputError {}

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
  /**
   * Run every kernel in the OS sandbox (./sandbox.ts; default true). Without it student code
   * runs with the grader's rights: only for a trusted run (`grade --no-sandbox`).
   */
  sandbox?: boolean;
  sandboxLimits?: Partial<SandboxLimits>;
  /** Run the teacher's prelude (./prelude.ts) first in every kernel (default true; false only to measure what it stops). */
  prelude?: boolean;
  /** Grade only shard k of n (1-based; ./shard.ts); `grade --merge` joins the shards' outputs. */
  shard?: { k: number; n: number };
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
  /** How the kernels ran: the sandbox, or "none (--no-sandbox: a trusted run)". */
  isolation: string;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The notebooks in a student's folder. Symbolic links are not followed (one could point at
 * the teacher's files or a peer's): a linked notebook is listed, so that grading it reports
 * the link, and a linked folder is reported in `links`. Hidden folders (.ipynb_checkpoints)
 * are skipped.
 */
function findNotebooks(dir: string, links: string[], depth = 0): string[] {
  const out: string[] = [];
  if (depth > 20) {
    links.push(`${dir}: folders nested more than 20 deep; not searched further`);
    return out;
  }
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue; // .ipynb_checkpoints and other hidden folders
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) {
      if (e.name.endsWith('.ipynb')) out.push(p);
      else links.push(`${p}: is a symbolic link; not followed (nothing in it was graded)`);
    } else if (e.isDirectory()) out.push(...findNotebooks(p, links, depth + 1));
    else if (e.isFile() && e.name.endsWith('.ipynb')) out.push(p);
  }
  return out.sort();
}

/** A released (student) notebook: solution cells that hold the stub and no solution markers. */
export function isStudentVersion(nb: Notebook): boolean {
  const solutions = nb.cells.filter((c) => c.cell_type === 'code' && isSolution(c));
  if (solutions.length === 0) return false;
  return solutions.every((c) => {
    const t = cellText(c);
    return !t.includes(BEGIN_SOLUTION) && t.includes(NOT_IMPLEMENTED_MESSAGE);
  });
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
  const studentVersions: string[] = [];
  for (const f of files) {
    const file = path.join(sourceDir, f);
    try {
      const nb = readNotebook(file);
      if (isStudentVersion(nb)) {
        studentVersions.push(f);
        continue;
      }
      assertExerciseFormat(nb, file);
      if (listExercises(nb).length === 0) problems.push(`${file}: has no test cells (nothing to grade)`);
      out.set(f, { file, nb });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (studentVersions.length) {
    throw new GradingInputError(
      `--source ${sourceDir}: ${studentVersions.length === files.length ? 'holds the student versions' : `${studentVersions.join(', ')} ${studentVersions.length === 1 ? 'is a student version' : 'are student versions'}`} (solution cells are stubs, no BEGIN SOLUTION): point --source at the teacher's notebooks, with the solutions; nothing was graded`,
    );
  }
  if (problems.length) throw new GradingInputError(`the teacher's notebooks have problems; nothing was graded:\n${problems.join('\n')}`);
  return out;
}

const OUTPUTS = ['gradebook.csv', 'gradebook.json', 'feedback'];

/** Scratch folders of runs in progress, removed on SIGINT/SIGTERM too. */
const liveScratch = new Set<string>();

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
    liveScratch.add(dir);
    return {
      dir,
      remove: () => {
        liveScratch.delete(dir);
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

/**
 * While grading runs, Ctrl-C (SIGINT) or SIGTERM kills every kernel and removes every
 * scratch folder before the process exits (130 / 143); nothing is written.
 */
function onSignals(cleanup: () => void): () => void {
  const handler = (sig: NodeJS.Signals) => {
    try {
      cleanup();
    } finally {
      process.stderr.write(`\ngan-course grade: stopped by ${sig}; every kernel and scratch folder was removed, no gradebook written\n`);
      process.exit(sig === 'SIGINT' ? 130 : 143);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export function killEverything(): void {
  KernelSession.killAll();
  // A killed kernel may still be writing; removing its folder under it fails (ENOTEMPTY).
  reapDescendantsSync();
  for (const d of liveScratch) {
    try {
      fs.rmSync(d, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch (e) {
      process.stderr.write(`gan-course grade: could not remove ${d}: ${(e as Error).message}\n`);
    }
    try {
      fs.rmdirSync(path.dirname(d)); // .grading-work, unless another run uses it
    } catch {
      /* in use or gone */
    }
  }
  liveScratch.clear();
}

/** grade id -> checksum of every tracked cell of a teacher notebook, as released. */
const releasedChecksums = new WeakMap<Notebook, Map<string, string>>();
function checksumsOf(nb: Notebook): Map<string, string> {
  let m = releasedChecksums.get(nb);
  if (!m) {
    m = new Map();
    for (const c of nb.cells) {
      const id = gradeId(c);
      if (id && isTracked(c)) m.set(id, studentCell(c).metadata.nbgrader.checksum as string);
    }
    releasedChecksums.set(nb, m);
  }
  return m;
}

/**
 * The teacher notebook a renamed submission (`01-minimax (1).ipynb`) belongs to: the one
 * whose released cells it holds unchanged (same grade id and checksum; test and read-only
 * cells stay so), most of them; null when none (or the file is not a readable notebook).
 */
export function matchRenamed(file: string, teachers: Map<string, { nb: Notebook }>, maxBytes: number): string | null {
  let sub: Notebook;
  try {
    const st = fs.lstatSync(file);
    if (!st.isFile() || st.size > maxBytes) return null;
    sub = parseNotebook(fs.readFileSync(file, 'utf8'), file);
    if (jsonDepth(sub) > MAX_JSON_DEPTH) return null;
  } catch {
    return null;
  }
  let best: string | null = null;
  let bestScore = 0;
  for (const [name, { nb }] of teachers) {
    const sums = checksumsOf(nb);
    let score = 0;
    for (const c of sub.cells ?? []) {
      const id = gradeId(c);
      if (!id || !sums.has(id)) continue;
      let sum = '';
      try {
        sum = computeChecksum(c);
      } catch {
        /* not a tracked cell any more */
      }
      if (sum === sums.get(id)) score++;
    }
    if (score > bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}

/** The student folders of a submissions folder, and the entries that are not (symbolic links, files). */
export function listStudents(submissionsDir: string): { students: string[]; links: string[] } {
  const students: string[] = [];
  const links: string[] = [];
  for (const e of fs.readdirSync(submissionsDir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) students.push(e.name);
    else if (e.isSymbolicLink()) links.push(e.name);
  }
  return { students: students.sort(), links: links.sort() };
}

interface StudentOutcome {
  rows: ExerciseResult[];
  notes: string[];
  errors: string[];
  feedback: Array<{ notebook: string; nb: Notebook }>;
}

export async function gradeClass(o: GradeClassOptions): Promise<GradeClassResult> {
  const t0 = Date.now();
  const log = o.log ?? (() => undefined);
  const limits: GradingLimits = { ...DEFAULT_LIMITS, ...(o.limits ?? {}) };
  const teachers = loadTeacherNotebooks(o.sourceDir, o.releaseDir);
  if (!isDir(o.submissionsDir)) throw new GradingInputError(`--submissions ${o.submissionsDir}: no such folder (one folder per student)`);
  const { students: folders, links } = listStudents(o.submissionsDir);
  const allStudents = [...folders, ...links].sort();
  const students = o.shard ? allStudents.filter((s) => inShard(s, o.shard!.k, o.shard!.n)) : allStudents;
  if (allStudents.length === 0) throw new GradingInputError(`--submissions ${o.submissionsDir}: no student folders in it (expected <submissions>/<student>/<notebook>.ipynb)`);
  const existing = OUTPUTS.filter((f) => fs.existsSync(path.join(o.outDir, f)));
  if (existing.length && !o.force) {
    throw new GradingInputError(`--out ${o.outDir}: already holds ${existing.join(', ')}; nothing was overwritten (choose another folder or pass --force)`);
  }
  if (path.resolve(o.outDir).startsWith(path.resolve(o.submissionsDir) + path.sep)) {
    throw new GradingInputError(`--out ${o.outDir}: must not be inside --submissions (it would be taken for a student)`);
  }

  const useSandbox = o.sandbox ?? true;
  let isolation = 'none (--no-sandbox: a trusted run; student code ran with the grader\'s rights)';
  let runDir = '';
  let gradingLibrary: GradingLibrary | null = null;
  // From the first folder made, a signal removes what the run has made (a SIGTERM while the
  // library builds would otherwise leave the sandboxes' folder behind).
  const stopSignals = onSignals(killEverything);
  let library: ReturnType<typeof libraryManifest>;
  let unbuilt: string[];
  try {
    if (useSandbox) {
      const sb = sandboxWorks();
      if (!sb.ok) throw new GradingInputError(`the grading sandbox does not work here: ${sb.detail}; nothing was graded (grade with --no-sandbox only for a trusted class, on an account that holds nothing else of value)`);
      isolation = `sandbox: ${sb.detail.split(':')[0]} (user, PID, IPC and network namespaces; read-only course runtime; private work folder and /tmp)`;
      runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-course-grading-'));
      liveScratch.add(runDir);
      const outAbs = path.resolve(o.outDir);
      if (outAbs === runDir || outAbs.startsWith(runDir + path.sep)) throw new GradingInputError(`--out ${o.outDir}: inside the sandboxes' folder`);
      try {
        gradingLibrary = buildGradingLibrary(path.join(runDir, 'library'));
      } catch (e) {
        throw new GradingInputError(`the course library could not be prepared for grading: ${(e as Error).message}; nothing was graded`);
      }
      log(`course library: ${gradingLibrary.modules} modules transpiled afresh from kernel-helpers/src in ${gradingLibrary.ms} ms (kernel-helpers/dist and native/ are not loaded)`);
    }
    // The library every kernel loads, fixed now and verified before each notebook: the fresh
    // copy in a sandboxed run; in a trusted run, the repository's dist/ as it stands.
    library = libraryManifest(gradingLibrary?.root);
    unbuilt = gradingLibrary ? [] : unbuiltLibraryFiles();
    if (unbuilt.length) {
      log(`warning: ${unbuilt.length} file(s) in kernel-helpers/dist have no source in kernel-helpers/src (stale or planted; kernels can load them): ${unbuilt.slice(0, 5).join(', ')}${unbuilt.length > 5 ? ', ...' : ''}`);
    }
  } catch (e) {
    killEverything();
    stopSignals();
    throw e;
  }

  const jobs = Math.max(1, Math.min(2, Math.floor(o.jobs ?? 2)));
  const outcomes = new Map<string, StudentOutcome>();
  const classBudget: Budget | undefined = Number.isFinite(limits.classTimeoutMs)
    ? { endsAt: t0 + limits.classTimeoutMs, what: `the class's time budget of ${Math.round(limits.classTimeoutMs / 1000)} s` }
    : undefined;

  async function gradeStudent(student: string): Promise<StudentOutcome> {
    const out: StudentOutcome = { rows: [], notes: [], errors: [], feedback: [] };
    const dir = path.join(o.submissionsDir, student);
    if (links.includes(student)) {
      const msg = `${dir}: the student folder is a symbolic link; not followed, not graded (copy the folder itself into ${o.submissionsDir})`;
      for (const [name, { nb }] of teachers) out.rows.push(...unGradedRows(student, name, nb, 'error', msg));
      out.notes.push(msg);
      out.errors.push(msg);
      return out;
    }
    const studentBudget: Budget = { endsAt: Date.now() + limits.studentTimeoutMs, what: `the student's time budget of ${Math.round(limits.studentTimeoutMs / 1000)} s`, excludesKernelStart: true };
    const budgets = classBudget ? [studentBudget, classBudget] : [studentBudget];
    const dirLinks: string[] = [];
    const files = findNotebooks(dir, dirLinks);
    out.notes.push(...dirLinks);
    const byName = new Map<string, string>();
    const renamed: string[] = [];
    for (const f of files) {
      const name = path.basename(f);
      if (!teachers.has(name) && !byName.has(name)) {
        renamed.push(f); // matched by its cells once every exactly named notebook is known
        continue;
      }
      if (byName.has(name)) {
        const msg = `${f}: a second ${name} in ${dir} (the first, ${byName.get(name)}, is graded)`;
        out.notes.push(msg);
        out.errors.push(msg);
        continue;
      }
      byName.set(name, f);
    }
    for (const f of renamed) {
      const name = path.basename(f);
      const match = matchRenamed(f, teachers, limits.maxNotebookBytes);
      if (match && !byName.has(match)) {
        byName.set(match, f);
        out.notes.push(`${f}: graded as ${match} (renamed; recognised by its nbgrader cells' grade ids and checksums)`);
        continue;
      }
      const msg = match
        ? `${f}: another copy of ${match} (recognised by its nbgrader cells); ${byName.get(match)} is graded`
        : `${f}: no teacher version of ${name} in ${o.sourceDir}, and its cells match none; not graded (a submission for another assignment?)`;
      out.notes.push(msg);
      if (!match) out.errors.push(msg);
      if (!match) out.rows.push({ student, notebook: name, exercise: '-', points: 0, max: 0, status: 'error', message: msg, flagged: false });
    }
    for (const [name, { file, nb }] of teachers) {
      const sub = byName.get(name);
      if (!sub) {
        out.rows.push(...unGradedRows(student, name, nb, 'missing', `no ${name} in ${dir}`));
        continue;
      }
      const over = budgets.find((b) => b.endsAt - Date.now() < 1000);
      if (over) {
        const msg = `not run: ${over.what} ran out before this notebook`;
        out.rows.push(...unGradedRows(student, name, nb, 'not-run', msg));
        out.notes.push(`${name}: ${msg}`);
        continue;
      }
      const changed = verifyLibrary(library);
      if (changed.length) {
        throw new LibraryChangedError(`the course library changed while grading ran; nothing was written (rebuild it and grade again):\n${changed.slice(0, 20).join('\n')}`);
      }
      const t = Date.now();
      let g: SubmissionGrade;
      let work: { dir: string; remove: () => void };
      let prepare: ((checkedFile: string) => { cwd: string; start: Partial<StartOptions> }) | undefined;
      if (useSandbox) {
        // The sandbox copies the notebook in only after gradeSubmission has checked it (a
        // link or an oversized file never gets there); a failed check needs no sandbox.
        let sb: Sandbox | null = null;
        work = {
          dir: runDir,
          remove: () => {
            if (sb) {
              liveScratch.delete(sb.dir);
              sb.remove();
            }
          },
        };
        prepare = (checkedFile: string) => {
          const made = createSandbox({ notebookFile: checkedFile, notebookName: name, env: { GAN_COURSE_QUICK: (o.quick ?? true) ? '1' : '0' }, limits: o.sandboxLimits, scratchBase: runDir, libraryDir: path.join(gradingLibrary!.root, 'kernel-helpers') });
          sb = made;
          liveScratch.add(made.dir);
          return { cwd: made.cwd, start: made.start };
        };
      } else work = scratchDir(path.dirname(path.resolve(file)), student);
      try {
        g = await gradeSubmission({
          student,
          notebook: name,
          teacher: nb,
          submissionFile: sub,
          cwd: work.dir,
          quick: o.quick ?? true,
          limits,
          budgets,
          prepare,
          prelude: o.prelude,
          log,
        });
      } finally {
        work.remove();
      }
      out.rows.push(...g.rows);
      out.notes.push(...g.notes.map((n) => `${name}: ${n}`));
      const bad = g.rows.find((r) => r.status === 'error');
      if (bad) out.errors.push(bad.message.includes(sub) ? bad.message : `${sub}: ${bad.message}`);
      if (g.feedback) out.feedback.push({ notebook: name, nb: g.feedback });
      const pts = g.rows.reduce((acc, r) => acc + r.points, 0);
      const max = g.rows.reduce((acc, r) => acc + r.max, 0);
      log(`${student}/${name}: ${pts} / ${max} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    return out;
  }

  /** One student's grading never stops the class: anything unexpected becomes that student's rows. */
  async function gradeIsolated(student: string): Promise<StudentOutcome> {
    try {
      return await gradeStudent(student);
    } catch (e) {
      if (e instanceof LibraryChangedError) throw e;
      const msg = `${path.join(o.submissionsDir, student)}: could not be graded (${(e as Error)?.message ?? String(e)})`;
      const rows = [...teachers].flatMap(([name, { nb }]) => unGradedRows(student, name, nb, 'error', msg));
      return { rows, notes: [msg], errors: [msg], feedback: [] };
    }
  }

  try {
    let next = 0;
    const workers = Array.from({ length: Math.min(jobs, students.length) }, async () => {
      while (next < students.length) {
        const s = students[next++];
        outcomes.set(s, await gradeIsolated(s));
      }
    });
    await Promise.all(workers);
  } finally {
    // Nothing of a run may outlive it (a kernel whose session was lost, a scratch folder).
    killEverything();
    await reapDescendants();
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
    stopSignals();
  }

  // Written only now that every kernel of the run is gone.
  const rows = students.flatMap((s) => outcomes.get(s)?.rows ?? []);
  const notes = new Map<string, string[]>();
  const errors: string[] = [];
  for (const s of students) {
    const oc = outcomes.get(s);
    if (!oc) continue;
    if (oc.notes.length) notes.set(s, oc.notes);
    errors.push(...oc.errors);
  }
  const book = {
    assignment: path.basename(path.resolve(o.sourceDir)),
    gradedAt: gradedAtNow(),
    isolation,
    library: { sha256: library.digest, files: library.files.size, from: gradingLibrary ? 'kernel-helpers/src, transpiled when grading started' : 'kernel-helpers/dist', ...(unbuilt.length ? { unbuilt } : {}) },
    students: totals(rows, notes),
    rows,
    ...(o.shard ? { shard: { k: o.shard.k, n: o.shard.n, allStudents } } : {}),
  };
  if (o.shard) log(`shard ${o.shard.k}/${o.shard.n}: ${students.length} of ${allStudents.length} student(s)`);
  fs.mkdirSync(o.outDir, { recursive: true });
  const feedbackDir = path.join(o.outDir, 'feedback');
  for (const s of students) {
    for (const f of outcomes.get(s)?.feedback ?? []) {
      const file = path.join(feedbackDir, safeName(s), f.notebook);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, serializeNotebook(f.nb));
    }
  }
  const csvPath = path.join(o.outDir, 'gradebook.csv');
  const jsonPath = path.join(o.outDir, 'gradebook.json');
  fs.writeFileSync(csvPath, gradebookCsv(rows));
  fs.writeFileSync(jsonPath, gradebookJson(book));
  return { rows, students: book.students, errors, ms: Date.now() - t0, gradebookCsv: csvPath, gradebookJson: jsonPath, isolation };
}

/** A student folder name as a folder name under feedback/ (it came from readdir: no separators). */
function safeName(student: string): string {
  return student === '.' || student === '..' ? '_' : student;
}
