/**
 * TimeGAN's training (Yoon, Jarrett & van der Schaar 2019, sect. 4; the schedule, weights and
 * rules of the official code's timegan.py), in three phases on `adversarialLoop`:
 *
 *   1. embedding   e, r minimise 10 sqrt(L_R)                         (the autoencoder alone)
 *   2. supervised  s minimises L_S on real embeddings                 (one-step-ahead prediction)
 *   3. joint, per iteration: twice { g, s take a step on
 *          L_G = L_U + gamma L_U_e + 100 sqrt(L_S) + 100 L_V,
 *        then e, r one on 10 sqrt(L_R) + 0.1 L_S }, then d one on
 *          L_D = BCE(d(h), 1) + BCE(d(s(g(z))), 0) + gamma BCE(d(g(z)), 0)
 *        only when L_D > 0.15 (so that D does not overpower G).
 * L_U = BCE(d(s(g(z))), 1) and L_U_e = BCE(d(g(z)), 1) are the non-saturating generator losses on
 * both paths (through the supervisor and straight from g); L_V matches the batch means and
 * standard deviations of x^ = r(s(g(z))) and x (losses in timeGanLosses.ts).
 * The paper's weights (lambda = 1 on L_S for e, eta = 10 for g) differ from the official code's,
 * used here by default (`weights`). Each of the five updates has its own Adam, as there.
 *
 * Each phase is its own loop (its own callbacks and LoopResult). Phases 1 and 2 have no
 * discriminator yet: they report lossD = 0 and lossG = the loss they minimise, with the terms
 * `reconstruction` (L_R) and `supervised` (L_S); the joint phase reports lossD = L_D, lossG = L_G
 * and the terms adversarialU, adversarialUe, supervised, moments, reconstruction and dUpdated
 * (1 when d took its step).
 *
 * `useSupervisor: false` is the paper's ablation "without the supervised loss": no phase 2,
 * no L_S anywhere, g's output goes straight to d and r (x^ = r(g(z))), so L_U_e and D's
 * gamma term (copies of L_U and of the fake term) are dropped.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkNonNegative } from '../core/args';
import { ensureCourseGradients } from '../backend/courseGradients';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule, ScheduleLike } from '../nn/schedules';
import { adversarialLoop, drawBatch, gradientsInOrder, LoopCallbacks, LoopResult, LoopStepScalars, seedStream } from './adversarialLoop';
import { timeGanNoise, TimeGanNets } from './models/timeGan';
import { checkSequenceBatch } from './sequenceChecks';
import { bceWithLogits, timeGanMomentLoss, timeGanReconstructionLoss, timeGanSupervisedLoss } from './timeGanLosses';

export interface TimeGanWeights {
  /** gamma: weight of the g-path terms L_U_e and D's fake_e (default 1). */
  gamma?: number;
  /** Weight of sqrt(L_S) in g's loss (default 100, official; the paper's eta = 10 on L_S). */
  supervised?: number;
  /** Weight of L_V in g's loss (default 100). */
  moments?: number;
  /** Weight of sqrt(L_R) in e, r's losses (default 10). */
  reconstruction?: number;
  /** Weight of L_S in e, r's joint loss (default 0.1; the paper's lambda = 1). */
  embedderSupervised?: number;
}

/** Progress callbacks for each phase (each phase is its own loop). */
export interface TimeGanCallbacks {
  embedding?: LoopCallbacks;
  supervised?: LoopCallbacks;
  joint?: LoopCallbacks;
}

export interface TimeGanTrainConfig {
  nets: TimeGanNets;
  /** NEW [n, T, features] real sequences in [0, 1] per call. */
  sampleReal(n: number): tf.Tensor;
  /** [n, T, latentDim] noise (default uniform in [0, 1), as the official code, from `noiseSeed`). */
  sampleNoise?(n: number): tf.Tensor;
  /** Seed of the default noise stream (default 0): two runs draw the same noise. */
  noiseSeed?: number;
  embeddingSteps: number;
  supervisedSteps: number;
  /** Joint iterations (each: two g/s steps with two e/r steps, and at most one d step). */
  jointSteps: number;
  /** Default 128. */
  batchSize?: number;
  weights?: TimeGanWeights;
  /** d updates only while its loss is above this (default 0.15). */
  dThreshold?: number;
  /** Default true; false: the ablation without the supervisor. */
  useSupervisor?: boolean;
  /** Adam's learning rate for all five updates (default 1e-3, TensorFlow's default used by the official code). */
  lr?: ScheduleLike;
  /** Default [0.9, 0.999]. */
  betas?: [number, number];
  logEvery?: number;
  callbacks?: TimeGanCallbacks;
  signal?: AbortSignal;
  stopOnInterrupt?: boolean;
}

export interface TimeGanTrainResult {
  embedding: LoopResult;
  supervised: LoopResult;
  joint: LoopResult;
  interrupted: boolean;
}

