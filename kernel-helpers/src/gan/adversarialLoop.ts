/**
 * The step loop that GANs with more than two players train in (InfoGAN's Q head, BiGAN's
 * encoder): the same contract as `train()` (progress callbacks with the dashboard's step
 * info, losses read from the device only every `logEvery` steps, a macrotask between steps,
 * kernel interrupts stopping between two whole steps) around a caller's `step`, which does
 * one round of updates and hands back the scalars to report.
 */
import * as tf from '@tensorflow/tfjs-core';
import { rng } from '../core/random';
import { argumentError, checkInteger } from '../core/args';
import type { ScheduleLike } from '../nn/schedules';
import { reportInterrupt, watchInterrupt, yieldToEventLoop, InterruptWatch } from '../core/interrupt';

/** What one step reports: kept scalars, read on logged steps and disposed by the loop. */
export interface LoopStepScalars {
  lossD: tf.Scalar;
  lossG: tf.Scalar;
  /** Further curves (e.g. InfoGAN's mutual-information bound), by name. */
  terms?: Record<string, tf.Scalar>;
}

export interface LoopStepInfo {
  step: number;
  total: number;
  logged: boolean;
  lossD: number;
  lossG: number;
  /** The `terms` as last read (the dashboard draws them as extra curves). */
  penalties: Record<string, number>;
  elapsedMs: number;
  stepsPerSecond: number;
}

export interface LoopHistoryEntry {
  step: number;
  lossD: number;
  lossG: number;
  penalties: Record<string, number>;
  elapsedMs: number;
}

export interface LoopResult {
  steps: number;
  interrupted: boolean;
  history: LoopHistoryEntry[];
  elapsedMs: number;
}

export interface LoopCallbacks {
  onStart?(info: { total: number }): void | Promise<void>;
  onStep?(info: LoopStepInfo): void | Promise<void>;
  onEnd?(result: LoopResult): void | Promise<void>;
}

/** The training options every trainer on this loop takes (InfoGAN's, BiGAN's). */
export interface AdversarialTrainOptions {
  steps: number;
  batchSize?: number;
  lrD?: ScheduleLike;
  lrG?: ScheduleLike;
  /** Adam's betas (default [0.5, 0.999]). */
  betas?: [number, number];
  logEvery?: number;
  callbacks?: LoopCallbacks;
  signal?: AbortSignal;
  stopOnInterrupt?: boolean;
}

export interface AdversarialLoopConfig {
  /** Names the trainer in errors. */
  who: string;
  steps: number;
  /** Read the scalars every this many steps (default 10). */
  logEvery?: number;
  callbacks?: LoopCallbacks;
  signal?: AbortSignal;
  /** Listen for SIGINT (kernel interrupt); default true. */
  stopOnInterrupt?: boolean;
  /** One round of updates at 0-based `step`. */
  step(step: number): LoopStepScalars;
}

export async function adversarialLoop(cfg: AdversarialLoopConfig): Promise<LoopResult> {
  const who = cfg.who;
  checkInteger(who, 'steps', cfg.steps, 0);
  const logEvery = cfg.logEvery ?? 10;
  checkInteger(who, 'logEvery', logEvery, 1);
  const total = cfg.steps;
  const watch: InterruptWatch | null = cfg.stopOnInterrupt === false ? null : watchInterrupt();
  const stopRequested = () => (watch?.stopped ?? false) || (cfg.signal?.aborted ?? false);
  const history: LoopHistoryEntry[] = [];
  const start = Date.now();
  let done = 0;
  let interrupted = false;
  let last = { lossD: NaN, lossG: NaN, penalties: {} as Record<string, number> };
  try {
    await cfg.callbacks?.onStart?.({ total });
    for (let k = 0; k < total; k++) {
      if (stopRequested()) {
        interrupted = true;
        break;
      }
      const logged = k === 0 || k + 1 === total || (k + 1) % logEvery === 0;
      const s = cfg.step(k);
      const names = Object.keys(s.terms ?? {});
      const all = [s.lossD, s.lossG, ...names.map((n) => s.terms![n])];
      if (logged) {
        const stacked = tf.tidy(() => tf.stack(all));
        const data = await stacked.data();
        stacked.dispose();
        const penalties: Record<string, number> = {};
        names.forEach((n, i) => (penalties[n] = data[2 + i]));
        last = { lossD: data[0], lossG: data[1], penalties };
        history.push({ step: k + 1, ...last, elapsedMs: Date.now() - start });
      }
      tf.dispose(all);
      if (logged) {
        const bad = Object.entries({ lossD: last.lossD, lossG: last.lossG, ...last.penalties }).filter(([, v]) => !Number.isFinite(v));
        if (bad.length) {
          throw new Error(`${who}: non-finite loss at step ${k + 1} (${bad.map(([n, v]) => `${n} = ${v}`).join(', ')}); lower the learning rates`);
        }
      }
      done = k + 1;
      const elapsedMs = Date.now() - start;
      await cfg.callbacks?.onStep?.({ step: k + 1, total, logged, ...last, elapsedMs, stepsPerSecond: elapsedMs > 0 ? (1000 * done) / elapsedMs : 0 });
      await yieldToEventLoop();
    }
    if (!interrupted && done < total && stopRequested()) interrupted = true;
  } finally {
    watch?.dispose();
  }
  const result: LoopResult = { steps: done, interrupted, history, elapsedMs: Date.now() - start };
  await cfg.callbacks?.onEnd?.(result);
  if (interrupted && watch?.stopped) reportInterrupt(`interrupted at step ${done}; the models keep the weights of step ${done}`);
  return result;
}

/** Gradients of `f` with respect to `vars`, in their order (zeros where one does not matter). */
export function gradientsInOrder(f: () => tf.Scalar, vars: readonly tf.Variable[]): { value: tf.Scalar; grads: tf.Tensor[] } {
  const { value, grads } = tf.variableGrads(f, vars as tf.Variable[]);
  return { value, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
}

/** One batch from a trainer's sampler, checked: a tensor with n rows (`what` names the sampler in the error). */
export function drawBatch(who: string, what: string, sample: (n: number) => tf.Tensor, n: number): tf.Tensor {
  const t = tf.tidy(() => sample(n));
  if (!(t instanceof tf.Tensor) || t.shape[0] !== n) throw new Error(`${who}: ${what}(${n}) must return a tensor with ${n} rows, got ${t instanceof tf.Tensor ? `[${t.shape}]` : typeof t}`);
  return t;
}

/**
 * Seeds for a trainer's default noise, one per draw, from `seed` (default 0): two runs with the
 * same seed draw the same noise (tfjs's unseeded random ops draw from Math.random).
 */
export function seedStream(who: string, seed: number | undefined): () => number {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) throw argumentError(who, 'noiseSeed', 'a finite number', seed);
  const r = rng(seed ?? 0);
  return () => r.int(2 ** 31 - 1);
}
