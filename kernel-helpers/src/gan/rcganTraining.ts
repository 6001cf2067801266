/**
 * RCGAN's training (Esteban, Hyland & Raetsch 2017, sect. 2, eqs. 1-2): D takes a decision at
 * every step, and both players' losses are the cross-entropies of those per-step decisions
 * averaged over the steps (and the batch):
 *   D_loss = mean_t CE(D(x)_t, 1) + mean_t CE(D(G(z))_t, 0),   G_loss = mean_t CE(D(G(z))_t, 1)
 * (G's is the non-saturating form). Conditional training draws the conditions from the data:
 * each real batch brings its labels (or condition vectors), and G generates the fake batch
 * with the same ones, so D sees real and generated sequences under matching conditions.
 *
 * `wrongLabels` (the official code's option of that name; the matching-aware discriminator of
 * Reed et al. 2016) adds a third term to D's loss: real sequences under a WRONG class, each
 * label moved by a random offset 1..K-1, are to be called fake,
 *   D_loss += mean_t CE(D(x, c')_t, 0),
 * so D cannot win while ignoring the label, and G cannot either. Without it a collapsed G can
 * make every digit the same and D separate real from fake with no look at the condition.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions } from '../core/args';
import { ensureCourseGradients } from '../backend/courseGradients';
import type { ApplyOptions } from '../nn/net';
import { Ema, EmaOption, emaFromOption } from '../nn/ema';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule } from '../nn/schedules';
import { adversarialLoop, AdversarialTrainOptions, gradientsInOrder, LoopResult, seedStream } from './adversarialLoop';
import { nonSaturatingLoss } from './losses';
import { RcganCondition, RcganNet } from './models/rcgan';
import { checkSequenceBatch, pairedSequenceShapes } from './sequenceChecks';

/** A real batch: the sequences and, for conditional nets, their condition. */
export interface RcganBatch {
  /** [n, T, features] */
  sequences: tf.Tensor;
  /** [n] class labels (nets built with `classes`). */
  labels?: tf.Tensor;
  /** [n, conditionDim] condition vectors (nets built with `conditionDim`). */
  condition?: tf.Tensor;
}

export interface RcganTrainConfig extends AdversarialTrainOptions {
  generator: RcganNet;
  discriminator: RcganNet;
  /** NEW tensors per call. */
  sampleReal(n: number): RcganBatch;
  /** [n, T, latentDim] noise (default standard normal, from `noiseSeed`). */
  sampleNoise?(n: number): tf.Tensor;
  /** Seed of the default noise stream (default 0): two runs draw the same noise. */
  noiseSeed?: number;
  /**
   * Real sequences under wrong labels count as fake for D (default false; class-conditioned
   * nets only). The wrong labels are drawn from `noiseSeed`'s stream too.
   */
  wrongLabels?: boolean;
  /**
   * D's optimizer (default Adam with `betas`). The official code trains D with plain SGD
   * (learning rate 0.1) and G with Adam: `'sgd'` gives that.
   */
  optimizerD?: 'adam' | 'sgd';
  /**
   * Keep an exponential moving average of G's weights, updated after every G step (ema.ts);
   * returned as `emaGenerator`. A number is the decay (warm-up on).
   */
  ema?: EmaOption;
}

export interface RcganTrainResult extends LoopResult {
  /** The averaged generator when `ema` was set (owned by the caller: dispose it when done). */
  emaGenerator?: RcganNet;
}

const OPTIONS = ['generator', 'discriminator', 'sampleReal', 'sampleNoise', 'noiseSeed', 'wrongLabels', 'optimizerD', 'ema', 'steps', 'batchSize', 'lrD', 'lrG', 'betas', 'logEvery', 'callbacks', 'signal', 'stopOnInterrupt'] as const;

const conditionText = (c: RcganCondition) => (c.kind === 'classes' ? `${c.classes} classes` : c.kind === 'vector' ? `a ${c.dim}-vector` : 'nothing');

