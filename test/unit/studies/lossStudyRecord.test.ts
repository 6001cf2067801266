/** `gan-course study` (workers, resume, merge) and the shipped chapter-5 record. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOSS_STUDY_PRESETS, loadLossStudy, lossStudyFile, samePreset, studyCombinations } from '../../../kernel-helpers/src/studies';

const cli = path.join(__dirname, '..', '..', '..', 'cli', 'dist', 'main.js');

function study(args: string[]): { status: number | null; out: string } {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
  const r = spawnSync(process.execPath, [cli, 'study', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('study --preset quick runs every pair on two workers, and a rerun resumes from the finished runs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loss-study-'));
  try {
    const out = path.join(dir, 'quick.json');
    const first = study(['--preset', 'quick', '--jobs', '2', '--out', out]);
    assert.equal(first.status, 0, first.out);
    assert.match(first.out, /27 to run on 2 worker process\(es\)/);
    const rec = loadLossStudy(out);
    assert.ok(samePreset(rec.config, LOSS_STUDY_PRESETS.quick));
    assert.equal(rec.runs.length, studyCombinations().length);
    assert.equal(rec.cells.length, studyCombinations().length);
    assert.ok(!fs.existsSync(`${out}.parts`), 'parts removed once merged');
    assert.ok(rec.w1Floor.ring8! > 0);

    // An interrupted study: 20 runs already finished (recognisable by their seconds field).
    fs.mkdirSync(`${out}.parts`);
    const kept = rec.runs.slice(0, 20).map((r) => ({ ...r, seconds: 1234.5 }));
    fs.writeFileSync(path.join(`${out}.parts`, 'worker-0.jsonl'), kept.map((r) => JSON.stringify(r)).join('\n') + '\n{"cut short');
    const second = study(['--preset', 'quick', '--jobs', '2', '--out', out]);
    assert.equal(second.status, 0, second.out);
    assert.match(second.out, /27 runs, 20 already in/);
    assert.match(second.out, /7 to run/);
    const rec2 = loadLossStudy(out);
    assert.equal(rec2.runs.filter((r) => r.seconds === 1234.5).length, 20, 'finished runs are not run again');
    assert.equal(rec2.runs.length, 27);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('study refuses bad options and loadLossStudy explains a bad record', () => {
  assert.equal(study(['--jobs', 'two']).status, 2);
  assert.equal(study(['--preset', 'huge']).status, 2);
  assert.equal(study(['--preset', 'quick']).status, 2, 'quick needs --out');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loss-record-'));
  try {
    const f = path.join(dir, 'r.json');
    assert.throws(() => loadLossStudy(f), /file not found/);
    fs.writeFileSync(f, '{ not json');
    assert.throws(() => loadLossStudy(f), /not valid JSON/);
    fs.writeFileSync(f, JSON.stringify({ config: LOSS_STUDY_PRESETS.quick, runs: [] }));
    assert.throws(() => loadLossStudy(f), /0 distinct runs of the 27 its config calls for.*gan-course study/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped full-mode record is complete and matches the full preset', () => {
  const rec = loadLossStudy(lossStudyFile());
  assert.ok(samePreset(rec.config, LOSS_STUDY_PRESETS.full), 'record made with the full preset');
  assert.equal(rec.runs.length, studyCombinations().length * 3 * 3);
  for (const c of rec.cells) assert.equal(c.runs, 3, `${c.task} ${c.loss}+${c.constraint}: one run per seed`);
  for (const r of rec.runs) {
    if (r.error === undefined) assert.ok(Number.isFinite(r.w1) && r.w1 > 0, `${r.task} ${r.loss}+${r.constraint} seed ${r.seed}: W1 ${r.w1}`);
  }
  for (const task of rec.config.tasks) assert.ok(rec.w1Floor[task]! > 0);
});
