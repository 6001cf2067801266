/**
 * BiGAN's training step: one update of D on
 *   loss_D(real: D(x, E(x)), fake: D(G(z), z))      (E and G held fixed)
 * then one joint update of G and E on the same game with the roles swapped (the
 * non-saturating form: each of the two pairs is pushed to look like the other):
 *   loss_D(real: D(G(z), z), fake: D(x, E(x))).
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger } from '../core/args';
import { ensureCourseGradients } from '../backend/courseGradients';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule } from '../nn/schedules';
import type { BatchSampler } from '../data/batches';
import { adversarialLoop, AdversarialTrainOptions, drawBatch, gradientsInOrder, LoopResult } from './adversarialLoop';
import { nonSaturatingLoss } from './losses';
import type { BiGanNets } from './models/biGan';

/** lrD and lrG default to 2e-4. */
export interface BiGanTrainConfig extends AdversarialTrainOptions {
  nets: BiGanNets;
  /** A NEW tensor of n real images per call. */
  sampleReal: BatchSampler;
  /** A NEW tensor of n latents [n, latentDim] per call. */
  sampleLatent: BatchSampler;
}

export async function trainBiGan(cfg: BiGanTrainConfig): Promise<LoopResult> {
  const who = 'trainBiGan';
  const nets = cfg.nets;
  if (!nets || !nets.generator || !nets.encoder || !nets.discriminator) throw argumentError(who, 'nets', 'the result of biGanNets(...)', nets);
  for (const k of ['sampleReal', 'sampleLatent'] as const) if (typeof cfg[k] !== 'function') throw argumentError(who, k, 'a function n -> tensor', cfg[k]);
  const batch = cfg.batchSize ?? 64;
  checkInteger(who, 'batchSize', batch, 2);
  const lrD = resolveSchedule(who, 'lrD', cfg.lrD ?? 2e-4);
  const lrG = resolveSchedule(who, 'lrG', cfg.lrG ?? 2e-4);
  const [b1, b2] = cfg.betas ?? [0.5, 0.999];
  ensureCourseGradients();
  const { generator: G, encoder: E, discriminator: D, latentDim } = nets;
  const geVars = [...G.variables, ...E.variables];
  const optD = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const optG = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const draw = (what: 'sampleReal' | 'sampleLatent', n: number) => {
    const t = drawBatch(who, what, (m) => cfg[what](m), n);
    if (what === 'sampleLatent' && (t.rank !== 2 || t.shape[1] !== latentDim)) {
      const shape = t.shape;
      t.dispose();
      throw new Error(`${who}: sampleLatent(${n}) must return [${n}, ${latentDim}] (the nets' latentDim), got [${shape}]`);
    }
    return t;
  };
  const loss = nonSaturatingLoss;
  try {
    return await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const x = draw('sampleReal', batch);
        const z = draw('sampleLatent', batch);
        const ex = tf.tidy(() => E.apply(x, { training: true }));
        const gz = tf.tidy(() => G.apply(z, { training: true }));
        const d = gradientsInOrder(() => loss.discriminator({ real: D.apply(x, ex, { training: true }), fake: D.apply(gz, z, { training: true }) }), D.variables);
        optD.step(D.variables, d.grads, lrD(k, cfg.steps));
        tf.dispose([...d.grads, ex, gz]);
        const g = gradientsInOrder(
          () => loss.discriminator({ real: D.apply(G.apply(z, { training: true }), z, { training: true }), fake: D.apply(x, E.apply(x, { training: true }), { training: true }) }),
          geVars,
        );
        optG.step(geVars, g.grads, lrG(k, cfg.steps));
        tf.dispose([...g.grads, x, z]);
        return { lossD: d.value, lossG: g.value };
      },
    });
  } finally {
    optD.dispose();
    optG.dispose();
  }
}
