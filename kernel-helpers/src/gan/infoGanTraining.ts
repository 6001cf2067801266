/**
 * InfoGAN's training step (Chen et al. 2016): per step one update of D's side (trunk, D head
 * and Q head) on
 *   loss_D(D(x), D(G(z, c))) + lambda * infoLoss(Q(G(z, c)), c)     (G held fixed)
 * and one update of G on
 *   loss_G(D(G(z, c))) + lambda * infoLoss(Q(G(z, c)), c)
 * so both players maximise the bound L_I. The trunk runs once per batch and feeds both heads.
 * Reported curves: `L_I` = ln K - cross-entropy of c1 (its ceiling is ln K), and the
 * continuous codes' squared error.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger } from '../core/args';
import type { Rng } from '../core/random';
import { ensureCourseGradients } from '../backend/courseGradients';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule } from '../nn/schedules';
import { adversarialLoop, AdversarialTrainOptions, gradientsInOrder, LoopResult } from './adversarialLoop';
import { ganLoss, GanLossName } from './losses';
import { checkInfoWeights, infoGanLatents, InfoGanNets, infoLoss } from './models/infoGan';

/** lrD defaults to 2e-4 (D and Q), lrG to 1e-3 (G): the paper's MNIST settings. */
export interface InfoGanTrainConfig extends AdversarialTrainOptions {
  nets: InfoGanNets;
  /** A NEW tensor of n real images per call (the loop disposes it). */
  sampleReal(n: number): tf.Tensor;
  /** The stream the latents and codes are drawn from. */
  r: Rng;
  /** Weights of the categorical and continuous parts of the information loss (default 1 and 0.1). */
  lambda?: { categorical?: number; continuous?: number };
  /** Default 'nonSaturating'. */
  loss?: GanLossName;
}

export async function trainInfoGan(cfg: InfoGanTrainConfig): Promise<LoopResult> {
  const who = 'trainInfoGan';
  const nets = cfg.nets;
  if (!nets || !nets.generator || !nets.trunk || !nets.qHead) throw argumentError(who, 'nets', 'the result of infoGanNets(...)', nets);
  if (typeof cfg.sampleReal !== 'function') throw argumentError(who, 'sampleReal', 'a function n -> images tensor', cfg.sampleReal);
  const batch = cfg.batchSize ?? 64;
  checkInteger(who, 'batchSize', batch, 2);
  const lambda = cfg.lambda ?? {};
  checkInfoWeights(who, lambda);
  const loss = ganLoss(cfg.loss ?? 'nonSaturating');
  if (loss.generatorUsesReal) throw new Error(`${who}: loss '${loss.name}' uses real data in G's step; use a loss whose generator step does not (nonSaturating, hinge, ...)`);
  const lrD = resolveSchedule(who, 'lrD', cfg.lrD ?? 2e-4);
  const lrG = resolveSchedule(who, 'lrG', cfg.lrG ?? 1e-3);
  const [b1, b2] = cfg.betas ?? [0.5, 0.999];
  ensureCourseGradients();
  const latents = infoGanLatents(nets.codes, cfg.r);
  const { generator: G, trunk, dHead, qHead, codes } = nets;
  const dVars = nets.discriminatorVariables;
  const optD = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const optG = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const lnK = codes.categories > 0 ? Math.log(codes.categories) : 0;
  const take = (x: tf.Tensor, n: number) => {
    if (!(x instanceof tf.Tensor) || x.shape[0] !== n) throw new Error(`${who}: sampleReal(${n}) must return a tensor with ${n} rows, got ${x instanceof tf.Tensor ? `[${x.shape}]` : typeof x}`);
    return x;
  };
  try {
    return await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const real = take(tf.tidy(() => cfg.sampleReal(batch)), batch);
        const l1 = latents(batch);
        const fake = tf.tidy(() => G.apply(l1.z, { training: true }));
        let kept: { lossD: tf.Scalar; info: tf.Scalar; cont: tf.Scalar } | null = null;
        const d = gradientsInOrder(() => {
          const hReal = trunk.apply(real, { training: true });
          const hFake = trunk.apply(fake, { training: true });
          const lossD = loss.discriminator({ real: dHead.apply(hReal, { training: true }), fake: dHead.apply(hFake, { training: true }) });
          const info = infoLoss(qHead.apply(hFake, { training: true }), l1, codes, lambda);
          kept = { lossD: tf.keep(lossD), info: tf.keep(info.categorical), cont: tf.keep(info.continuous) };
          return tf.add(lossD, info.total) as tf.Scalar;
        }, dVars);
        optD.step(dVars, d.grads, lrD(k, cfg.steps));
        tf.dispose([d.value, ...d.grads, real, fake, l1.z, l1.categorical, l1.continuous].filter((t): t is tf.Tensor => t !== undefined));
        const l2 = latents(batch);
        const g = gradientsInOrder(() => {
          const h = trunk.apply(G.apply(l2.z, { training: true }), { training: true });
          const info = infoLoss(qHead.apply(h, { training: true }), l2, codes, lambda);
          return tf.add(loss.generator({ fake: dHead.apply(h, { training: true }) }), info.total) as tf.Scalar;
        }, G.variables);
        optG.step(G.variables, g.grads, lrG(k, cfg.steps));
        tf.dispose([...g.grads, l2.z, l2.categorical, l2.continuous].filter((t): t is tf.Tensor => t !== undefined));
        const s = kept!;
        const lI = tf.tidy(() => tf.sub(lnK, s.info)) as tf.Scalar;
        s.info.dispose();
        return { lossD: s.lossD, lossG: g.value, terms: { L_I: lI, continuousError: s.cont } };
      },
    });
  } finally {
    optD.dispose();
    optG.dispose();
  }
}
