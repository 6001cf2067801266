/**
 * The course's one GAN training loop. Per step: `dSteps` discriminator updates (adversarial
 * loss + optional R1 / R2 / gradient penalty, then the optional `afterDiscriminatorStep`
 * hook, e.g. weight clipping), one generator update, the optional EMA update of the
 * generator, then the `onStep` callback. Losses are read from the device (one asynchronous
 * read, `await t.data()`: webgpu in Node has no synchronous one) only every `logEvery`
 * steps, which is also when non-finite losses are detected.
 *
 * The loop is async: it awaits a macrotask between steps so that kernel interrupts
 * (SIGINT, see core/interrupt.ts) and display updates get through. On interrupt or
 * `signal` abort it stops between two steps and returns `interrupted: true`; the models then
 * hold the weights of the last whole step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { reportInterrupt, watchInterrupt, yieldToEventLoop, InterruptWatch } from '../core/interrupt';
import { Ema, EmaOption, emaFromOption } from '../nn/ema';
import { ganLoss, GanLoss, GanLossName } from './losses';
import { Net } from '../nn/net';
import { createOptimizer, Optimizer, OptimizerSpec } from '../nn/optimizers';
import { explainSecondOrderError, gradientPenalty, logitsAndInputGradient, squaredNormPerExample } from './penalties';
import { resolveSchedule, Schedule, ScheduleLike } from '../nn/schedules';
import { ensureCourseGradients } from '../backend/courseGradients';
import { gradientsInOrder } from './adversarialLoop';

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
  /**
   * The EMA generator after this step's update, when `ema` is set: score or sample it here
   * (it belongs to the loop: do not dispose it; after training it is `emaGenerator`).
   */
  emaGenerator?: Net;
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
  /**
   * A fresh batch of n real examples, [n, ...dataShape]. Called inside tf.tidy (its
   * intermediates are freed); the loop disposes the batch after use, so return a NEW tensor.
   * Conditional training (`sampleLabels` given): a labelled batch `{ x, labels }` instead.
   */
  sampleReal(n: number): tf.Tensor | LabelledBatch;
  /** A fresh batch of n latent codes, [n, ...latentShape]; same rules as `sampleReal`. */
  sampleLatent(n: number): tf.Tensor;
  /**
   * Conditional GANs (Mirza & Osindero 2014): the labels [n] (int32) of a generated batch.
   * With it, `sampleReal` returns `{ x, labels }`, and both nets get `labels` in their apply
   * options (G the requested ones, D those of the batch it judges). Same rules as `sampleLatent`.
   */
  sampleLabels?(n: number): tf.Tensor;
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
  /**
   * Generator EMA: a decay in [0, 1) (e.g. 0.999), or { decay, warmup } (warm-up on by
   * default, see ema.ts). The averaged copy is returned as `emaGenerator`.
   */
  ema?: EmaOption;
  /** Read losses every this many steps (default 10). */
  logEvery?: number;
  callbacks?: TrainCallbacks;
  /** Stops the loop when aborted (besides kernel interrupts). */
  signal?: AbortSignal;
  /**
   * Continue a previous run: its optimizer moments, EMA and step count (from `result.state`
   * of a run with `keepState: true`). Steps, schedules and callbacks continue the numbering.
   * The nets' own non-trainable state (batch-norm statistics) lives in the nets passed again.
   */
  resume?: TrainState;
  /**
   * Return the optimizers (and EMA) as `result.state` for a later `resume` instead of freeing
   * them. Default: true when resuming, false otherwise. The caller then owns the state.
   */
  keepState?: boolean;
  /** Listen for SIGINT (kernel interrupt); default true. */
  stopOnInterrupt?: boolean;
}

/** A batch of examples with their class labels (conditional training). */
export interface LabelledBatch {
  /** [n, ...dataShape] */
  x: tf.Tensor;
  /** [n] class indices (int32) */
  labels: tf.Tensor;
}

/** What a later `train({ resume })` continues from. */
export interface TrainState {
  /** Generator steps done so far, over all runs. */
  readonly stepsDone: number;
  readonly optimizerD: Optimizer;
  readonly optimizerG: Optimizer;
  /** Averaged weights, plus the generator's state as copied at the last update (ema.ts). */
  readonly ema: Ema | null;
  readonly disposed: boolean;
  /** Frees the optimizers' moments (not the EMA generator, which belongs to the result). */
  dispose(): void;
}

export interface TrainResult {
  /** Steps completed in this run. */
  steps: number;
  interrupted: boolean;
  /** Losses at the logged steps. */
  history: HistoryEntry[];
  /** The EMA generator when `ema` was set (owned by the caller: dispose it when done). */
  emaGenerator?: Net;
  elapsedMs: number;
  /** Present with `keepState` (or `resume`): pass as `resume` to continue training. */
  state?: TrainState;
}

