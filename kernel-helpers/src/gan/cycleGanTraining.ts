/**
 * CycleGAN's training (Zhu, Park, Isola & Efros 2017, sect. 3-4): two generators G: X -> Y and
 * F: Y -> X, two discriminators D_Y (real y vs G(x)) and D_X (real x vs F(y)), and
 *
 *   L = L_GAN(G, D_Y) + L_GAN(F, D_X) + lambda L_cyc(G, F) + identity * lambda L_id(G, F)
 *
 * with the least-squares GAN loss, lambda = 10 and the identity weight 0.5 (of lambda) in the
 * paper. G and F take one Adam step together on their joint loss; then each discriminator
 * takes one on 0.5 [(D(real) - 1)^2 + D(fake)^2] with its fakes drawn from an image pool of
 * the last 50. With `adversarial: 0` ("cycle alone") the discriminators are not trained.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkNonNegative } from '../core/args';
import { ensureCourseGradients } from '../backend/courseGradients';
import type { Net } from '../nn/net';
import { createOptimizer } from '../nn/optimizers';
import { resolveSchedule } from '../nn/schedules';
import { adversarialLoop, AdversarialTrainOptions, drawBatch, gradientsInOrder, LoopResult } from './adversarialLoop';
import { cycleLoss, identityLoss } from './cycleLosses';
import { imagePool } from './imagePool';
import { ganLoss, GanLoss, GanLossName } from './losses';

export interface CycleGanWeights {
  /** Weight of the two GAN terms (default 1; 0 is "cycle alone"). */
  adversarial?: number;
  /** lambda, the weight of the cycle loss (default 10). */
  cycle?: number;
  /** The identity loss's weight as a fraction of lambda (default 0.5; 0 turns it off). */
  identity?: number;
}

export interface CycleGanTrainConfig extends AdversarialTrainOptions {
  /** X -> Y. */
  G: Net;
  /** Y -> X. */
  F: Net;
  /** Judges domain X (real x vs F(y)). */
  DX: Net;
  /** Judges domain Y (real y vs G(x)). */
  DY: Net;
  /** NEW tensors of n images of domain X per call (never paired with sampleY's). */
  sampleX(n: number): tf.Tensor;
  sampleY(n: number): tf.Tensor;
  weights?: CycleGanWeights;
  /** Size of each discriminator's image pool (default 50; 0: the newest fakes only). */
  poolSize?: number;
  /** Default 'leastSquares'. */
  loss?: GanLossName | GanLoss;
  /** Seeds the image pools' draws (default 0). */
  seed?: number;
}

const WEIGHT_KEYS = ['adversarial', 'cycle', 'identity'] as const;

