/**
 * InfoGAN (Chen, Duan, Houthooft, Schulman, Sutskever & Abbeel 2016): the generator's input
 * is split into incompressible noise and structured codes c, and an auxiliary network Q,
 * a second head on D's trunk, predicts c from G(z, c). Maximising the variational lower bound
 *   L_I(G, Q) = E_{c ~ p(c), x ~ G(z, c)} [log Q(c | x)] + H(c)  <=  I(c; G(z, c))
 * makes the codes informative about the image. Here: one categorical code c1 ~ Cat(K)
 * (one-hot in the latent) and `continuous` codes ~ U(-1, 1), whose Q is a unit-variance
 * Gaussian (log Q = -1/2 |c - mu|^2 + const, as in the paper's MNIST setting with the
 * variance fixed).
 *
 * Latent layout: [noise (noiseDim) | one-hot c1 (categories) | continuous codes].
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkNonNegativeInt } from '../../core/args';
import type { Rng } from '../../core/random';
import { dense } from '../../nn/dense';
import { Init, SeedLike, toRng } from '../../nn/init';
import { Net, sequential } from '../../nn/net';
import { dcganFeatures, dcganGenerator, DcganImageSize } from './dcgan';

export interface InfoGanCodes {
  /** Incompressible noise dimensions (the paper: 62 on MNIST). */
  noiseDim: number;
  /** Classes of the categorical code c1 (the paper: 10). */
  categories: number;
  /** Continuous codes in U(-1, 1) (the paper: 2). */
  continuous: number;
}

export interface InfoGanConfig extends Partial<InfoGanCodes> {
  imageSize?: DcganImageSize;
  /** G's channels at 7x7 and 14x14 (default [64, 32]). */
  generatorChannels?: [number, number];
  /** D's trunk channels (default [32, 64]). */
  discriminatorChannels?: [number, number];
  /** Batch norm in G and D's trunk (default true, as in the paper's MNIST networks). */
  batchNorm?: boolean;
  /** Side of the (transposed) convolution kernels (default 5; see dcgan.ts). */
  kernelSize?: number;
  init?: Init;
  seed?: SeedLike;
}

export interface InfoGanNets {
  readonly codes: InfoGanCodes;
  /** [n, noiseDim + categories + continuous] -> images. */
  readonly generator: Net;
  /** D's shared trunk phi: images -> features. */
  readonly trunk: Net;
  /** phi -> the real/fake logit. */
  readonly dHead: Net;
  /** phi -> [categories logits | continuous means]. */
  readonly qHead: Net;
  /** trunk + dHead: the discriminator as one net (for metrics and probes). */
  readonly discriminator: Net;
  /** trunk + qHead: Q as one net. */
  readonly q: Net;
  /** D's side of the game: trunk, dHead and qHead variables, each once. */
  readonly discriminatorVariables: tf.Variable[];
  dispose(): void;
}

export function checkInfoGanCodes(who: string, codes: InfoGanCodes): void {
  if (!codes || typeof codes !== 'object') throw argumentError(who, 'codes', '{ noiseDim, categories, continuous }', codes);
  checkNonNegativeInt(who, 'codes.noiseDim', codes.noiseDim);
  checkNonNegativeInt(who, 'codes.categories', codes.categories);
  checkNonNegativeInt(who, 'codes.continuous', codes.continuous);
  if (codes.categories === 1) throw new Error(`${who}: codes.categories must be 0 (none) or at least 2, got 1 (a one-class code carries no information)`);
  if (codes.noiseDim + codes.categories + codes.continuous === 0) throw new Error(`${who}: the latent is empty (noiseDim, categories and continuous are all 0)`);
}

export function infoGanLatentDim(codes: InfoGanCodes): number {
  return codes.noiseDim + codes.categories + codes.continuous;
}

export function infoGanNets(cfg: InfoGanConfig = {}): InfoGanNets {
  const who = 'infoGanNets';
  const codes: InfoGanCodes = { noiseDim: cfg.noiseDim ?? 62, categories: cfg.categories ?? 10, continuous: cfg.continuous ?? 2 };
  checkInfoGanCodes(who, codes);
  const r = toRng(cfg.seed);
  const bn = cfg.batchNorm ?? true;
  const imageSize = cfg.imageSize ?? 28;
  const generator = dcganGenerator({
    latentDim: infoGanLatentDim(codes), channels: cfg.generatorChannels, imageSize, batchNorm: bn,
    activation: bn ? 'relu' : 'leakyRelu', init: cfg.init, kernelSize: cfg.kernelSize, seed: r.fork(), name: 'G',
  });
  const { net: trunk, featureSize } = dcganFeatures({ channels: cfg.discriminatorChannels, imageSize, batchNorm: bn, init: cfg.init, kernelSize: cfg.kernelSize, seed: r.fork(), name: 'D' });
  const dHead = dense({ inUnits: featureSize, units: 1, init: cfg.init, name: 'D/head', index: 2, seed: r.fork() });
  const qOut = codes.categories + codes.continuous;
  if (qOut === 0) throw new Error(`${who}: no codes to recover (categories and continuous are both 0): that is a plain GAN`);
  const qHead = sequential('Q/head', [
    dense({ inUnits: featureSize, units: 128, activation: 'leakyRelu', init: cfg.init, name: 'Q/hidden', index: 0, seed: r.fork() }),
    dense({ inUnits: 128, units: qOut, init: cfg.init, name: 'Q/out', index: 1, seed: r.fork() }),
  ]);
  const discriminator = sequential('D', [trunk, dHead]);
  const q = sequential('Q', [trunk, qHead]);
  return {
    codes, generator, trunk, dHead, qHead, discriminator, q,
    discriminatorVariables: [...trunk.variables, ...dHead.variables, ...qHead.variables],
    dispose() {
      generator.dispose?.();
      trunk.dispose?.();
      dHead.dispose?.();
      qHead.dispose?.();
    },
  };
}