function checkInt(arg: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`train: ${arg} must be an integer >= ${min}, got ${v}`);
}

/** The real batch and, when training is conditional, its labels (checked). */
function takeRealBatch(cfg: TrainConfig, n: number): { x: tf.Tensor; labels?: tf.Tensor } {
  const got = tf.tidy(() => cfg.sampleReal(n) as tf.TensorContainer) as unknown;
  const labelled = !!got && typeof got === 'object' && !(got instanceof tf.Tensor) && 'x' in (got as object);
  if (!cfg.sampleLabels) {
    if (labelled) {
      tf.dispose(got as tf.TensorContainer);
      throw new Error('train: sampleReal returned { x, labels } but sampleLabels is not given; conditional training needs both');
    }
    return { x: takeBatch('sampleReal', got, n) };
  }
  if (!labelled) {
    tf.dispose(got as tf.TensorContainer);
    throw new Error(`train: with sampleLabels (conditional training), sampleReal(${n}) must return { x, labels }, got ${got instanceof tf.Tensor ? 'a tensor' : typeof got}`);
  }
  const b = got as LabelledBatch;
  return { x: takeBatch('sampleReal', b.x, n), labels: takeLabels('sampleReal(n).labels', b.labels, n) };
}

function takeLabels(from: string, t: unknown, n: number): tf.Tensor {
  const y = takeBatch(from, t, n);
  if (y.rank !== 1 || y.dtype !== 'int32') {
    const shape = `[${y.shape}] ${y.dtype}`;
    y.dispose();
    throw new Error(`train: ${from} must be int32 class labels of shape [${n}], got ${shape}`);
  }
  return y;
}