const OPTIONS = ['nets', 'sampleReal', 'sampleNoise', 'noiseSeed', 'embeddingSteps', 'supervisedSteps', 'jointSteps', 'batchSize', 'weights', 'dThreshold', 'useSupervisor', 'lr', 'betas', 'logEvery', 'callbacks', 'signal', 'stopOnInterrupt'] as const;
const WEIGHT_KEYS = ['gamma', 'supervised', 'moments', 'reconstruction', 'embedderSupervised'] as const;
const NET_KEYS = ['embedder', 'recovery', 'generator', 'supervisor', 'discriminator'] as const;

const emptyResult = (): LoopResult => ({ steps: 0, interrupted: false, history: [], elapsedMs: 0 });

export async function trainTimeGan(cfg: TimeGanTrainConfig): Promise<TimeGanTrainResult> {
  const who = 'trainTimeGan';
  checkKnownOptions(who, cfg, OPTIONS);
  const nets = cfg.nets;
  if (!nets || typeof nets !== 'object') throw argumentError(who, 'nets', 'the five networks of timeGanNets(...)', nets);
  for (const k of NET_KEYS) if (!nets[k] || typeof nets[k].apply !== 'function') throw argumentError(who, `nets.${k}`, 'a Net', nets[k]);
  if (typeof cfg.sampleReal !== 'function') throw argumentError(who, 'sampleReal', 'a function n -> [n, T, features] sequences', cfg.sampleReal);
  if (cfg.sampleNoise !== undefined && typeof cfg.sampleNoise !== 'function') throw argumentError(who, 'sampleNoise', 'a function n -> [n, T, latentDim] noise', cfg.sampleNoise);
  for (const k of ['embeddingSteps', 'supervisedSteps', 'jointSteps'] as const) checkInteger(who, k, cfg[k], 0);
  const batch = cfg.batchSize ?? 128;
  checkInteger(who, 'batchSize', batch, 1);
  const w = cfg.weights ?? {};
  checkKnownOptions(`${who} weights`, w, WEIGHT_KEYS);
  const gamma = w.gamma ?? 1, wS = w.supervised ?? 100, wV = w.moments ?? 100, wR = w.reconstruction ?? 10, wES = w.embedderSupervised ?? 0.1;
  for (const [k, v] of Object.entries({ gamma, supervised: wS, moments: wV, reconstruction: wR, embedderSupervised: wES })) checkNonNegative(who, `weights.${k}`, v);
  const dThreshold = cfg.dThreshold ?? 0.15;
  checkNonNegative(who, 'dThreshold', dThreshold);
  const sup = cfg.useSupervisor ?? true;
  if (typeof sup !== 'boolean') throw argumentError(who, 'useSupervisor', 'true or false', sup);
  const lr = resolveSchedule(who, 'lr', cfg.lr ?? 1e-3);
  const noiseSeeds = seedStream(who, cfg.noiseSeed);
  const [b1, b2] = cfg.betas ?? [0.9, 0.999];
  ensureCourseGradients();

  const { embedder: e, recovery: r, generator: g, supervisor: s, discriminator: d } = nets;
  const real = { length: nets.length, features: nets.features };
  const noiseShape = { length: nets.length, features: nets.latentDim };
  const drawReal = (): tf.Tensor => {
    const x = drawBatch(who, 'sampleReal', cfg.sampleReal, batch);
    try {
      checkSequenceBatch(who, `sampleReal(${batch})`, x, batch, real, 'the embedder takes');
    } catch (err) {
      x.dispose();
      throw err;
    }
    return x;
  };
  /** Noise for a batch; on a bad batch it frees `drawn` (this step's real batch) before throwing. */
  const drawNoise = (drawn: tf.Tensor): tf.Tensor => {
    let z: tf.Tensor | null = null;
    try {
      z = cfg.sampleNoise ? drawBatch(who, 'sampleNoise', cfg.sampleNoise, batch) : timeGanNoise(nets, batch, noiseSeeds());
      checkSequenceBatch(who, `sampleNoise(${batch})`, z, batch, noiseShape, 'the generator takes');
      return z;
    } catch (err) {
      tf.dispose([drawn, ...(z ? [z] : [])]);
      throw err;
    }
  };
  const adam = () => createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const erVars = [...e.variables, ...r.variables];
  const gsVars = sup ? [...g.variables, ...s.variables] : [...g.variables];
  const opts = { embedding: adam(), embedderJoint: adam(), supervised: adam(), generator: adam(), discriminator: adam() };
  const train = { training: true };
  const loop = (name: keyof TimeGanCallbacks, steps: number, step: (k: number) => LoopStepScalars) =>
    adversarialLoop({ who: `${who} (${name} phase)`, steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks?.[name], signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt, step });

  /** e, r on w_R sqrt(L_R) (+ w_ES L_S in the joint phase); returns L_R (kept). */
  const embedderStep = (x: tf.Tensor, k: number, total: number, joint: boolean): { value: tf.Scalar; reconstruction: tf.Scalar } => {
    let rec: tf.Scalar | null = null;
    const res = gradientsInOrder(() => {
      const h = e.apply(x, train);
      const lr0 = timeGanReconstructionLoss(x, r.apply(h, train));
      rec = tf.keep(lr0);
      let loss = tf.mul(wR, tf.sqrt(lr0)) as tf.Scalar;
      if (joint && sup) loss = tf.add(loss, tf.mul(wES, timeGanSupervisedLoss(h, s.apply(h, train)))) as tf.Scalar;
      return loss;
    }, erVars);
    (joint ? opts.embedderJoint : opts.embedding).step(erVars, res.grads, lr(k, total));
    tf.dispose(res.grads);
    return { value: res.value, reconstruction: rec! };
  };

  try {
    const embedding = await loop('embedding', cfg.embeddingSteps, (k) => {
      const x = drawReal();
      const { value, reconstruction } = embedderStep(x, k, cfg.embeddingSteps, false);
      x.dispose();
      return { lossD: tf.scalar(0), lossG: value, terms: { reconstruction } };
    });
    const result: TimeGanTrainResult = { embedding, supervised: emptyResult(), joint: emptyResult(), interrupted: embedding.interrupted };
    if (result.interrupted) return result;

    if (sup) {
      // Only s receives a gradient (the official code lists g's variables too, which L_S does not reach).
      result.supervised = await loop('supervised', cfg.supervisedSteps, (k) => {
        const x = drawReal();
        const res = gradientsInOrder(() => {
          const h = e.apply(x, train);
          return timeGanSupervisedLoss(h, s.apply(h, train));
        }, s.variables);
        opts.supervised.step(s.variables, res.grads, lr(k, cfg.supervisedSteps));
        tf.dispose([x, ...res.grads]);
        return { lossD: tf.scalar(0), lossG: res.value, terms: { supervised: tf.clone(res.value) } };
      });
      result.interrupted = result.supervised.interrupted;
      if (result.interrupted) return result;
    }

    result.joint = await loop('joint', cfg.jointSteps, (k) => {
      const total = cfg.jointSteps;
      const terms: Record<string, tf.Scalar> = {};
      const keepTerm = (name: string, t: tf.Scalar) => {
        terms[name]?.dispose();
        terms[name] = tf.keep(t);
      };
      let lossG: tf.Scalar | null = null;
      for (let rep = 0; rep < 2; rep++) {
        const x = drawReal();
        const z = drawNoise(x);
        const gRes = gradientsInOrder(() => {
          const eHat = g.apply(z, train);
          const hHat = sup ? s.apply(eHat, train) : eHat;
          const u = bceWithLogits(d.apply(hHat, train), 1);
          keepTerm('adversarialU', u);
          let loss = u;
          if (sup) {
            const ue = bceWithLogits(d.apply(eHat, train), 1);
            keepTerm('adversarialUe', ue);
            const h = e.apply(x, train);
            const ls = timeGanSupervisedLoss(h, s.apply(h, train));
            keepTerm('supervised', ls);
            loss = tf.add(loss, tf.add(tf.mul(gamma, ue), tf.mul(wS, tf.sqrt(ls)))) as tf.Scalar;
          }
          const v = timeGanMomentLoss(r.apply(hHat, train), x);
          keepTerm('moments', v);
          return tf.add(loss, tf.mul(wV, v)) as tf.Scalar;
        }, gsVars);
        opts.generator.step(gsVars, gRes.grads, lr(k, total));
        tf.dispose(gRes.grads);
        lossG?.dispose();
        lossG = gRes.value;
        const eRes = embedderStep(x, k, total, true);
        eRes.value.dispose();
        keepTerm('reconstruction', eRes.reconstruction);
        tf.dispose([x, z]);
      }
      const x = drawReal();
      const z = drawNoise(x);
      const dRes = gradientsInOrder(() => {
        const eHat = g.apply(z, train);
        const h = e.apply(x, train);
        let loss = tf.add(bceWithLogits(d.apply(h, train), 1), bceWithLogits(d.apply(sup ? s.apply(eHat, train) : eHat, train), 0)) as tf.Scalar;
        if (sup) loss = tf.add(loss, tf.mul(gamma, bceWithLogits(d.apply(eHat, train), 0))) as tf.Scalar;
        return loss;
      }, d.variables);
      // The official rule needs D's loss on the host every iteration (one small read).
      const update = dRes.value.dataSync()[0] > dThreshold;
      if (update) opts.discriminator.step(d.variables, dRes.grads, lr(k, total));
      tf.dispose([x, z, ...dRes.grads]);
      terms.dUpdated = tf.scalar(update ? 1 : 0);
      return { lossD: dRes.value, lossG: lossG!, terms };
    });
    result.interrupted = result.joint.interrupted;
    return result;
  } finally {
    for (const o of Object.values(opts)) o.dispose();
  }
}
