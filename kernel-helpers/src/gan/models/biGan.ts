/**
 * BiGAN (Donahue, Kraehenbuehl & Darrell 2017), also ALI (Dumoulin et al. 2017): besides
 * G: z -> x an encoder E: x -> z, and a discriminator on pairs that tells (x, E(x)), x from
 * the data, from (G(z), z), z from the prior. The game
 *   min_{G,E} max_D  E_x[log D(x, E(x))] + E_z[log(1 - D(G(z), z))]
 * has its optimum where the two joint distributions agree, and there E inverts G
 * (the paper's theorem 2): E learns features without labels.
 *
 * D reads x through the DCGAN trunk and z through a dense layer, and joins the two:
 *   D(x, z) = w . lrelu(A [phi(x); lrelu(B z)] + a) + b.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkPositiveInt } from '../../core/args';
import { dense } from '../../nn/dense';
import { Init, SeedLike, toRng } from '../../nn/init';
import type { ApplyOptions, Net } from '../../nn/net';
import { sequential } from '../../nn/net';
import { dcganFeatures, dcganGenerator, DcganImageSize } from './dcgan';

export interface BiGanConfig {
  /** Default 50 (the paper's MNIST latent size). */
  latentDim?: number;
  imageSize?: DcganImageSize;
  /** Batch norm in G and in E (default true). D has none: its pair input mixes two kinds of data. */
  batchNorm?: boolean;
  /** Width of D's z path and of the joint layer (default 256). */
  hidden?: number;
  /** Side of the (transposed) convolution kernels (default 5; see dcgan.ts). */
  kernelSize?: number;
  init?: Init;
  seed?: SeedLike;
}

/** A discriminator on pairs (x, z). */
export interface PairDiscriminator {
  readonly name: string;
  readonly variables: tf.Variable[];
  /** [n, ...image] and [n, latentDim] -> [n, 1] logits. */
  apply(x: tf.Tensor, z: tf.Tensor, opts?: ApplyOptions): tf.Tensor;
  /** Its x path phi(x) (for linear probes on D's features). */
  readonly xFeatures: Net;
  dispose(): void;
}

export interface BiGanNets {
  readonly latentDim: number;
  readonly generator: Net;
  /** images -> [n, latentDim] */
  readonly encoder: Net;
  readonly discriminator: PairDiscriminator;
  dispose(): void;
}

export function biGanNets(cfg: BiGanConfig = {}): BiGanNets {
  const who = 'biGanNets';
  const latentDim = cfg.latentDim ?? 50;
  checkPositiveInt(who, 'latentDim', latentDim);
  const hidden = cfg.hidden ?? 256;
  checkPositiveInt(who, 'hidden', hidden);
  const imageSize = cfg.imageSize ?? 28;
  const bn = cfg.batchNorm ?? true;
  const r = toRng(cfg.seed);
  const generator = dcganGenerator({ latentDim, imageSize, batchNorm: bn, activation: bn ? 'relu' : 'leakyRelu', init: cfg.init, kernelSize: cfg.kernelSize, seed: r.fork(), name: 'G' });
  const eTrunk = dcganFeatures({ imageSize, batchNorm: bn, init: cfg.init, kernelSize: cfg.kernelSize, seed: r.fork(), name: 'E' });
  const encoder = sequential('E', [eTrunk.net, dense({ inUnits: eTrunk.featureSize, units: latentDim, init: cfg.init, name: 'E/out', index: 2, seed: r.fork() })], {
    inputShape: [imageSize, imageSize, 1], outputShape: [latentDim],
  });
  const xPath = dcganFeatures({ imageSize, batchNorm: false, init: cfg.init, kernelSize: cfg.kernelSize, seed: r.fork(), name: 'D/x' });
  const zPath = dense({ inUnits: latentDim, units: hidden, activation: 'leakyRelu', init: cfg.init, name: 'D/z', index: 2, seed: r.fork() });
  const joint = sequential('D/joint', [
    dense({ inUnits: xPath.featureSize + hidden, units: hidden, activation: 'leakyRelu', init: cfg.init, name: 'D/joint', index: 3, seed: r.fork() }),
    dense({ inUnits: hidden, units: 1, init: cfg.init, name: 'D/out', index: 4, seed: r.fork() }),
  ]);
  const discriminator: PairDiscriminator = {
    name: 'D',
    variables: [...xPath.net.variables, ...zPath.variables, ...joint.variables],
    xFeatures: xPath.net,
    apply(x, z, opts = {}) {
      if (x.shape[0] !== z.shape[0]) throw new Error(`${who}: D needs as many latents as images, got ${x.shape[0]} images and ${z.shape[0]} latents`);
      if (z.rank !== 2 || z.shape[1] !== latentDim) throw argumentError('BiGAN D', 'z', `[batch, ${latentDim}]`, `[${z.shape.join(', ')}]`);
      return tf.tidy(() => joint.apply(tf.concat([xPath.net.apply(x, opts), zPath.apply(z, opts)], 1), opts));
    },
    dispose() {
      xPath.net.dispose?.();
      zPath.dispose?.();
      joint.dispose?.();
    },
  };
  return {
    latentDim, generator, encoder, discriminator,
    dispose() {
      generator.dispose?.();
      encoder.dispose?.();
      discriminator.dispose();
    },
  };
}