function batchOptions(who: string, b: RcganBatch, n: number, c: RcganCondition): ApplyOptions {
  const what = `sampleReal(${n})`;
  if (c.kind === 'none') {
    if (b.labels !== undefined || b.condition !== undefined) throw new Error(`${who}: ${what} gives a condition but the nets are unconditional; drop labels/condition or build the nets with classes/conditionDim`);
    return { training: true };
  }
  if (c.kind === 'classes') {
    const y = b.labels;
    if (!(y instanceof tf.Tensor) || y.rank !== 1 || y.shape[0] !== n) throw new Error(`${who}: ${what}.labels must be [${n}] class labels (the nets are conditioned on ${c.classes} classes), got ${y instanceof tf.Tensor ? `[${y.shape}]` : String(y)}`);
    return { training: true, labels: y };
  }
  const v = b.condition;
  if (!(v instanceof tf.Tensor) || v.rank !== 2 || v.shape[0] !== n || v.shape[1] !== c.dim) throw new Error(`${who}: ${what}.condition must be [${n}, ${c.dim}] condition vectors, got ${v instanceof tf.Tensor ? `[${v.shape}]` : String(v)}`);
  return { training: true, condition: v };
}

export async function trainRcgan(cfg: RcganTrainConfig): Promise<RcganTrainResult> {
  const who = 'trainRcgan';
  checkKnownOptions(who, cfg, OPTIONS);
  const G = cfg.generator, D = cfg.discriminator;
  if (!G || typeof G.apply !== 'function') throw argumentError(who, 'generator', 'a Net (rcganGenerator)', G);
  if (!D || typeof D.apply !== 'function') throw argumentError(who, 'discriminator', 'a Net (rcganDiscriminator)', D);
  if (typeof cfg.sampleReal !== 'function') throw argumentError(who, 'sampleReal', 'a function n -> { sequences, labels?, condition? }', cfg.sampleReal);
  if (cfg.sampleNoise !== undefined && typeof cfg.sampleNoise !== 'function') throw argumentError(who, 'sampleNoise', 'a function n -> [n, T, latentDim] noise', cfg.sampleNoise);
  const cG: RcganCondition = G.condition ?? { kind: 'none' };
  const cD: RcganCondition = D.condition ?? { kind: 'none' };
  if (JSON.stringify(cG) !== JSON.stringify(cD)) throw new Error(`${who}: the generator is conditioned on ${conditionText(cG)} and the discriminator on ${conditionText(cD)}; build both with the same classes/conditionDim`);
  const shapes = pairedSequenceShapes(who, G, D);
  const batch = cfg.batchSize ?? 64;
  checkInteger(who, 'batchSize', batch, 1);
  const lrD = resolveSchedule(who, 'lrD', cfg.lrD ?? 2e-4);
  const lrG = resolveSchedule(who, 'lrG', cfg.lrG ?? 2e-4);
  const [b1, b2] = cfg.betas ?? [0.5, 0.999];
  const noiseSeeds = seedStream(who, cfg.noiseSeed);
  ensureCourseGradients();
  const want = { length: shapes.length, features: shapes.features };
  const wrong = cfg.wrongLabels ?? false;
  if (typeof wrong !== 'boolean') throw argumentError(who, 'wrongLabels', 'true or false', wrong);
  if (wrong && cG.kind !== 'classes') throw new Error(`${who}: wrongLabels needs nets conditioned on classes, but they are conditioned on ${conditionText(cG)}`);
  if (wrong && cG.kind === 'classes' && cG.classes < 2) throw new Error(`${who}: wrongLabels needs at least 2 classes, got ${cG.classes}`);
  const dKind = cfg.optimizerD ?? 'adam';
  if (dKind !== 'adam' && dKind !== 'sgd') throw argumentError(who, 'optimizerD', "'adam' or 'sgd'", dKind);
  const ema: Ema | null = emaFromOption(G, cfg.ema);
  const optD = createOptimizer(dKind === 'sgd' ? 'sgd' : { kind: 'adam', beta1: b1, beta2: b2 });
  const optG = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const drawReal = (): { b: RcganBatch; o: ApplyOptions } => {
    let b: RcganBatch | undefined;
    // The sampler's intermediates are freed; what it returns is kept.
    tf.tidy(() => {
      b = cfg.sampleReal(batch);
      for (const t of [b?.sequences, b?.labels, b?.condition]) if (t instanceof tf.Tensor) tf.keep(t);
    });
    const free = () => tf.dispose([b?.sequences, b?.labels, b?.condition].filter((t): t is tf.Tensor => t instanceof tf.Tensor));
    try {
      if (!b || !(b.sequences instanceof tf.Tensor)) throw argumentError(who, `sampleReal(${batch})`, 'an object { sequences, labels?, condition? } with a tensor of sequences', b);
      checkSequenceBatch(who, `sampleReal(${batch}).sequences`, b.sequences, batch, want, 'the discriminator takes');
      return { b: b!, o: batchOptions(who, b!, batch, cG) };
    } catch (err) {
      free();
      throw err;
    }
  };
  const noise = (T: number): tf.Tensor => {
    const z = tf.tidy(() => (cfg.sampleNoise ? cfg.sampleNoise(batch) : tf.randomNormal([batch, T, shapes.noiseFeatures], 0, 1, 'float32', noiseSeeds())));
    try {
      checkSequenceBatch(who, `sampleNoise(${batch})`, z, batch, { length: T, features: shapes.noiseFeatures }, 'the generator takes');
    } catch (err) {
      z.dispose();
      throw err;
    }
    return z;
  };
  let ok = false;
  try {
    const result = await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const { b, o } = drawReal();
        const x = b.sequences;
        const T = x.shape[1]!;
        let z1: tf.Tensor;
        try {
          z1 = noise(T);
        } catch (err) {
          tf.dispose([x, b.labels, b.condition].filter((t): t is tf.Tensor => t instanceof tf.Tensor));
          throw err;
        }
        const fake = tf.tidy(() => G.apply(z1, o));
        // Each label moved by 1..K-1 (mod K): always a different class.
        const shifted = wrong && cG.kind === 'classes' ? tf.tidy(() => tf.mod(tf.add(o.labels!, tf.add(tf.cast(tf.floor(tf.randomUniform([batch], 0, cG.classes - 1, 'float32', noiseSeeds())), 'int32'), 1)), cG.classes)) : null;
        const dRes = gradientsInOrder(() => {
          const base = nonSaturatingLoss.discriminator({ real: D.apply(x, o), fake: D.apply(fake, o) });
          if (!shifted) return base;
          const mismatched = D.apply(x, { ...o, labels: shifted });
          return tf.add(base, tf.mean(tf.softplus(mismatched))) as tf.Scalar; // CE(l, 0) = softplus(l)
        }, D.variables);
        optD.step(D.variables, dRes.grads, lrD(k, cfg.steps));
        tf.dispose([z1, fake, ...dRes.grads, ...(shifted ? [shifted] : [])]);
        const z2 = noise(T);
        const gRes = gradientsInOrder(() => nonSaturatingLoss.generator({ fake: D.apply(G.apply(z2, o), o) }), G.variables);
        optG.step(G.variables, gRes.grads, lrG(k, cfg.steps));
        ema?.update();
        tf.dispose([z2, ...gRes.grads, x, b.labels, b.condition].filter((t): t is tf.Tensor => t instanceof tf.Tensor));
        return { lossD: dRes.value, lossG: gRes.value };
      },
    });
    ok = true;
    return ema ? { ...result, emaGenerator: ema.net as RcganNet } : result;
  } finally {
    if (!ok) ema?.dispose();
    optD.dispose();
    optG.dispose();
  }
}