export async function trainCycleGan(cfg: CycleGanTrainConfig): Promise<LoopResult> {
  const who = 'trainCycleGan';
  for (const k of ['G', 'F', 'DX', 'DY'] as const) {
    const net = cfg[k];
    if (!net || typeof net.apply !== 'function') throw argumentError(who, k, 'a Net', net);
  }
  for (const k of ['sampleX', 'sampleY'] as const) if (typeof cfg[k] !== 'function') throw argumentError(who, k, 'a function n -> [n, h, w, c] images', cfg[k]);
  const w = cfg.weights ?? {};
  checkKnownOptions(`${who} weights`, w, WEIGHT_KEYS);
  const wAdv = w.adversarial ?? 1, lambda = w.cycle ?? 10, wId = w.identity ?? 0.5;
  checkNonNegative(who, 'weights.adversarial', wAdv);
  checkNonNegative(who, 'weights.cycle (lambda)', lambda);
  checkNonNegative(who, 'weights.identity', wId);
  if (wAdv + lambda === 0) throw new Error(`${who}: weights.adversarial and weights.cycle are both 0: nothing would train the generators`);
  const poolSize = cfg.poolSize ?? 50;
  if (typeof poolSize !== 'number') throw argumentError(who, 'poolSize', 'an integer >= 0', poolSize);
  checkInteger(who, 'poolSize', poolSize, 0);
  const loss = ganLoss(cfg.loss ?? 'leastSquares');
  const batch = cfg.batchSize ?? 8;
  checkInteger(who, 'batchSize', batch, 1);
  const lrD = resolveSchedule(who, 'lrD', cfg.lrD ?? 2e-4);
  const lrG = resolveSchedule(who, 'lrG', cfg.lrG ?? 2e-4);
  const [b1, b2] = cfg.betas ?? [0.5, 0.999];
  ensureCourseGradients();
  const { G, F, DX, DY } = cfg;
  const genVars = [...G.variables, ...F.variables];
  const optG = createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 });
  const optDX = wAdv > 0 ? createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 }) : null;
  const optDY = wAdv > 0 ? createOptimizer({ kind: 'adam', beta1: b1, beta2: b2 }) : null;
  const poolX = imagePool({ size: poolSize, seed: cfg.seed ?? 0 });
  const poolY = imagePool({ size: poolSize, seed: (cfg.seed ?? 0) + 1 });
  const train = { training: true };
  let checked = false;
  try {
    return await adversarialLoop({
      who, steps: cfg.steps, logEvery: cfg.logEvery, callbacks: cfg.callbacks, signal: cfg.signal, stopOnInterrupt: cfg.stopOnInterrupt,
      step(k) {
        const x = drawBatch(who, 'sampleX', cfg.sampleX, batch);
        const y = drawBatch(who, 'sampleY', cfg.sampleY, batch);
        if (!checked) {
          if (x.shape.join(',') !== y.shape.join(',')) {
            tf.dispose([x, y]);
            throw new Error(`${who}: sampleX gives [${x.shape}] and sampleY [${y.shape}]; both domains must have images of one shape`);
          }
          checked = true;
        }
        const terms: Record<string, tf.Scalar> = {};
        let fakeY: tf.Tensor | null = null, fakeX: tf.Tensor | null = null;
        const g = gradientsInOrder(() => {
          const gx = G.apply(x, train), fy = F.apply(y, train);
          const cyc = tf.add(cycleLoss(x, F.apply(gx, train)), cycleLoss(y, G.apply(fy, train))) as tf.Scalar;
          terms.cycle = tf.keep(cyc);
          let total = tf.mul(lambda, cyc) as tf.Scalar;
          if (wAdv > 0) {
            const adv = tf.add(loss.generator({ fake: DY.apply(gx, train) }), loss.generator({ fake: DX.apply(fy, train) })) as tf.Scalar;
            terms.adversarialG = tf.keep(adv);
            total = tf.add(total, tf.mul(wAdv, adv)) as tf.Scalar;
          }
          if (wId > 0) {
            const id = tf.add(identityLoss(y, G.apply(y, train)), identityLoss(x, F.apply(x, train))) as tf.Scalar;
            terms.identity = tf.keep(id);
            total = tf.add(total, tf.mul(wId * lambda, id)) as tf.Scalar;
          }
          fakeY = tf.keep(gx);
          fakeX = tf.keep(fy);
          return total;
        }, genVars);
        optG.step(genVars, g.grads, lrG(k, cfg.steps));
        tf.dispose(g.grads);
        let lossD: tf.Scalar;
        if (wAdv > 0) {
          const fy = poolY.query(fakeY!), fx = poolX.query(fakeX!);
          const dy = gradientsInOrder(() => loss.discriminator({ real: DY.apply(y, train), fake: DY.apply(fy, train) }), DY.variables);
          optDY!.step(DY.variables, dy.grads, lrD(k, cfg.steps));
          const dx = gradientsInOrder(() => loss.discriminator({ real: DX.apply(x, train), fake: DX.apply(fx, train) }), DX.variables);
          optDX!.step(DX.variables, dx.grads, lrD(k, cfg.steps));
          lossD = tf.tidy(() => tf.add(dy.value, dx.value) as tf.Scalar);
          tf.dispose([fy, fx, ...dy.grads, ...dx.grads, dy.value, dx.value]);
        } else lossD = tf.scalar(0);
        tf.dispose([x, y, fakeX!, fakeY!]);
        return { lossD, lossG: g.value, terms };
      },
    });
  } finally {
    optG.dispose();
    optDX?.dispose();
    optDY?.dispose();
    poolX.dispose();
    poolY.dispose();
  }
}
