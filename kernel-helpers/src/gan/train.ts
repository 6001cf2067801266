/**
 * The course's one GAN training loop. Per step: `dSteps` discriminator updates (adversarial
 * loss + optional R1 / R2 / gradient penalty, then the optional `afterDiscriminatorStep`
 * hook, e.g. weight clipping), one generator update, the optional EMA update of the
 * generator, then the `onStep` callback. Losses are read from the device (one `dataSync`)
 * only every `logEvery` steps, which is also when non-finite losses are detected.
 *
 * The loop is async: it awaits a macrotask between steps so that kernel interrupts
 * (SIGINT, see runtime/interrupt.ts) and display updates get through. On interrupt or
 * `signal` abort it stops between two steps and returns `interrupted: true`; the models then
 * hold the weights of the last whole step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { watchInterrupt, yieldToEventLoop, InterruptWatch } from '../runtime/interrupt';
import { createEma, Ema } from './ema';
import { ganLoss, GanLoss, GanLossName } from './losses';
import { Net } from './net';
import { createOptimizer, Optimizer, OptimizerSpec } from './optimizers';
import { gradientPenalty, logitsAndInputGradient, squaredNormPerExample } from './penalties';
import { resolveSchedule, Schedule, ScheduleLike } from './schedules';

export type PenaltyName = 'r1' | 'r2' | 'gp';

/** Weights (or weight schedules) of the penalties; absent or 0 means off. */
export interface PenaltyWeights {
  /** gamma of R1 = gamma/2 E||grad D(x)||^2 on real data. */
  r1?: ScheduleLike;
  /** gamma of R2 = gamma/2 E||grad D(x)||^2 on generated data. */
  r2?: ScheduleLike;
  /** lambda of the WGAN-GP gradient penalty (the paper uses 10). */
  gp?: ScheduleLike;
}

export interface StepInfo {
  /** Steps completed, 1..total. */
  step: number;
  total: number;
  /** True when the losses below were read at this step (every `logEvery` steps, the first and the last). */
  logged: boolean;
  /** Adversarial discriminator loss (without penalties), as last read (NaN before the first read). */
  lossD: number;
  /** Generator loss, as last read. */
  lossG: number;
  /** Penalty values (already weighted), as last read; only the active ones. */
  penalties: Partial<Record<PenaltyName, number>>;
  lrD: number;
  lrG: number;
  elapsedMs: number;
  stepsPerSecond: number;
}

export interface HistoryEntry {
  step: number;
  lossD: number;
  lossG: number;
  penalties: Partial<Record<PenaltyName, number>>;
  elapsedMs: number;
}

export interface TrainCallbacks {
  onStart?(info: { total: number }): void | Promise<void>;
  /** Called after every step; may be async (it is awaited). */
  onStep?(info: StepInfo): void | Promise<void>;
  onEnd?(result: TrainResult): void | Promise<void>;
}

export interface TrainConfig {
  generator: Net;
  discriminator: Net;
  /** A fresh batch of n real examples, [n, ...dataShape]. The loop disposes it. */
  sampleReal(n: number): tf.Tensor;
  /** A fresh batch of n latent codes, [n, ...latentShape]. The loop disposes it. */
  sampleLatent(n: number): tf.Tensor;
  /** Default 'nonSaturating'. */
  loss?: GanLossName | GanLoss;
  penalties?: PenaltyWeights;
  /** Runs after every discriminator update (e.g. weight clipping on `d.variables`). */
  afterDiscriminatorStep?(d: Net, step: number): void;
  /** Optimizer for both nets, or one each. Default Adam with `betas`. */
  optimizer?: OptimizerSpec | { d: OptimizerSpec; g: OptimizerSpec };
  /** Adam's (beta1, beta2) when `optimizer` is not given; default [0.5, 0.999] (DCGAN). */
  betas?: [number, number];
  /** Discriminator learning rate (number or schedule), default 2e-4. */
  lrD?: ScheduleLike;
  /** Generator learning rate (number or schedule), default 2e-4. TTUR: lrD > lrG. */
  lrG?: ScheduleLike;
  /** Discriminator updates per generator update, default 1. */
  dSteps?: number;
  /** Default 64. */
  batchSize?: number;
  /** Number of generator steps. */
  steps: number;
  /** Generator EMA decay in [0, 1) (e.g. 0.999); the averaged copy is returned as `emaGenerator`. */
  ema?: number;
  /** Read losses every this many steps (default 10). */
  logEvery?: number;
  callbacks?: TrainCallbacks;
  /** Stops the loop when aborted (besides kernel interrupts). */
  signal?: AbortSignal;
  /** Listen for SIGINT (kernel interrupt); default true. */
  stopOnInterrupt?: boolean;
}