/** A batch of InfoGAN latents and the codes in them. */
export interface InfoGanLatents {
  /** [n, latentDim] in the layout above. */
  z: tf.Tensor2D;
  /** [n] int32 c1 (absent without a categorical code). */
  categorical?: tf.Tensor1D;
  /** [n, continuous] (absent without continuous codes). */
  continuous?: tf.Tensor2D;
}

/**
 * Seeded latent batches: noise ~ N(0, I), c1 uniform over the categories (or `fixed.categorical`
 * for every example), continuous codes ~ U(-1, 1) (or `fixed.continuous`).
 */
export function infoGanLatents(codes: InfoGanCodes, r: Rng): (n: number, fixed?: { categorical?: number[]; continuous?: number[][] }) => InfoGanLatents {
  const who = 'infoGanLatents';
  checkInfoGanCodes(who, codes);
  if (!r || typeof r.int !== 'function') throw argumentError(who, 'r', 'an Rng (rng(seed))', r);
  const { noiseDim, categories: K, continuous: C } = codes;
  return (n, fixed = {}) => {
    checkInteger(who, 'n', n, 1);
    const cat = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = fixed.categorical ? fixed.categorical[i] : Math.floor(r.uniform() * K);
      if (K > 0 && !(Number.isInteger(c) && c >= 0 && c < K)) throw new Error(`${who}: categorical code ${i} must be an integer in [0, ${K}), got ${c}`);
      cat[i] = c;
    }
    const cont = new Float32Array(n * C);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < C; j++) {
        const v = fixed.continuous ? fixed.continuous[i]?.[j] : 2 * r.uniform() - 1;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${who}: continuous code [${i}][${j}] must be a finite number, got ${v}`);
        cont[i * C + j] = v;
      }
    }
    if (fixed.categorical && fixed.categorical.length !== n) throw new Error(`${who}: fixed.categorical has ${fixed.categorical.length} codes for a batch of ${n}`);
    if (fixed.continuous && fixed.continuous.length !== n) throw new Error(`${who}: fixed.continuous has ${fixed.continuous.length} rows for a batch of ${n}`);
    const seed = r.int(2 ** 31 - 1);
    return tf.tidy(() => {
      const parts: tf.Tensor2D[] = [];
      if (noiseDim > 0) parts.push(tf.randomNormal([n, noiseDim], 0, 1, 'float32', seed));
      const categorical = K > 0 ? tf.tensor1d(cat, 'int32') : undefined;
      if (categorical) parts.push(tf.cast(tf.oneHot(categorical, K), 'float32') as tf.Tensor2D);
      const continuous = C > 0 ? tf.tensor2d(cont, [n, C]) : undefined;
      if (continuous) parts.push(continuous);
      return { z: tf.concat(parts, 1) as tf.Tensor2D, categorical, continuous };
    });
  };
}

export interface InfoLossTerms {
  /** Cross-entropy of Q's categorical prediction, -E log Q(c1|x) (nats). */
  categorical: tf.Scalar;
  /** E 1/2 |c - mu|^2 over the continuous codes (the Gaussian -log Q up to a constant). */
  continuous: tf.Scalar;
  /** lambdaCategorical * categorical + lambdaContinuous * continuous: what the players minimise. */
  total: tf.Scalar;
}

/**
 * The negative of L_I's data-dependent part (H(c) is a constant): what D's Q head and G both
 * minimise. For the categorical code, L_I = ln K - `categorical` (its ceiling ln K is reached
 * when Q recovers c1 with certainty).
 */
export function infoLoss(qOut: tf.Tensor, latents: InfoGanLatents, codes: InfoGanCodes, weights: { categorical?: number; continuous?: number } = {}): InfoLossTerms {
  const who = 'infoLoss';
  const K = codes.categories;
  const C = codes.continuous;
  if (qOut.rank !== 2 || qOut.shape[1] !== K + C) throw new Error(`${who}: Q's output must be [batch, ${K + C}] (categories + continuous), got [${qOut.shape.join(', ')}]`);
  const wCat = weights.categorical ?? 1;
  const wCont = weights.continuous ?? 0.1;
  return tf.tidy(() => {
    const n = qOut.shape[0];
    let cat: tf.Tensor = tf.scalar(0);
    if (K > 0) {
      if (!latents.categorical) throw new Error(`${who}: the latents carry no categorical code but codes.categories is ${K}`);
      const logits = tf.slice(qOut, [0, 0], [n, K]);
      const logp = tf.logSoftmax(logits);
      const picked = tf.sum(tf.mul(logp, tf.cast(tf.oneHot(latents.categorical, K), 'float32')), 1);
      cat = tf.neg(tf.mean(picked));
    }
    let cont: tf.Tensor = tf.scalar(0);
    if (C > 0) {
      if (!latents.continuous) throw new Error(`${who}: the latents carry no continuous codes but codes.continuous is ${C}`);
      const mu = tf.slice(qOut, [0, K], [n, C]);
      cont = tf.mul(0.5, tf.mean(tf.sum(tf.square(tf.sub(latents.continuous, mu)), 1)));
    }
    const total = tf.add(tf.mul(wCat, cat), tf.mul(wCont, cont));
    return { categorical: cat as tf.Scalar, continuous: cont as tf.Scalar, total: total as tf.Scalar };
  });
}

export function checkInfoWeights(who: string, w: { categorical?: number; continuous?: number }): void {
  for (const k of ['categorical', 'continuous'] as const) {
    const v = w[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw argumentError(who, `lambda.${k}`, 'a finite number >= 0', v);
  }
}

