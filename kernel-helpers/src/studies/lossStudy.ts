/**
 * The chapter-5 comparison: every loss x Lipschitz constraint x task x seed, trained with
 * the same architecture, optimiser and budget, and scored with the same metrics.
 */
import { GAN_LOSS_NAMES, GanLossName } from '../gan/losses';
import { yieldToEventLoop } from '../core/interrupt';
import { argumentError, checkInteger } from '../core/args';
import { w1DataBaseline } from './evaluate';
import { ConstraintName, ToyTrainOptions, createToyGan } from './toyGan';
import { TOY_TASK_NAMES, ToyTaskName, toyTask } from './toyTasks';

/**
 * Which (loss, constraint) pairs the comparison runs. The Wasserstein loss needs a
 * Lipschitz critic: without a constraint its critic is unbounded and the "distance" it
 * reports is meaningless, so it runs with GP, SN and clipping only; clipping is run with
 * the Wasserstein loss only, where it was proposed. Every other loss runs with each of
 * none, GP, SN and R1.
 */
export function isMeaningfulCombination(loss: GanLossName, constraint: ConstraintName): boolean {
  if (loss === 'wasserstein') return constraint === 'gp' || constraint === 'sn' || constraint === 'clip';
  return constraint !== 'clip';
}

export interface LossStudyConfig {
  losses?: readonly GanLossName[];
  constraints?: readonly ConstraintName[];
  tasks?: readonly ToyTaskName[];
  seeds?: readonly number[];
  /**
   * Training budget and optimiser, identical for every run, except that when `dSteps` is
   * unset each run gets its constraint's `DEFAULT_CRITIC_STEPS` (5 critic steps for GP, as published).
   */
  training: Omit<ToyTrainOptions, 'onTrack' | 'onStep' | 'trackEvery'>;
  /** Network size, identical for every run. */
  width?: number;
  depth?: number;
  latentDim?: number;
  /** Points generated to score each run (default 512). */
  evalSamples?: number;
  /** Called after each run (progress display). */
  onRun?(run: StudyRun, index: number, total: number): void | Promise<void>;
  /** Runs to leave out (done elsewhere, e.g. by another worker or an interrupted earlier study). */
  skip?(run: { loss: GanLossName; constraint: ConstraintName; task: ToyTaskName; seed: number }): boolean;
}

export interface StudyRun {
  loss: GanLossName;
  constraint: ConstraintName;
  task: ToyTaskName;
  seed: number;
  modesHit: number;
  modes: number;
  highQualityShare: number;
  w1: number;
  seconds: number;
  /** Set when training stopped with an error (e.g. non-finite losses); the scores are then NaN. */
  error?: string;
}

/** Mean and sample standard deviation over seeds of one (loss, constraint, task) cell. */
export interface StudyCell {
  loss: GanLossName;
  constraint: ConstraintName;
  task: ToyTaskName;
  runs: number;
  failed: number;
  modesHit: { mean: number; std: number };
  highQualityShare: { mean: number; std: number };
  w1: { mean: number; std: number };
}

export interface LossStudyResult {
  runs: StudyRun[];
  cells: StudyCell[];
  /** W1 between two data samples of `evalSamples` points, per task: the floor of the w1 column. */
  w1Floor: Partial<Record<ToyTaskName, number>>;
  seconds: number;
}

/** The (loss, constraint) pairs a study runs, in a stable order. */
export function studyCombinations(
  losses: readonly GanLossName[] = GAN_LOSS_NAMES,
  constraints: readonly ConstraintName[] = ['none', 'gp', 'sn', 'r1', 'clip'],
): Array<{ loss: GanLossName; constraint: ConstraintName }> {
  const out: Array<{ loss: GanLossName; constraint: ConstraintName }> = [];
  for (const loss of losses) for (const constraint of constraints) if (isMeaningfulCombination(loss, constraint)) out.push({ loss, constraint });
  return out;
}

export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const v = xs.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN };
  const mean = v.reduce((p, q) => p + q, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((p, q) => p + (q - mean) * (q - mean), 0) / (v.length - 1)) : 0;
  return { mean, std };
}

export function summarizeStudy(runs: readonly StudyRun[]): StudyCell[] {
  const cells = new Map<string, StudyRun[]>();
  for (const r of runs) {
    const key = `${r.loss}|${r.constraint}|${r.task}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key)!.push(r);
  }
  return [...cells.values()].map((rs) => ({
    loss: rs[0].loss,
    constraint: rs[0].constraint,
    task: rs[0].task,
    runs: rs.length,
    failed: rs.filter((r) => r.error !== undefined).length,
    modesHit: meanStd(rs.map((r) => r.modesHit)),
    highQualityShare: meanStd(rs.map((r) => r.highQualityShare)),
    w1: meanStd(rs.map((r) => r.w1)),
  }));
}

export async function runLossStudy(cfg: LossStudyConfig): Promise<LossStudyResult> {
  const who = 'runLossStudy';
  const losses = cfg.losses ?? GAN_LOSS_NAMES;
  const constraints = cfg.constraints ?? ['none', 'gp', 'sn', 'r1', 'clip'];
  const tasks = cfg.tasks ?? TOY_TASK_NAMES;
  const seeds = cfg.seeds ?? [0];
  if (!cfg.training || typeof cfg.training !== 'object') throw argumentError(who, 'training', 'an object { steps, ... }', cfg.training);
  checkInteger(who, 'training.steps', cfg.training.steps, 1);
  if (!Array.isArray(seeds) || seeds.length === 0) throw argumentError(who, 'seeds', 'a non-empty array of seeds', seeds);
  const evalSamples = cfg.evalSamples ?? 512;
  checkInteger(who, 'evalSamples', evalSamples, 2);
  const combos = studyCombinations(losses, constraints);
  if (combos.length === 0) throw new Error(`${who}: no meaningful (loss, constraint) pair in the given lists`);
  const skip = cfg.skip ?? (() => false);
  let total = 0;
  for (const task of tasks) for (const seed of seeds) for (const c of combos) if (!skip({ ...c, task, seed })) total++;
  const runs: StudyRun[] = [];
  const start = Date.now();
  const w1Floor: Partial<Record<ToyTaskName, number>> = {};
  for (const task of tasks) w1Floor[task] = w1DataBaseline(toyTask(task), evalSamples);
  for (const task of tasks) {
    for (const seed of seeds) {
      for (const { loss, constraint } of combos) {
        if (skip({ loss, constraint, task, seed })) continue;
        const gan = createToyGan({ task, loss, constraint, seed, width: cfg.width, depth: cfg.depth, latentDim: cfg.latentDim });
        const t0 = Date.now();
        let run: StudyRun;
        try {
          await gan.train({ ...cfg.training });
          const s = await gan.score(evalSamples, 1000 + seed);
          run = { loss, constraint, task, seed, ...s, seconds: (Date.now() - t0) / 1000 };
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          run = { loss, constraint, task, seed, modesHit: NaN, modes: NaN, highQualityShare: NaN, w1: NaN, seconds: (Date.now() - t0) / 1000, error: message };
        } finally {
          gan.dispose();
        }
        runs.push(run);
        await cfg.onRun?.(run, runs.length, total);
        await yieldToEventLoop();
      }
    }
  }
  return { runs, cells: summarizeStudy(runs), w1Floor, seconds: (Date.now() - start) / 1000 };
}