export interface TrainResult {
  /** Steps completed. */
  steps: number;
  interrupted: boolean;
  /** Losses at the logged steps. */
  history: HistoryEntry[];
  /** The EMA generator when `ema` was set (owned by the caller: dispose it when done). */
  emaGenerator?: Net;
  elapsedMs: number;
}

function checkInt(arg: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`train: ${arg} must be an integer >= ${min}, got ${v}`);
}

function takeBatch(from: string, t: unknown, n: number): tf.Tensor {
  const x = t as tf.Tensor;
  if (!x || typeof x !== 'object' || typeof x.dataSync !== 'function' || !Array.isArray(x.shape)) {
    throw new Error(`train: ${from}(${n}) must return a tf.Tensor, got ${typeof t}`);
  }
  if (x.isDisposed) {
    throw new Error(`train: ${from}(${n}) returned a disposed tensor; return a NEW tensor on every call (the loop disposes it)`);
  }
  if (x.shape[0] !== n) throw new Error(`train: ${from}(${n}) returned shape [${x.shape}]; its first axis must be ${n}`);
  return x;
}

/** Gradients of `f` w.r.t. `vars` in the vars' order (zeros where a variable does not matter). */
function gradsInOrder(f: () => tf.Scalar, vars: tf.Variable[]): { value: tf.Scalar; grads: tf.Tensor[] } {
  const { value, grads } = tf.variableGrads(f, vars);
  return { value, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
}

function resolveOptimizers(cfg: TrainConfig): { d: Optimizer; g: Optimizer } {
  const betas = cfg.betas ?? [0.5, 0.999];
  const o = cfg.optimizer ?? { kind: 'adam', beta1: betas[0], beta2: betas[1] };
  if (typeof o === 'object' && o !== null && 'd' in o && 'g' in o) return { d: createOptimizer(o.d), g: createOptimizer(o.g) };
  return { d: createOptimizer(o as OptimizerSpec), g: createOptimizer(o as OptimizerSpec) };
}

export async function train(cfg: TrainConfig): Promise<TrainResult> {
  const G = cfg.generator;
  const D = cfg.discriminator;
  if (!G || typeof G.apply !== 'function') throw new Error('train: generator must be a Net');
  if (!D || typeof D.apply !== 'function') throw new Error('train: discriminator must be a Net');
  if (typeof cfg.sampleReal !== 'function') throw new Error('train: sampleReal(n) must be a function returning a tensor');
  if (typeof cfg.sampleLatent !== 'function') throw new Error('train: sampleLatent(n) must be a function returning a tensor');
  const total = cfg.steps;
  checkInt('steps', total, 0);
  const batch = cfg.batchSize ?? 64;
  checkInt('batchSize', batch, 1);
  const dSteps = cfg.dSteps ?? 1;
  checkInt('dSteps', dSteps, 1);
  const logEvery = cfg.logEvery ?? 10;
  checkInt('logEvery', logEvery, 1);
  const loss = ganLoss(cfg.loss ?? 'nonSaturating');
  const lrD = resolveSchedule('train: lrD', cfg.lrD ?? 2e-4);
  const lrG = resolveSchedule('train: lrG', cfg.lrG ?? 2e-4);
  const pen: Partial<Record<PenaltyName, Schedule>> = {};
  for (const k of ['r1', 'r2', 'gp'] as PenaltyName[]) {
    const w = cfg.penalties?.[k];
    if (w !== undefined) pen[k] = resolveSchedule(`train: penalties.${k}`, w);
  }
  const unknown = Object.keys(cfg.penalties ?? {}).filter((k) => !['r1', 'r2', 'gp'].includes(k));
  if (unknown.length) throw new Error(`train: unknown penalties ${unknown.join(', ')}; use r1, r2, gp`);
  if (cfg.ema !== undefined && !G.clone) throw new Error(`train: ema needs a generator with a clone method`);
  if (G.variables.length === 0) throw new Error('train: the generator has no variables');
  if (D.variables.length === 0) throw new Error('train: the discriminator has no variables');

  const opt = resolveOptimizers(cfg);
  const ema: Ema | null = cfg.ema !== undefined ? createEma(G, cfg.ema) : null;
  const watch: InterruptWatch | null = cfg.stopOnInterrupt === false ? null : watchInterrupt();
  const history: HistoryEntry[] = [];
  const start = Date.now();
  let done = 0;
  let interrupted = false;
  let last = { lossD: NaN, lossG: NaN, penalties: {} as Partial<Record<PenaltyName, number>> };
  const stopRequested = () => (watch?.stopped ?? false) || (cfg.signal?.aborted ?? false);

  try {
    await cfg.callbacks?.onStart?.({ total });
    for (let step = 0; step < total; step++) {
      if (stopRequested()) {
        interrupted = true;
        break;
      }
      const stepNo = step + 1;
      const logged = stepNo === 1 || stepNo === total || stepNo % logEvery === 0;
      const weights: Partial<Record<PenaltyName, number>> = {};
      for (const k of Object.keys(pen) as PenaltyName[]) weights[k] = pen[k]!(step, total);
      const lrDNow = lrD(step, total);
      const lrGNow = lrG(step, total);

      // ---- discriminator update(s)
      let scalars: { lossD: tf.Scalar; pens: Partial<Record<PenaltyName, tf.Scalar>> } | null = null;
      for (let k = 0; k < dSteps; k++) {
        const real = takeBatch('sampleReal', cfg.sampleReal(batch), batch);
        const z = takeBatch('sampleLatent', cfg.sampleLatent(batch), batch);
        const fake = tf.tidy(() => G.apply(z, { training: true }));
        z.dispose();
        if (scalars) {
          scalars.lossD.dispose();
          for (const t of Object.values(scalars.pens)) t?.dispose();
        }
        const cur: { lossD: tf.Scalar | null; pens: Partial<Record<PenaltyName, tf.Scalar>> } = { lossD: null, pens: {} };
        const extra: tf.Tensor[] = [];
        const { value, grads } = gradsInOrder(() => {
          let dReal: tf.Tensor;
          let dFake: tf.Tensor;
          const parts: tf.Scalar[] = [];
          const r1 = weights.r1 ?? 0;
          const r2 = weights.r2 ?? 0;
          if (r1 > 0) {
            const { logits, grad } = logitsAndInputGradient(D, real);
            extra.push(logits);
            dReal = logits;
            const p = tf.mul(tf.scalar(r1 / 2), tf.mean(squaredNormPerExample(grad))) as tf.Scalar;
            cur.pens.r1 = tf.keep(p);
            parts.push(p);
          } else {
            dReal = D.apply(real, { training: true });
          }
          if (r2 > 0) {
            const { logits, grad } = logitsAndInputGradient(D, fake);
            extra.push(logits);
            dFake = logits;
            const p = tf.mul(tf.scalar(r2 / 2), tf.mean(squaredNormPerExample(grad))) as tf.Scalar;
            cur.pens.r2 = tf.keep(p);
            parts.push(p);
          } else {
            dFake = D.apply(fake, { training: true });
          }
          if ((weights.gp ?? 0) > 0) {
            const p = gradientPenalty(D, real, fake, { lambda: weights.gp });
            cur.pens.gp = tf.keep(p);
            parts.push(p);
          }
          const adv = loss.discriminator(dReal, dFake);
          cur.lossD = tf.keep(adv);
          return parts.reduce((a: tf.Scalar, b) => tf.add(a, b) as tf.Scalar, adv);
        }, D.variables);
        opt.d.step(D.variables, grads, lrDNow);
        // Without penalties the total IS the adversarial loss, which is read later.
        if (value !== cur.lossD) value.dispose();
        tf.dispose(grads);
        tf.dispose(extra);
        real.dispose();
        fake.dispose();
        scalars = { lossD: cur.lossD as unknown as tf.Scalar, pens: cur.pens };
        cfg.afterDiscriminatorStep?.(D, step);
      }

      // ---- generator update
      const z = takeBatch('sampleLatent', cfg.sampleLatent(batch), batch);
      let dReal: tf.Tensor | undefined;
      if (loss.generatorUsesReal) {
        const real = takeBatch('sampleReal', cfg.sampleReal(batch), batch);
        dReal = tf.tidy(() => D.apply(real, { training: true }));
        real.dispose();
      }
      const { value: lossGT, grads: gradsG } = gradsInOrder(
        () => loss.generator(D.apply(G.apply(z, { training: true }), { training: true }), dReal),
        G.variables,
      );
      opt.g.step(G.variables, gradsG, lrGNow);
      tf.dispose(gradsG);
      z.dispose();
      dReal?.dispose();
      ema?.update();

      // ---- read losses (one device sync) on logged steps
      const s = scalars!;
      const penNames = Object.keys(s.pens) as PenaltyName[];
      if (logged) {
        const vals = tf.tidy(() => tf.stack([s.lossD, lossGT, ...penNames.map((k) => s.pens[k]!)]));
        const data = vals.dataSync();
        vals.dispose();
        const penalties: Partial<Record<PenaltyName, number>> = {};
        penNames.forEach((k, i) => (penalties[k] = data[2 + i]));
        last = { lossD: data[0], lossG: data[1], penalties };
        history.push({ step: stepNo, lossD: data[0], lossG: data[1], penalties, elapsedMs: Date.now() - start });
      }
      lossGT.dispose();
      s.lossD.dispose();
      for (const k of penNames) s.pens[k]!.dispose();
      if (logged) {
        const bad: string[] = [];
        if (!Number.isFinite(last.lossD)) bad.push(`lossD = ${last.lossD}`);
        if (!Number.isFinite(last.lossG)) bad.push(`lossG = ${last.lossG}`);
        for (const k of penNames) if (!Number.isFinite(last.penalties[k]!)) bad.push(`penalty ${k} = ${last.penalties[k]}`);
        if (bad.length) {
          throw new Error(
            `train: non-finite loss at step ${stepNo} (${bad.join(', ')}; loss '${loss.name}', lrD ${lrDNow}, lrG ${lrGNow}). ` +
              `Losses are checked every ${logEvery} steps; lower the learning rates or add a penalty.`,
          );
        }
      }
      done = stepNo;
      const elapsedMs = Date.now() - start;
      await cfg.callbacks?.onStep?.({
        step: stepNo,
        total,
        logged,
        lossD: last.lossD,
        lossG: last.lossG,
        penalties: last.penalties,
        lrD: lrDNow,
        lrG: lrGNow,
        elapsedMs,
        stepsPerSecond: elapsedMs > 0 ? (1000 * stepNo) / elapsedMs : 0,
      });
      // A macrotask turn: lets SIGINT handlers and display messages run.
      await yieldToEventLoop();
    }
    if (!interrupted && done < total && stopRequested()) interrupted = true;
  } catch (e) {
    ema?.dispose();
    throw e;
  } finally {
    watch?.dispose();
    opt.d.dispose();
    opt.g.dispose();
  }
  const result: TrainResult = { steps: done, interrupted, history, emaGenerator: ema?.net, elapsedMs: Date.now() - start };
  await cfg.callbacks?.onEnd?.(result);
  return result;
}
