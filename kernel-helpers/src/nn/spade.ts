/**
 * SPADE, spatially-adaptive (de)normalisation (Park, Liu, Wang & Zhu 2019, "Semantic Image
 * Synthesis with Spatially-Adaptive Normalization", sect. 3, fig. 2):
 *
 *   y = BN(x) * (1 + gamma(m)) + beta(m),
 *
 * where BN(x) is batch normalisation WITHOUT a learned affine part, m the one-hot semantic map
 * resized to x's height and width, and gamma, beta: [n, H, W, channels] come from a small conv
 * net on m (a shared conv with ReLU, then one conv for each). The scale and offset vary per
 * PIXEL and follow the mask, where batch norm's are one number per channel.
 *
 * Why it matters: a generator that only sees the mask at its input passes it through
 * normalisation layers, and those erase what is constant over the normalised axes. A conv of
 * a uniform mask is constant over space (away from the border), so instance normalisation maps
 * it to zero whatever the class; over a batch of identical uniform masks batch normalisation
 * does the same. SPADE re-injects the mask after every normalisation, so nothing of it is lost.
 *
 * Design choices, and why:
 * - The normalisation is the library's `batchNorm` with `center` and `scale` off: batch
 *   statistics in training, running statistics in eval, exactly like every other batch norm
 *   of the course (its state is this net's state).
 * - The map arrives as `opts.condition` (see `ApplyOptions`) at any resolution that is an
 *   integer multiple of x's, and is resized by picking one pixel per f x f block (the one at
 *   offset floor((f - 1) / 2), nearest the block's centre): nearest-neighbour downsampling,
 *   which keeps the map one-hot. No gradient is needed through the mask, and the picking is a
 *   reshape and a slice, ops every backend has.
 * - `1 + gamma` rather than `gamma`: at initialisation, when gamma is small, the layer is
 *   close to plain normalisation (the official code's choice).
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkKnownOptions, checkPositiveInt } from '../core/args';
import { batchNorm } from './batchNorm';
import { conv2d } from './conv2d';
import { SeedLike, toRng } from './init';
import { composeNet, Net } from './net';

export interface SpadeNormConfig {
  /** Channels of the normalised input x [n, H, W, channels]. */
  channels: number;
  /** Classes K of the one-hot map [n, H', W', K]. */
  classes: number;
  /** Channels of the shared conv on the map (default 16; the paper's is 128). */
  hidden?: number;
  /** Kernel size of the three convs on the map (default 3, the paper's). */
  kernelSize?: number;
  /** Batch norm's running-statistics momentum (default 0.9, see batchNorm.ts). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  epsilon?: number;
  name?: string;
  seed?: SeedLike;
}

const OPTIONS = ['channels', 'classes', 'hidden', 'kernelSize', 'momentum', 'epsilon', 'name', 'seed'] as const;

/**
 * The one-hot map `condition` [n, fH, fW, K] resized to [n, H, W, K] by picking one pixel
 * per f x f block (see the file comment). Throws, naming `opts.condition`, when it is
 * missing, not [batch, ., ., classes] or not an integer multiple of H x W.
 */
export function resizeCondition(who: string, condition: tf.Tensor | undefined, batch: number, height: number, width: number, classes: number): tf.Tensor4D {
  if (condition === undefined || condition === null) {
    throw new Error(`${who}: opts.condition is missing; pass the one-hot semantic map [batch, H, W, ${classes}] as apply(x, { condition })`);
  }
  if (!(condition instanceof tf.Tensor)) throw argumentError(who, 'opts.condition', `a tensor [batch, H, W, ${classes}]`, typeof condition);
  const s = condition.shape;
  if (condition.rank !== 4 || s[0] !== batch || s[3] !== classes) {
    throw new Error(`${who}: opts.condition must have shape [${batch}, H, W, ${classes}] (batch ${batch}, one channel per class), got [${s.join(', ')}]`);
  }
  const [, ch, cw] = s;
  if (ch % height !== 0 || cw % width !== 0) {
    throw new Error(`${who}: opts.condition must be an integer multiple of the input's ${height}x${width} in height and width, got ${ch}x${cw}`);
  }
  const fh = ch / height;
  const fw = cw / width;
  if (fh === 1 && fw === 1) return condition as tf.Tensor4D;
  return tf.tidy(() => {
    const blocks = tf.reshape(condition, [batch, height, fh, width, fw, classes]);
    const picked = tf.slice(blocks, [0, 0, Math.floor((fh - 1) / 2), 0, Math.floor((fw - 1) / 2), 0], [batch, height, 1, width, 1, classes]);
    return tf.reshape(picked, [batch, height, width, classes]) as tf.Tensor4D;
  });
}

/** x [n, H, W, channels] with `opts.condition` [n, fH, fW, classes] -> [n, H, W, channels]. */
export function spadeNorm(config: SpadeNormConfig): Net {
  const cfg = config ?? ({} as SpadeNormConfig);
  const name = cfg.name ?? 'spade';
  const who = `spadeNorm ${name}`;
  checkKnownOptions(who, cfg, OPTIONS);
  const C = cfg.channels;
  checkPositiveInt(who, 'channels', C);
  const K = cfg.classes;
  checkPositiveInt(who, 'classes', K);
  const hidden = cfg.hidden ?? 16;
  checkPositiveInt(who, 'hidden', hidden);
  const k = cfg.kernelSize ?? 3;
  checkPositiveInt(who, 'kernelSize', k);
  const r = toRng(cfg.seed);
  const norm = batchNorm({ channels: C, center: false, scale: false, momentum: cfg.momentum, epsilon: cfg.epsilon, name: `${name}/bn` });
  const shared = conv2d({ inChannels: K, filters: hidden, kernelSize: k, activation: 'relu', init: 'he', name: `${name}/shared`, seed: r.fork() });
  const gamma = conv2d({ inChannels: hidden, filters: C, kernelSize: k, name: `${name}/gamma`, seed: r.fork() });
  const beta = conv2d({ inChannels: hidden, filters: C, kernelSize: k, name: `${name}/beta`, seed: r.fork() });
  return composeNet({
    name,
    parts: [norm, shared, gamma, beta] as const,
    inputShape: [-1, -1, C],
    forward([n, s, g, b], x, opts) {
      const [batch, h, w] = x.shape;
      return tf.tidy(() => {
        const m = resizeCondition(who, opts.condition, batch, h as number, w as number, K);
        const feat = s.apply(m, opts);
        return tf.add(tf.mul(n.apply(x, opts), tf.add(tf.scalar(1), g.apply(feat, opts))), b.apply(feat, opts));
      });
    },
  });
}
