/**
 * TimeGAN's two post-hoc scores for synthetic time series (Yoon, Jarrett & van der Schaar
 * 2019, sect. 5), as the official code defines them (`metrics/discriminative_metrics.py`,
 * `metrics/predictive_metrics.py`):
 *
 * - Discriminative score: a post-hoc classifier (one GRU layer, hidden size int(dim / 2),
 *   its last state -> one logit) learns to tell real sequences (label 1) from synthetic ones
 *   (label 0). Each set is shuffled and split 80/20 on its own; each Adam step (lr 1e-3) takes
 *   `batchSize` sequences of each set drawn without replacement and minimises the sum of the
 *   two mean sigmoid cross-entropies. The score is |accuracy - 0.5| on the held-out 20% of
 *   both sets together: 0 when the classifier cannot tell them apart, 0.5 when it always can.
 * - Predictive score ("train on synthetic, test on real" for a forecaster): a GRU (hidden
 *   int(dim / 2)) with a sigmoid dense head reads the first dim - 1 features of steps
 *   0..T-2 and predicts the last feature at steps 1..T-1 (official: input x[:, :-1, :dim-1],
 *   target x[:, 1:, dim-1]); trained with Adam on the mean absolute error over synthetic
 *   sequences, it is scored by its mean absolute error on the real ones. The sigmoid head
 *   assumes data scaled to [0, 1], as TimeGAN's are.
 *
 * Defaults are the official ones: 2000 steps for the discriminative score, 5000 for the
 * predictive one, batches of 128. Deviations: the hidden size is at least 1 (int(dim / 2)
 * is 0 for one feature); all sequences have the same length (the official code pads and
 * passes lengths, which fixed-length data do not need); the test predictions of the
 * predictive score cover every real sequence in a fixed order (the official code permutes
 * them first, which does not change the mean). The paper reports the mean over 10 runs with
 * fresh networks; call these with 10 seeds and average to do the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkPositive, checkPositiveInt } from '../core/args';
import { yieldToEventLoop } from '../core/interrupt';
import { rng, Rng } from '../core/random';
import { dense } from '../nn/dense';
import { gru } from '../nn/gru';
import type { Net } from '../nn/net';
import { adamOptimizer } from '../nn/optimizers';

/** Sequences scored at once when predicting (bounds the memory of one forward pass). */
const CHUNK = 512;

/** `data` holds `count` sequences of `length` steps of `features` finite values. */
export function checkSequences(who: string, name: string, data: ArrayLike<number>, count: number, length: number, features: number): void {
  if (data == null || typeof data.length !== 'number') throw argumentError(who, name, 'a flat array of sequences [count, length, features]', data);
  const want = count * length * features;
  if (data.length !== want) {
    throw new Error(
      `${who}: ${name} must hold count * length * features = ${count} * ${length} * ${features} = ${want} values (sequences of equal length with the same features), got ${data.length}`,
    );
  }
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw argumentError(who, `${name}[${i}]`, 'a finite number', data[i]);
}

/** The official default hidden size, int(dim / 2), but at least one unit. */
function defaultHidden(features: number): number {
  return Math.max(1, Math.floor(features / 2));
}

function shuffled(n: number, r: Rng): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}

