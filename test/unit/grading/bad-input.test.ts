import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gradeClass, GradingInputError } from '../../../cli/src/grading/grade-class';
import { main as assign } from '../../../cli/src/commands/assign';
import { readNotebook, sourceText } from '../../../cli/src/runner';

const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'grading');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grading-bad-input-'));

async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const saved = [console.log, console.error];
  console.log = console.error = () => undefined;
  try {
    return await f();
  } finally {
    [console.log, console.error] = saved;
  }
}

test('grade: a missing teacher folder or student folder is named, nothing is written', async () => {
  const out = path.join(tmp(), 'out');
  await assert.rejects(
    gradeClass({ sourceDir: path.join(fixtures, 'nope'), submissionsDir: path.join(fixtures, 'submissions'), outDir: out }),
    (e: unknown) => e instanceof GradingInputError && e.message.includes(path.join(fixtures, 'nope')) && e.message.includes('no such folder'),
  );
  await assert.rejects(
    gradeClass({ sourceDir: path.join(fixtures, 'teacher'), submissionsDir: path.join(fixtures, 'none'), outDir: out }),
    /--submissions .*none: no such folder/,
  );
  assert.equal(fs.existsSync(out), false);
});

test('grade: duplicate grade_ids / non-numeric points in the teacher version stop everything, naming file and cell', async () => {
  const out = path.join(tmp(), 'out');
  const dup = path.join(fixtures, 'bad-teacher', 'duplicate-ids');
  await assert.rejects(
    gradeClass({ sourceDir: dup, submissionsDir: path.join(fixtures, 'submissions'), outDir: out }),
    (e: unknown) =>
      e instanceof GradingInputError &&
      e.message.includes(`${path.join(dup, 'fixture.ipynb')}: cell 7 (grade_id "double-tests"): duplicate grade_id "double-tests" (also used by cell 4)`),
  );
  const pts = path.join(fixtures, 'bad-teacher', 'non-numeric-points');
  await assert.rejects(
    gradeClass({ sourceDir: pts, submissionsDir: path.join(fixtures, 'submissions'), outDir: out }),
    /cell 10 \(grade_id "count-positive-tests"\): nbgrader\.points must be a number > 0, got "three"/,
  );
  assert.equal(fs.existsSync(out), false);
});

test('grade --release: a released notebook without a teacher version is named, nothing is written', async () => {
  const dir = tmp();
  const release = path.join(dir, 'release');
  fs.mkdirSync(release);
  fs.copyFileSync(path.join(fixtures, 'teacher', 'fixture.ipynb'), path.join(release, 'fixture.ipynb'));
  fs.copyFileSync(path.join(fixtures, 'teacher', 'fixture.ipynb'), path.join(release, 'week2.ipynb'));
  const out = path.join(dir, 'out');
  await assert.rejects(
    gradeClass({ sourceDir: path.join(fixtures, 'teacher'), releaseDir: release, submissionsDir: path.join(fixtures, 'submissions'), outDir: out }),
    (e: unknown) => e instanceof GradingInputError && e.message.includes(`${path.join(release, 'week2.ipynb')}: no teacher version week2.ipynb in ${path.join(fixtures, 'teacher')}`),
  );
  assert.equal(fs.existsSync(out), false);
});

test('grade: an existing gradebook is not overwritten', async () => {
  const out = tmp();
  fs.writeFileSync(path.join(out, 'gradebook.csv'), 'precious');
  await assert.rejects(
    gradeClass({ sourceDir: path.join(fixtures, 'teacher'), submissionsDir: path.join(fixtures, 'submissions'), outDir: out }),
    /already holds gradebook\.csv; nothing was overwritten/,
  );
  assert.equal(fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8'), 'precious');
});

test('assign: writes the release folder, refuses bad notebooks and non-empty folders without writing', async () => {
  const dir = tmp();
  const out = path.join(dir, 'release', 'fixture-hw');
  const bad = path.join(fixtures, 'bad-teacher', 'non-numeric-points', 'fixture.ipynb');
  assert.equal(await quietly(() => assign([bad, '--out', out])), 1);
  assert.equal(fs.existsSync(out), false);

  const good = path.join(fixtures, 'teacher', 'fixture.ipynb');
  assert.equal(await quietly(() => assign([good, '--out', out])), 0);
  const released = readNotebook(path.join(out, 'fixture.ipynb'));
  assert.match(sourceText(released.cells[3].source), /not implemented yet/);
  const before = fs.readFileSync(path.join(out, 'fixture.ipynb'), 'utf8');
  assert.equal(await quietly(() => assign([good, '--out', out])), 1, 'a non-empty release folder is kept');
  assert.equal(fs.readFileSync(path.join(out, 'fixture.ipynb'), 'utf8'), before);
  assert.equal(await quietly(() => assign([good])), 2, '--out is required');
});
