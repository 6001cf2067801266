/**
 * Chapter 5's comparison as a record: the two configurations the chapter runs (quick checks
 * the pipeline, full is the comparison its text discusses) and the full run's results shipped
 * in `data/loss-study-full.json`, so that every reader sees the multi-seed numbers without
 * the hour the full study takes on a 2-core machine. `gan-course study` regenerates the file.
 */
import { courseDataFile } from '../core/paths';
import * as fs from 'fs';
import * as path from 'path';
import { LossStudyConfig, StudyCell, StudyRun, studyCombinations, summarizeStudy } from './lossStudy';
import { TOY_TASK_NAMES, ToyTaskName } from './toyTasks';

export type LossStudyPreset = Required<Pick<LossStudyConfig, 'tasks' | 'seeds' | 'width' | 'depth' | 'evalSamples'>> &
  Pick<LossStudyConfig, 'training'>;

/**
 * One optimiser for every run: Adam (0.5, 0.9) with lrD = 2 lrG. (Rates this high suit the
 * short 2D budgets; at 2e-4 / 1e-4 no loss got near the ring in 1000 steps.) Critic steps are
 * left to the harness: 5 for GP runs (WGAN-GP's n_critic), 1 otherwise.
 */
export const LOSS_STUDY_PRESETS: { readonly quick: LossStudyPreset; readonly full: LossStudyPreset } = {
  quick: {
    tasks: ['ring8'], seeds: [0], width: 32, depth: 2, evalSamples: 64,
    training: { steps: 5, batchSize: 64, lrD: 1e-3, lrG: 5e-4, betas: [0.5, 0.9] },
  },
  full: {
    tasks: ['ring8', 'grid25', 'swissRoll'], seeds: [0, 1, 2], width: 64, depth: 2, evalSamples: 512,
    training: { steps: 2000, batchSize: 128, lrD: 1e-3, lrG: 5e-4, betas: [0.5, 0.9] },
  },
};

/** The shipped record of a study run. */
export interface LossStudyRecord {
  config: LossStudyPreset;
  /** What ran it: the backend line and the machine. */
  ranOn: string;
  /** Date of the run (YYYY-MM-DD). */
  date: string;
  /** Wall time of the whole study, all worker processes together. */
  seconds: number;
  /** Worker processes that shared the runs. */
  jobs: number;
  w1Floor: Partial<Record<ToyTaskName, number>>;
  runs: StudyRun[];
}

export interface LoadedLossStudy extends LossStudyRecord {
  cells: StudyCell[];
}

/** Identifies one run of a study: task, seed, loss and constraint. */
export function studyRunKey(r: { task: string; seed: number; loss: string; constraint: string }): string {
  return `${r.task}|${r.seed}|${r.loss}|${r.constraint}`;
}

/** `data/loss-study-full.json` at the repository root. */
export function lossStudyFile(): string {
  return courseDataFile('loss-study-full.json');
}

function fail(file: string, why: string): never {
  throw new Error(`loss study record ${file}: ${why}. Regenerate it with \`gan-course study\`.`);
}

/** Reads and checks a study record (by default the shipped full-mode one). */
export function loadLossStudy(file: string = lossStudyFile()): LoadedLossStudy {
  if (!fs.existsSync(file)) fail(file, 'file not found');
  let rec: LossStudyRecord;
  try {
    rec = JSON.parse(fs.readFileSync(file, 'utf8')) as LossStudyRecord;
  } catch (e) {
    fail(file, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!rec || typeof rec !== 'object' || !rec.config || !Array.isArray(rec.runs)) fail(file, 'missing config or runs');
  const { tasks, seeds } = rec.config;
  if (!Array.isArray(tasks) || !tasks.every((t) => (TOY_TASK_NAMES as readonly string[]).includes(t))) fail(file, `unknown tasks ${JSON.stringify(tasks)}`);
  if (!Array.isArray(seeds) || seeds.length === 0) fail(file, 'no seeds');
  const expected = studyCombinations().length * tasks.length * seeds.length;
  const keys = new Set(rec.runs.map(studyRunKey));
  if (rec.runs.length !== expected || keys.size !== expected) {
    fail(file, `${keys.size} distinct runs of the ${expected} its config calls for (${studyCombinations().length} pairs x ${tasks.length} tasks x ${seeds.length} seeds)`);
  }
  // JSON has no NaN: scores of failed runs (and mode counts on the Swiss roll) come back as null.
  const num = (v: unknown) => (typeof v === 'number' ? v : NaN);
  const runs = rec.runs.map((r) => ({ ...r, modesHit: num(r.modesHit), modes: num(r.modes), highQualityShare: num(r.highQualityShare), w1: num(r.w1) }));
  return { ...rec, runs, cells: summarizeStudy(runs) };
}

/** Whether two presets describe the same study (same tasks, seeds, network and training). */
export function samePreset(a: LossStudyPreset, b: LossStudyPreset): boolean {
  const norm = (p: LossStudyPreset) => JSON.stringify({
    tasks: [...p.tasks], seeds: [...p.seeds], width: p.width, depth: p.depth, evalSamples: p.evalSamples,
    training: Object.fromEntries(Object.entries(p.training).sort(([x], [y]) => x.localeCompare(y))),
  });
  return norm(a) === norm(b);
}