/** `m` distinct entries of `pool` (all of it when m >= its size), by a partial Fisher-Yates shuffle. */
function drawBatch(pool: Int32Array, m: number, r: Rng): Int32Array {
  const k = Math.min(m, pool.length);
  const p = pool.slice();
  for (let i = 0; i < k; i++) {
    const j = i + r.int(p.length - i);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p.subarray(0, k);
}

/** The sequences at `idx`, with only features [from, from + width) of steps [t0, t0 + steps). */
function gather(data: ArrayLike<number>, idx: ArrayLike<number>, length: number, features: number, t0: number, steps: number, from: number, width: number): Float32Array {
  const out = new Float32Array(idx.length * steps * width);
  let o = 0;
  for (let b = 0; b < idx.length; b++) {
    for (let t = t0; t < t0 + steps; t++) {
      const base = (idx[b] * length + t) * features + from;
      for (let k = 0; k < width; k++) out[o++] = data[base + k];
    }
  }
  return out;
}

function checkOptionsObject(who: string, opts: unknown): void {
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object', opts);
}

interface TrainingSettings {
  hidden: number;
  steps: number;
  batchSize: number;
  lr: number;
}

function trainingSettings(who: string, o: { hidden?: number; steps?: number; batchSize?: number; lr?: number }, features: number, defaultSteps: number): TrainingSettings {
  const s = { hidden: o.hidden ?? defaultHidden(features), steps: o.steps ?? defaultSteps, batchSize: o.batchSize ?? 128, lr: o.lr ?? 1e-3 };
  checkPositiveInt(who, 'hidden', s.hidden);
  checkInteger(who, 'steps', s.steps, 0);
  checkPositiveInt(who, 'batchSize', s.batchSize);
  checkPositive(who, 'lr', s.lr);
  return s;
}

/** Runs `steps` Adam steps of `loss` (built from a fresh batch each step), yielding now and then. */
async function fit(variables: tf.Variable[], steps: number, lr: number, loss: () => tf.Scalar): Promise<number> {
  const opt = adamOptimizer();
  let last = NaN;
  try {
    for (let k = 0; k < steps; k++) {
      const read = k === steps - 1;
      const value = tf.tidy(() => {
        const { value: v, grads } = tf.variableGrads(loss, variables);
        opt.step(variables, variables.map((x) => grads[x.name] ?? tf.zerosLike(x)), lr);
        return v;
      });
      if (read) last = (await value.data())[0];
      value.dispose();
      // let a kernel interrupt or a display update through now and then
      if ((k + 1) % 25 === 0) await yieldToEventLoop();
    }
  } finally {
    opt.dispose();
  }
  return last;
}

function disposeNets(nets: Net[]): void {
  for (const n of nets) n.dispose?.();
}

// ---- discriminative score --------------------------------------------------------------

export interface DiscriminativeScoreOptions {
  /** Real sequences, row-major [count, length, features]. */
  real: ArrayLike<number>;
  /** Synthetic sequences, row-major [fakeCount, length, features]. */
  fake: ArrayLike<number>;
  /** Number of real sequences (at least 5, so that the 20% test split is not empty). */
  count: number;
  /** Number of synthetic sequences (default `count`). */
  fakeCount?: number;
  length: number;
  features: number;
  /** GRU units (default int(features / 2), at least 1). */
  hidden?: number;
  /** Adam steps (default 2000, the official number). */
  steps?: number;
  /** Sequences of EACH set per step (default 128). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3, TensorFlow's default the official code uses). */
  lr?: number;
  seed: number;
}

export interface DiscriminativeScore {
  /** |accuracy - 0.5| on the held-out sequences. */
  score: number;
  /** Held-out accuracy over real and synthetic together. */
  accuracy: number;
  /** Held-out share of real sequences classified real, and of synthetic ones classified synthetic. */
  realAccuracy: number;
  fakeAccuracy: number;
  /** The training loss at the last step (sum of the two mean cross-entropies; NaN for 0 steps). */
  finalLoss: number;
  trainCount: { real: number; fake: number };
  testCount: { real: number; fake: number };
}

const DISCRIMINATIVE_OPTIONS = ['real', 'fake', 'count', 'fakeCount', 'length', 'features', 'hidden', 'steps', 'batchSize', 'lr', 'seed'] as const;

/** TimeGAN's discriminative score (see the file comment). Async: it yields to the event loop while training. */
export async function discriminativeScore(opts: DiscriminativeScoreOptions): Promise<DiscriminativeScore> {
  const who = 'discriminativeScore';
  checkOptionsObject(who, opts);
  checkKnownOptions(who, opts, DISCRIMINATIVE_OPTIONS);
  const { real, fake, count, length, features, seed } = opts;
  const fakeCount = opts.fakeCount ?? count;
  checkInteger(who, 'count', count, 5);
  checkInteger(who, 'fakeCount', fakeCount, 5);
  checkPositiveInt(who, 'length', length);
  checkPositiveInt(who, 'features', features);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argumentError(who, 'seed', 'a finite number', seed);
  checkSequences(who, 'real', real, count, length, features);
  checkSequences(who, 'fake', fake, fakeCount, length, features);
  const s = trainingSettings(who, opts, features, 2000);

  const r = rng(seed);
  // the official train_test_divide: each set shuffled and split 80/20 on its own
  const split = (n: number) => {
    const idx = shuffled(n, r);
    const cut = Math.floor(n * 0.8);
    return { train: idx.slice(0, cut), test: idx.slice(cut) };
  };
  const realSplit = split(count);
  const fakeSplit = split(fakeCount);

  const body = gru({ inputSize: features, hidden: s.hidden, returnSequences: false, timeSteps: length, name: 'discriminativeScore/gru', fused: true, seed: r.fork() });
  const head = dense({ inUnits: s.hidden, units: 1, name: 'discriminativeScore/logit', seed: r.fork() });
  const variables = [...body.variables, ...head.variables];
  const logits = (x: tf.Tensor) => tf.reshape(head.apply(body.apply(x)), [-1]);
  const batchR = r.fork();
  try {
    const finalLoss = await fit(variables, s.steps, s.lr, () => {
      const ri = drawBatch(realSplit.train, s.batchSize, batchR);
      const fi = drawBatch(fakeSplit.train, s.batchSize, batchR);
      // one pass over both halves: half the kernel launches of two passes, the same function
      const x = tf.concat([
        tf.tensor3d(gather(real, ri, length, features, 0, length, 0, features), [ri.length, length, features]),
        tf.tensor3d(gather(fake, fi, length, features, 0, length, 0, features), [fi.length, length, features]),
      ]);
      const z = logits(x);
      const lr = tf.slice(z, [0], [ri.length]);
      const lf = tf.slice(z, [ri.length], [fi.length]);
      return tf.add(tf.losses.sigmoidCrossEntropy(tf.onesLike(lr), lr), tf.losses.sigmoidCrossEntropy(tf.zerosLike(lf), lf)) as tf.Scalar;
    });
    // share of held-out sequences whose logit has the wanted sign (sigmoid > 0.5 means "real")
    const correct = async (data: ArrayLike<number>, idx: Int32Array, isReal: boolean): Promise<number> => {
      let ok = 0;
      for (let st = 0; st < idx.length; st += CHUNK) {
        const part = idx.subarray(st, Math.min(idx.length, st + CHUNK));
        const t = tf.tidy(() => logits(tf.tensor3d(gather(data, part, length, features, 0, length, 0, features), [part.length, length, features])));
        const z = await t.data();
        t.dispose();
        for (let i = 0; i < z.length; i++) if (z[i] > 0 === isReal) ok++;
      }
      return ok;
    };
    const okReal = await correct(real, realSplit.test, true);
    const okFake = await correct(fake, fakeSplit.test, false);
    const accuracy = (okReal + okFake) / (realSplit.test.length + fakeSplit.test.length);
    return {
      score: Math.abs(accuracy - 0.5),
      accuracy,
      realAccuracy: okReal / realSplit.test.length,
      fakeAccuracy: okFake / fakeSplit.test.length,
      finalLoss,
      trainCount: { real: realSplit.train.length, fake: fakeSplit.train.length },
      testCount: { real: realSplit.test.length, fake: fakeSplit.test.length },
    };
  } finally {
    disposeNets([body, head]);
  }
}

// ---- predictive score ------------------------------------------------------------------

export interface PredictiveScoreOptions {
  /** Training sequences (the synthetic ones for TSTR), row-major [count, length, features]. */
  train: ArrayLike<number>;
  /** Test sequences (the real ones), row-major [testCount, length, features]. */
  test: ArrayLike<number>;
  /** Number of training sequences. */
  count: number;
  /** Number of test sequences (default `count`). */
  testCount?: number;
  /** Steps per sequence, at least 2. */
  length: number;
  /** Features per step, at least 2 (dim - 1 inputs, 1 target). */
  features: number;
  /** GRU units (default int(features / 2), at least 1). */
  hidden?: number;
  /** Adam steps (default 5000, the official number). */
  steps?: number;
  /** Sequences per step (default 128). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3). */
  lr?: number;
  seed: number;
}

export interface PredictiveScore {
  /** Mean absolute error of the next-step prediction of the last feature on the test sequences. */
  score: number;
  /** The training loss (mean absolute error on a training batch) at the last step (NaN for 0 steps). */
  finalLoss: number;
}

const PREDICTIVE_OPTIONS = ['train', 'test', 'count', 'testCount', 'length', 'features', 'hidden', 'steps', 'batchSize', 'lr', 'seed'] as const;

/** TimeGAN's predictive score (see the file comment). Async: it yields to the event loop while training. */
export async function predictiveScore(opts: PredictiveScoreOptions): Promise<PredictiveScore> {
  const who = 'predictiveScore';
  checkOptionsObject(who, opts);
  checkKnownOptions(who, opts, PREDICTIVE_OPTIONS);
  const { train, test, count, length, features, seed } = opts;
  const testCount = opts.testCount ?? count;
  checkPositiveInt(who, 'count', count);
  checkPositiveInt(who, 'testCount', testCount);
  checkInteger(who, 'length', length, 2);
  if (typeof features !== 'number' || !Number.isInteger(features) || features < 2) {
    throw argumentError(who, 'features', 'an integer >= 2 (the first features - 1 are the inputs, the last one the target)', features);
  }
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argumentError(who, 'seed', 'a finite number', seed);
  checkSequences(who, 'train', train, count, length, features);
  checkSequences(who, 'test', test, testCount, length, features);
  const s = trainingSettings(who, opts, features, 5000);

  const T = length - 1;
  const inputs = features - 1;
  const r = rng(seed);
  const body = gru({ inputSize: inputs, hidden: s.hidden, returnSequences: true, timeSteps: T, name: 'predictiveScore/gru', fused: true, seed: r.fork() });
  const head = dense({ inUnits: s.hidden, units: 1, activation: 'sigmoid', name: 'predictiveScore/output', seed: r.fork() });
  const variables = [...body.variables, ...head.variables];
  const predict = (x: tf.Tensor) => {
    const h = body.apply(x);
    return tf.reshape(head.apply(tf.reshape(h, [-1, s.hidden])), [x.shape[0], T]);
  };
  const batch = (data: ArrayLike<number>, idx: ArrayLike<number>) => ({
    x: tf.tensor3d(gather(data, idx, length, features, 0, T, 0, inputs), [idx.length, T, inputs]),
    y: tf.tensor2d(gather(data, idx, length, features, 1, T, inputs, 1), [idx.length, T]),
  });
  const all = Int32Array.from({ length: count }, (_, i) => i);
  const batchR = r.fork();
  try {
    const finalLoss = await fit(variables, s.steps, s.lr, () => {
      const { x, y } = batch(train, drawBatch(all, s.batchSize, batchR));
      return tf.mean(tf.abs(tf.sub(predict(x), y))) as tf.Scalar;
    });
    let sum = 0;
    for (let st = 0; st < testCount; st += CHUNK) {
      const idx = Int32Array.from({ length: Math.min(CHUNK, testCount - st) }, (_, i) => st + i);
      const t = tf.tidy(() => {
        const { x, y } = batch(test, idx);
        return tf.sum(tf.abs(tf.sub(predict(x), y)));
      });
      sum += (await t.data())[0];
      t.dispose();
    }
    // every sequence has T targets, so the official mean of per-sequence MAEs is this overall mean
    return { score: sum / (testCount * T), finalLoss };
  } finally {
    disposeNets([body, head]);
  }
}
