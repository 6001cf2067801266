/**
 * Learning-rate-ratio sweeps: hold the generator's rate alpha_G fixed, set the discriminator's
 * to ratio * alpha_G, run a game with each optimizer and record how fast and how stably it
 * converges. One row per (ratio, optimizer, seed); `summariseSweep` averages over seeds.
 */
import type { TwoPlayerGame } from './twoPlayerGame';
import { simulateTwoTimescale, stepsToConverge } from './twoTimescale';
import { argumentError, checkInteger, checkNonNegative, checkPositive } from '../../core/args';
import type { ArrayAdamOptions, ArrayOptimizerKind } from './arrayOptimizers';

export interface RatioSweepOptions {
  /** Builds a fresh game (called once per run). */
  game: () => TwoPlayerGame;
  /** alpha_D / alpha_G values, each > 0. */
  ratios: number[];
  /** alpha_G for each optimizer, e.g. { sgd: 0.05, adam: 1e-2 }. */
  lrG: Partial<Record<ArrayOptimizerKind, number>>;
  steps: number;
  /** Convergence tolerance on the game's error. */
  tol: number;
  seeds?: number[];
  adam?: ArrayAdamOptions;
  order?: 'simultaneous' | 'alternating';
  /** Mean error over this final fraction of the run measures the residual fluctuation (default 0.2). */
  tailFraction?: number;
}

export interface RatioSweepRow {
  ratio: number;
  optimizer: ArrayOptimizerKind;
  lrG: number;
  lrD: number;
  seed: number;
  /** First step from which the error stays below tol (Infinity = never). */
  steps: number;
  /** Mean error over the last part of the run (Infinity when it diverged). */
  finalError: number;
  diverged: boolean;
}

export function ratioSweep(opts: RatioSweepOptions): RatioSweepRow[] {
  const { ratios, lrG, steps, tol, seeds = [0], tailFraction = 0.2 } = opts;
  if (!Array.isArray(ratios) || ratios.length === 0) throw argumentError('ratioSweep', 'ratios', 'a non-empty array of numbers > 0', ratios);
  ratios.forEach((q, i) => checkPositive('ratioSweep', `ratios[${i}]`, q));
  if (!(tailFraction > 0 && tailFraction <= 1)) throw argumentError('ratioSweep', 'tailFraction', 'in (0, 1]', tailFraction);
  const kinds = Object.keys(lrG) as ArrayOptimizerKind[];
  if (kinds.length === 0) throw argumentError('ratioSweep', 'lrG', 'a rate for at least one optimizer, e.g. { sgd: 0.05 }', lrG);
  const rows: RatioSweepRow[] = [];
  for (const optimizer of kinds) {
    const a = lrG[optimizer]!;
    checkNonNegative('ratioSweep', `lrG.${optimizer}`, a);
    for (const ratio of ratios) {
      for (const seed of seeds) {
        const run = simulateTwoTimescale(opts.game(), {
          lrG: a,
          lrD: ratio * a,
          steps,
          optimizer,
          adam: opts.adam,
          order: opts.order,
          seed,
        });
        const tail = run.error.slice(Math.floor(run.error.length * (1 - tailFraction)));
        rows.push({
          ratio,
          optimizer,
          lrG: a,
          lrD: ratio * a,
          seed,
          steps: stepsToConverge(run, tol),
          finalError: run.diverged ? Infinity : tail.reduce((s, v) => s + v, 0) / tail.length,
          diverged: run.diverged,
        });
      }
    }
  }
  return rows;
}

export interface RatioSweepSummary {
  ratio: number;
  optimizer: ArrayOptimizerKind;
  /** Median steps to converge over seeds (Infinity when most runs never converged). */
  medianSteps: number;
  /** Share of seeds that converged within the budget. */
  convergedShare: number;
  /** Mean final error over the seeds that did not diverge (Infinity if all diverged). */
  meanFinalError: number;
  divergedShare: number;
}

export function summariseSweep(rows: RatioSweepRow[]): RatioSweepSummary[] {
  const groups = new Map<string, RatioSweepRow[]>();
  for (const r of rows) {
    const k = `${r.optimizer}|${r.ratio}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const out: RatioSweepSummary[] = [];
  for (const rs of groups.values()) {
    const st = rs.map((r) => r.steps).sort((a, b) => a - b);
    const ok = rs.filter((r) => !r.diverged);
    out.push({
      ratio: rs[0].ratio,
      optimizer: rs[0].optimizer,
      medianSteps: st[Math.floor((st.length - 1) / 2)],
      convergedShare: rs.filter((r) => Number.isFinite(r.steps)).length / rs.length,
      meanFinalError: ok.length ? ok.reduce((s, r) => s + r.finalError, 0) / ok.length : Infinity,
      divergedShare: (rs.length - ok.length) / rs.length,
    });
  }
  return out;
}

/** Log-spaced ratios from `lo` to `hi` inclusive (e.g. 0.25 .. 10). */
export function logSpacedRatios(lo: number, hi: number, n: number): number[] {
  checkPositive('logSpacedRatios', 'lo', lo);
  if (!(hi > lo) || !Number.isFinite(hi)) throw argumentError('logSpacedRatios', 'hi', `a finite number > lo = ${lo}`, hi);
  checkInteger('logSpacedRatios', 'n', n, 2);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((lo * Math.pow(hi / lo, i / (n - 1))).toPrecision(3)));
  return out;
}
