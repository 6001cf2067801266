/**
 * A discriminator (or critic) trained against a FIXED generator: the inner maximisation of the
 * game on its own, to see what the trained D converges to for a given loss. With the BCE loss
 * its logit approaches log p_data(x) / p_g(x) (Goodfellow et al. 2014, proposition 1, in logit
 * form); with the hinge loss and with a Wasserstein critic it does not, which is what the
 * density-ratio chapter shows. The same loop contract as `train()`: progress callbacks, kernel
 * interrupts between steps, losses read every `logEvery` steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkNonNegative } from '../core/args';
import { rng } from '../core/random';
import { ensureCourseGradients } from '../backend/courseGradients';
import type { BatchSampler } from '../data/batches';
import type { Net } from '../nn/net';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule, ScheduleLike } from '../nn/schedules';
import { adversarialLoop, drawBatch, gradientsInOrder, LoopCallbacks, LoopResult } from './adversarialLoop';
import { ganLoss, GanLoss, GanLossName } from './losses';
import { gradientPenalty } from './penalties';

export interface FitDiscriminatorConfig {
  discriminator: Net;
  /** A NEW tensor of n examples from p_data per call. */
  sampleReal: BatchSampler;
  /** A NEW tensor of n examples from the fixed p_g per call. */
  sampleFake: BatchSampler;
  /** Default 'nonSaturating' (the BCE discriminator loss). */
  loss?: GanLossName | GanLoss;
  /** WGAN-GP's gradient penalty weight (default 0: none). */
  gradientPenalty?: number;
  steps: number;
  batchSize?: number;
  /** Default 1e-3. */
  lr?: ScheduleLike;
  /** Adam's betas (default [0.5, 0.999]). */
  betas?: [number, number];
  /** Seeds the penalty's interpolation weights (default 0). */
  seed?: number;
  logEvery?: number;
  callbacks?: LoopCallbacks;
  signal?: AbortSignal;
  stopOnInterrupt?: boolean;
}

export async function fitDiscriminator(cfg: FitDiscriminatorConfig): Promise<LoopResult> {
  const who = 'fitDiscriminator';
  const D = cfg.discriminator;
  if (!D || typeof D.apply !== 'function') throw argumentError(who, 'discriminator', 'a Net', D);
  for (const k of ['sampleReal', 'sampleFake'] as const) if (typeof cfg[k] !== 'function') throw argumentError(who, k, 'a function n -> tensor', cfg[k]);
  const loss = ganLoss(cfg.loss ?? 'nonSaturating');
  const gp = cfg.gradientPenalty ?? 0;
  checkNonNegative(who, 'gradientPenalty', gp);
  const batch = cfg.batchSize ?? 128;
  checkInteger(who, 'batchSize', batch, 2);
  const lr = resolveSchedule(who, 'lr', cfg.lr ?? 1e-3);
  const [b1, b2] = cfg.betas ?? [0.5, 0.999];
  ensureCourseGradients();
  const draw = (what: 'sampleReal' | 'sampleFake', n: number) => drawBatch(who, what, (m) => cfg[what](m), n);
  const epsRng = rng(cfg.seed ?? 0);
  const opt = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  try {
    return await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const real = draw('sampleReal', batch);
        const fake = draw('sampleFake', batch);
        const epsilon = gp > 0 ? tf.tensor1d(Float32Array.from({ length: batch }, () => epsRng.uniform())) : null;
        let penalty: tf.Scalar | null = null;
        const d = gradientsInOrder(() => {
          const base = loss.discriminator({ real: D.apply(real, { training: true }), fake: D.apply(fake, { training: true }) });
          if (gp === 0) return base;
          const p = gradientPenalty(D, real, fake, { lambda: gp, epsilon: epsilon! });
          penalty = tf.keep(p);
          return tf.add(base, p) as tf.Scalar;
        }, D.variables);
        opt.step(D.variables, d.grads, lr(k, cfg.steps));
        tf.dispose([...d.grads, real, fake]);
        epsilon?.dispose();
        // no generator here: lossG is reported as 0 so that the dashboard's contract holds
        return { lossD: d.value, lossG: tf.scalar(0), terms: penalty ? { gp: penalty } : undefined };
      },
    });
  } finally {
    opt.dispose();
  }
}
