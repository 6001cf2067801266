/** `gan-course validate`: the exercise format of notebooks, and that every solution passes its tests. */
import * as fs from 'fs';
import * as path from 'path';
import { ArgError, parseArgs, secondsOption } from '../grading/args';
import { findFormatProblems, formatProblem, listExercises } from '../grading/exercise-format';
import { gradeSubmission } from '../grading/grade-submission';
import { solvedSubmission, studentVersion } from '../grading/student-version';
import { projectRoot, readNotebook } from '../runner';

export const summary = 'check exercise cells (ids, points, markers) and that solutions pass their own tests';

const HELP = `usage: gan-course validate [notebooks...] [--no-run] [--check-stubs] [--full] [--cell-timeout S]

Checks every exercise cell of the notebooks (default: notebooks/*.ipynb): nbgrader metadata,
unique grade_ids, numeric points > 0, balanced markers, solution regions inside functions, the
fresh \`check\` import in test cells. Then grades the teacher's solutions as a submission
(assign + grade, quick mode unless --full) and requires full marks. --check-stubs also
requires every test to fail on the unsolved stubs: in the same run, after each test cell, the
exercise's solution cells are run with their stubs and its tests again, then the solutions are
put back; where that is inconclusive, the whole student version is graded in a second run.
--no-run skips running.`;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let files: string[];
  let run: boolean;
  let stubs: boolean;
  let quick: boolean;
  let cellTimeoutMs: number | undefined;
  try {
    const p = parseArgs(args, ['cell-timeout'], ['no-run', 'check-stubs', 'full']);
    run = !p.flags.has('no-run');
    stubs = p.flags.has('check-stubs');
    quick = !p.flags.has('full');
    cellTimeoutMs = secondsOption(p, 'cell-timeout');
    files = p.positional;
    if (files.length === 0) {
      const dir = path.join(projectRoot(), 'notebooks');
      files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f)) : [];
      if (files.length === 0) throw new ArgError(`no notebooks given and none in ${dir}`);
    }
  } catch (e) {
    console.error(`gan-course validate: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }

  let failures = 0;
  for (const file of files) {
    let nb;
    try {
      nb = readNotebook(file);
    } catch (e) {
      console.error((e as Error).message);
      failures++;
      continue;
    }
    const problems = findFormatProblems(nb, file);
    if (problems.length) {
      for (const p of problems) console.error(formatProblem(p));
      failures++;
      continue;
    }
    const exercises = listExercises(nb);
    if (exercises.length === 0) {
      console.log(`${file}: no exercises`);
      continue;
    }
    const max = exercises.reduce((s, e) => s + e.points, 0);
    if (!run) {
      console.log(`${file}: ${exercises.length} exercise(s), ${max} points: format ok`);
      continue;
    }
    const common = {
      student: 'teacher',
      notebook: path.basename(file),
      teacher: nb,
      submissionFile: file,
      cwd: path.dirname(path.resolve(file)),
      quick,
      limits: cellTimeoutMs ? { cellTimeoutMs } : undefined,
    };
    // With --check-stubs, the stubs are probed in the solved run's own kernel, after each test
    // cell (the state they need is there); only where a probe is inconclusive is the whole
    // student version graded in a second run.
    const solved = await gradeSubmission({ ...common, submission: solvedSubmission(nb), probeStubs: stubs });
    let ok = true;
    for (const r of solved.rows) {
      if (r.status !== 'passed' || r.flagged) {
        const idx = exercises.find((e) => e.gradeId === r.exercise)?.cellIndex;
        console.error(`${file}: cell ${idx} (grade_id "${r.exercise}"): the teacher's solution does not pass its own tests: ${r.status}: ${r.message}`);
        ok = false;
      }
    }
    let stubNote = '';
    if (stubs) {
      const probes = new Map((solved.stubProbes ?? []).map((p) => [p.exercise, p]));
      const unsure = exercises.filter((e) => probes.get(e.gradeId)?.outcome !== 'passed' && probes.get(e.gradeId)?.outcome !== 'failed');
      let passedOnStubs: string[];
      if (unsure.length === 0) {
        passedOnStubs = exercises.filter((e) => probes.get(e.gradeId)!.outcome === 'passed').map((e) => e.gradeId);
        stubNote = '; stubs probed in the same run';
      } else {
        for (const e of unsure) console.log(`${file}: grade_id "${e.gradeId}": ${probes.get(e.gradeId)?.why ?? 'its tests did not run'}; grading the whole student version`);
        const unsolved = await gradeSubmission({ ...common, student: 'stub', submission: studentVersion(nb) });
        passedOnStubs = unsolved.rows.filter((r) => r.status === 'passed').map((r) => r.exercise);
        stubNote = `; student version graded in ${(unsolved.ms / 1000).toFixed(1)} s`;
      }
      for (const id of passedOnStubs) {
        const idx = exercises.find((e) => e.gradeId === id)?.cellIndex;
        console.error(`${file}: cell ${idx} (grade_id "${id}"): the tests pass on the unsolved stub; they check nothing the student writes`);
        ok = false;
      }
    }
    const got = solved.rows.reduce((s, r) => s + r.points, 0);
    console.log(`${file}: ${exercises.length} exercise(s), solutions score ${got} / ${max} in ${(solved.ms / 1000).toFixed(1)} s${stubNote}${ok ? '' : ' (FAILED)'}`);
    if (!ok) failures++;
  }
  return failures ? 1 : 0;
}