/** D as the penalties see it: a function of its input, with the batch's labels bound. */
function boundCritic(D: Net, labels: tf.Tensor | undefined): (x: tf.Tensor) => tf.Tensor {
  return (x) => D.apply(x, { training: true, labels });
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

function resolveOptimizers(cfg: TrainConfig): { d: Optimizer; g: Optimizer } {
  const betas = cfg.betas ?? [0.5, 0.999];
  const o = cfg.optimizer ?? { kind: 'adam', beta1: betas[0], beta2: betas[1] };
  if (typeof o === 'object' && o !== null && 'd' in o && 'g' in o) return { d: createOptimizer(o.d), g: createOptimizer(o.g) };
  return { d: createOptimizer(o as OptimizerSpec), g: createOptimizer(o as OptimizerSpec) };
}

/** Scalars kept out of the gradient tape's scope for reading after the step. */
interface DiscriminatorTerms {
  lossD: tf.Scalar | null;
  pens: Partial<Record<PenaltyName, tf.Scalar>>;
  /** Kept logits to dispose after the step. */
  extra: tf.Tensor[];
}

/**
 * Adversarial loss plus the active penalties. With R1 (R2) the logits on the real (fake)
 * batch come from the same forward pass as the input gradient.
 */
function discriminatorObjective(
  D: Net,
  loss: GanLoss,
  real: tf.Tensor,
  fake: tf.Tensor,
  weights: Partial<Record<PenaltyName, number>>,
  out: DiscriminatorTerms,
  labels: { real?: tf.Tensor; fake?: tf.Tensor } = {},
): tf.Scalar {
  const parts: tf.Scalar[] = [];
  const zeroCentred = (x: tf.Tensor, gamma: number, name: 'r1' | 'r2'): tf.Tensor => {
    const critic = boundCritic(D, name === 'r1' ? labels.real : labels.fake);
    if (gamma <= 0) return critic(x);
    const { logits, grad } = logitsAndInputGradient(critic, x);
    out.extra.push(logits);
    const p = tf.mul(tf.scalar(gamma / 2), tf.mean(squaredNormPerExample(grad))) as tf.Scalar;
    out.pens[name] = tf.keep(p);
    parts.push(p);
    return logits;
  };
  const dReal = zeroCentred(real, weights.r1 ?? 0, 'r1');
  const dFake = zeroCentred(fake, weights.r2 ?? 0, 'r2');
  if ((weights.gp ?? 0) > 0) {
    const p = gradientPenalty(D, real, fake, { lambda: weights.gp });
    out.pens.gp = tf.keep(p);
    parts.push(p);
  }
  const adv = loss.discriminator({ real: dReal, fake: dFake });
  out.lossD = tf.keep(adv);
  return parts.reduce((a: tf.Scalar, b) => tf.add(a, b) as tf.Scalar, adv);
}

export async function train(cfg: TrainConfig): Promise<TrainResult> {
  const G = cfg.generator;
  const D = cfg.discriminator;
  if (!G || typeof G.apply !== 'function') throw new Error('train: generator must be a Net');
  if (!D || typeof D.apply !== 'function') throw new Error('train: discriminator must be a Net');
  if (typeof cfg.sampleReal !== 'function') throw new Error('train: sampleReal(n) must be a function returning a tensor');
  if (typeof cfg.sampleLatent !== 'function') throw new Error('train: sampleLatent(n) must be a function returning a tensor');
  // A library loaded since initBackend() (tfjs-layers) may have put tfjs-core's LeakyRelu gradient back.
  ensureCourseGradients();
  const total = cfg.steps;
  checkInt('steps', total, 0);
  const batch = cfg.batchSize ?? 64;
  checkInt('batchSize', batch, 1);
  const dSteps = cfg.dSteps ?? 1;
  checkInt('dSteps', dSteps, 1);
  const logEvery = cfg.logEvery ?? 10;
  checkInt('logEvery', logEvery, 1);
  const loss = ganLoss(cfg.loss ?? 'nonSaturating');
  const lrD = resolveSchedule('train', 'lrD', cfg.lrD ?? 2e-4);
  const lrG = resolveSchedule('train', 'lrG', cfg.lrG ?? 2e-4);
  const pen: Partial<Record<PenaltyName, Schedule>> = {};
  for (const k of ['r1', 'r2', 'gp'] as PenaltyName[]) {
    const w = cfg.penalties?.[k];
    if (w !== undefined) pen[k] = resolveSchedule('train', `penalties.${k}`, w);
  }
  const unknown = Object.keys(cfg.penalties ?? {}).filter((k) => !['r1', 'r2', 'gp'].includes(k));
  if (unknown.length) throw new Error(`train: unknown penalties ${unknown.join(', ')}; use r1, r2, gp`);
  if (cfg.ema !== undefined && !G.clone) throw new Error('train: ema needs a generator with a clone method');
  if (G.variables.length === 0) throw new Error('train: the generator has no variables');
  if (D.variables.length === 0) throw new Error('train: the discriminator has no variables');
  if (cfg.sampleLabels !== undefined && typeof cfg.sampleLabels !== 'function') throw new Error('train: sampleLabels(n) must be a function returning int32 labels');
  if (cfg.sampleLabels && pen.gp) {
    // Interpolates between a real and a generated example of different classes have no label.
    throw new Error('train: the gradient penalty is not defined for conditional training (its interpolates have no label); use r1 / r2');
  }

  const resume = cfg.resume;
  if (resume !== undefined && (typeof resume !== 'object' || resume === null || !resume.optimizerD || !resume.optimizerG)) {
    throw new Error('train: resume must be the `state` of an earlier result (run it with keepState: true)');
  }
  if (resume?.disposed) throw new Error('train: the resume state was disposed; keep it until training is finished');
  const keepState = cfg.keepState ?? resume !== undefined;
  const opt = resume ? { d: resume.optimizerD, g: resume.optimizerG } : resolveOptimizers(cfg);
  const offset = resume ? resume.stepsDone : 0;
  const scheduleTotal = offset + total;
  const ema: Ema | null = resume?.ema ?? emaFromOption(G, cfg.ema);
  const watch: InterruptWatch | null = cfg.stopOnInterrupt === false ? null : watchInterrupt();
  const history: HistoryEntry[] = [];
  const start = Date.now();
  let done = 0;
  let interrupted = false;
  let last = { lossD: NaN, lossG: NaN, penalties: {} as Partial<Record<PenaltyName, number>> };
  const stopRequested = () => (watch?.stopped ?? false) || (cfg.signal?.aborted ?? false);

  try {
    await cfg.callbacks?.onStart?.({ total: scheduleTotal });
    for (let k0 = 0; k0 < total; k0++) {
      if (stopRequested()) {
        interrupted = true;
        break;
      }
      const step = offset + k0;
      const stepNo = step + 1;
      const logged = k0 === 0 || k0 + 1 === total || stepNo % logEvery === 0;
      const weights: Partial<Record<PenaltyName, number>> = {};
      for (const k of Object.keys(pen) as PenaltyName[]) weights[k] = pen[k]!(step, scheduleTotal);
      const lrDNow = lrD(step, scheduleTotal);
      const lrGNow = lrG(step, scheduleTotal);

      // ---- discriminator update(s)
      let scalars: { lossD: tf.Scalar; pens: Partial<Record<PenaltyName, tf.Scalar>> } | null = null;
      for (let k = 0; k < dSteps; k++) {
        const { x: real, labels: realLabels } = takeRealBatch(cfg, batch);
        const z = takeBatch('sampleLatent', tf.tidy(() => cfg.sampleLatent(batch)), batch);
        const fakeLabels = cfg.sampleLabels ? takeLabels('sampleLabels', tf.tidy(() => cfg.sampleLabels!(batch)), batch) : undefined;
        const fake = tf.tidy(() => G.apply(z, { training: true, labels: fakeLabels }));
        z.dispose();
        if (scalars) {
          scalars.lossD.dispose();
          for (const t of Object.values(scalars.pens)) t?.dispose();
        }
        const cur: DiscriminatorTerms = { lossD: null, pens: {}, extra: [] };
        let dStep: { value: tf.Scalar; grads: tf.Tensor[] };
        try {
          dStep = gradientsInOrder(() => discriminatorObjective(D, loss, real, fake, weights, cur, { real: realLabels, fake: fakeLabels }), D.variables);
        } catch (e) {
          tf.dispose([real, fake, ...cur.extra, ...Object.values(cur.pens)]);
          tf.dispose([realLabels, fakeLabels].filter((t): t is tf.Tensor => t !== undefined));
          if (cur.lossD) cur.lossD.dispose();
          throw explainSecondOrderError(e);
        }
        const { value, grads } = dStep;
        opt.d.step(D.variables, grads, lrDNow);
        // Without penalties the total IS the adversarial loss, which is read later.
        if (value !== cur.lossD) value.dispose();
        tf.dispose(grads);
        tf.dispose(cur.extra);
        real.dispose();
        fake.dispose();
        realLabels?.dispose();
        fakeLabels?.dispose();
        scalars = { lossD: cur.lossD as unknown as tf.Scalar, pens: cur.pens };
        cfg.afterDiscriminatorStep?.(D, step);
      }

      // ---- generator update
      const z = takeBatch('sampleLatent', tf.tidy(() => cfg.sampleLatent(batch)), batch);
      const zLabels = cfg.sampleLabels ? takeLabels('sampleLabels', tf.tidy(() => cfg.sampleLabels!(batch)), batch) : undefined;
      let dReal: tf.Tensor | undefined;
      if (loss.generatorUsesReal) {
        const { x: real, labels: realLabels } = takeRealBatch(cfg, batch);
        dReal = tf.tidy(() => D.apply(real, { training: true, labels: realLabels }));
        real.dispose();
        realLabels?.dispose();
      }
      const { value: lossGT, grads: gradsG } = gradientsInOrder(
        () => loss.generator({ fake: D.apply(G.apply(z, { training: true, labels: zLabels }), { training: true, labels: zLabels }), real: dReal }),
        G.variables,
      );
      opt.g.step(G.variables, gradsG, lrGNow);
      tf.dispose(gradsG);
      z.dispose();
      zLabels?.dispose();
      dReal?.dispose();
      ema?.update();

      // ---- read losses (one device sync) on logged steps
      const s = scalars!;
      const penNames = Object.keys(s.pens) as PenaltyName[];
      if (logged) {
        const vals = tf.tidy(() => tf.stack([s.lossD, lossGT, ...penNames.map((k) => s.pens[k]!)]));
        const data = await vals.data();
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
      done = k0 + 1;
      const elapsedMs = Date.now() - start;
      await cfg.callbacks?.onStep?.({
        step: stepNo,
        total: scheduleTotal,
        logged,
        lossD: last.lossD,
        lossG: last.lossG,
        penalties: last.penalties,
        lrD: lrDNow,
        lrG: lrGNow,
        elapsedMs,
        stepsPerSecond: elapsedMs > 0 ? (1000 * done) / elapsedMs : 0,
        emaGenerator: ema?.net,
      });
      // A macrotask turn: lets SIGINT handlers and display messages run.
      await yieldToEventLoop();
    }
    if (!interrupted && done < total && stopRequested()) interrupted = true;
  } catch (e) {
    if (!keepState) {
      ema?.dispose();
      opt.d.dispose();
      opt.g.dispose();
    }
    throw e;
  } finally {
    watch?.dispose();
  }
  let state: TrainState | undefined;
  if (keepState) {
    let disposed = false;
    const kept: TrainState = {
      stepsDone: offset + done,
      optimizerD: opt.d,
      optimizerG: opt.g,
      ema,
      get disposed() {
        return disposed;
      },
      dispose() {
        disposed = true;
        opt.d.dispose();
        opt.g.dispose();
      },
    };
    state = kept;
  } else {
    opt.d.dispose();
    opt.g.dispose();
  }
  const result: TrainResult = { steps: done, interrupted, history, emaGenerator: ema?.net, elapsedMs: Date.now() - start, state };
  await cfg.callbacks?.onEnd?.(result);
  if (interrupted && watch?.stopped) {
    // The cell ends normally (core/interrupt.ts): say what the user has, in one line.
    const at = offset + done;
    reportInterrupt(`interrupted at step ${at}; the models keep the weights of step ${at}`);
  }
  return result;
}
