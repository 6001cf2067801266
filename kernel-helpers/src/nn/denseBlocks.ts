/**
 * ESRGAN's building blocks (Wang et al. 2018, "ESRGAN: Enhanced Super-Resolution Generative
 * Adversarial Networks", sect. 3.1 and fig. 4): the residual dense block and the
 * residual-in-residual dense block (RRDB).
 *
 * A dense block (Huang et al. 2017, DenseNet; Zhang et al. 2018, RDN) is k convolutions where
 * conv i sees the concatenation of the block's input and every earlier conv's output; the first
 * k-1 add `growth` channels each (leaky ReLU 0.2), the last maps back to the input's channel
 * count with no activation, and the block returns x + beta * that. An RRDB chains three dense
 * blocks inside a second residual, x + beta * RDB3(RDB2(RDB1(x))).
 *
 * ESRGAN removes batch norm (it causes artefacts when training and test statistics differ, and
 * it limits generalisation) and relies instead on the residual scaling beta = 0.2 and a small
 * initialisation (He init scaled by 0.1) to keep the deep residual stack stable: with both, each
 * dense block starts close to the identity, and so each RRDB close to (1 + beta) x.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, checkInRange, checkKnownOptions, checkPositiveInt } from '../core/args';
import { conv2d } from './conv2d';
import { toRng } from './init';
import { composeNet, Net } from './net';
import type { WeightLayerOptions } from './layerOptions';

export interface DenseBlockConfig extends WeightLayerOptions {
  /** Input and output channels (ESRGAN: 64). */
  channels: number;
  /** Channels each inner conv adds (default 32, ESRGAN's). */
  growth?: number;
  /** Convolutions in the block, the last one included (default 5, ESRGAN's). */
  layers?: number;
  /** Square kernel size (default 3). */
  kernelSize?: number;
  /** Residual scaling (default 0.2). */
  beta?: number;
  /** Negative slope of the leaky ReLUs (default 0.2). */
  slope?: number;
  /** Scales the initial kernels (default 0.1, ESRGAN's; 0 makes the block start as the identity). */
  initGain?: number;
  useBias?: boolean;
  /** Input height and width, if known (enables the shape checks). */
  inputSize?: [number, number];
}

const DENSE_BLOCK_OPTIONS = [
  'channels', 'growth', 'layers', 'kernelSize', 'beta', 'slope', 'initGain', 'useBias', 'inputSize',
  'init', 'weightTransform', 'name', 'index', 'seed',
] as const;

export interface RrdbConfig extends DenseBlockConfig {
  /** Dense blocks inside the outer residual (default 3, ESRGAN's). */
  blocks?: number;
}

const RRDB_OPTIONS = [...DENSE_BLOCK_OPTIONS, 'blocks'] as const;

interface Checked {
  name: string;
  growth: number;
  layers: number;
  kernelSize: number;
  beta: number;
  slope: number;
  initGain: number;
}

function check(who: string, cfg: DenseBlockConfig): Checked {
  checkPositiveInt(who, 'channels', cfg.channels);
  const growth = cfg.growth ?? 32;
  const layers = cfg.layers ?? 5;
  const kernelSize = cfg.kernelSize ?? 3;
  checkPositiveInt(who, 'growth', growth);
  checkPositiveInt(who, 'layers', layers);
  checkPositiveInt(who, 'kernelSize', kernelSize);
  const beta = cfg.beta ?? 0.2;
  checkFinite(who, 'beta', beta);
  const slope = cfg.slope ?? 0.2;
  checkInRange(who, 'slope', slope, 0, 1, { closed: true });
  const initGain = cfg.initGain ?? 0.1;
  checkFinite(who, 'initGain', initGain);
  return { name: who, growth, layers, kernelSize, beta, slope, initGain };
}

function shapes(cfg: DenseBlockConfig) {
  const s = cfg.inputSize ? [cfg.inputSize[0], cfg.inputSize[1], cfg.channels] : [-1, -1, cfg.channels];
  return { inputShape: s, outputShape: cfg.inputSize ? s : undefined };
}

function buildDenseBlock(cfg: DenseBlockConfig, c: Checked, seed: ReturnType<typeof toRng>, index: number): Net {
  const convs = Array.from({ length: c.layers }, (_, i) => {
    const last = i === c.layers - 1;
    return conv2d({
      name: `${c.name}/conv${i + 1}`,
      inChannels: cfg.channels + i * c.growth,
      filters: last ? cfg.channels : c.growth,
      kernelSize: c.kernelSize,
      activation: last ? 'linear' : { name: 'leakyRelu', slope: c.slope },
      init: cfg.init ?? 'he',
      initGain: c.initGain,
      useBias: cfg.useBias,
      weightTransform: cfg.weightTransform,
      index: index + i,
      seed,
      inputSize: cfg.inputSize,
    });
  });
  const beta = c.beta;
  return composeNet({
    name: c.name,
    parts: convs,
    ...shapes(cfg),
    forward(parts, x, opts) {
      return tf.tidy(() => {
        const features: tf.Tensor[] = [x];
        let y = x;
        for (const p of parts) {
          y = p.apply(features.length === 1 ? x : tf.concat(features, 3), opts);
          features.push(y);
        }
        return tf.add(x, tf.mul(tf.scalar(beta), y));
      });
    },
  });
}

/**
 * Residual dense block: `layers` convs with dense connections, x + beta * last(...).
 * Kernels are He-initialised times `initGain` (0.1); conv i of the block has weight-transform
 * index `index + i`.
 */
export function residualDenseBlock(cfg: DenseBlockConfig): Net {
  const name = cfg.name ?? 'residualDenseBlock';
  checkKnownOptions(name, cfg, DENSE_BLOCK_OPTIONS);
  const c = check(name, cfg);
  return buildDenseBlock(cfg, c, toRng(cfg.seed), cfg.index ?? 0);
}

/**
 * Residual-in-residual dense block: `blocks` dense blocks in a chain, x + beta * chain(x).
 * The same `beta` scales the inner and the outer residuals, as in ESRGAN. Block b's convs have
 * weight-transform indices index + b * layers + i.
 */
export function rrdb(cfg: RrdbConfig): Net {
  const name = cfg.name ?? 'rrdb';
  checkKnownOptions(name, cfg, RRDB_OPTIONS);
  const c = check(name, cfg);
  const blocks = cfg.blocks ?? 3;
  checkPositiveInt(name, 'blocks', blocks);
  const seed = toRng(cfg.seed);
  const base = cfg.index ?? 0;
  const parts = Array.from({ length: blocks }, (_, b) =>
    buildDenseBlock(cfg, { ...c, name: `${name}/rdb${b + 1}` }, seed, base + b * c.layers),
  );
  const beta = c.beta;
  return composeNet({
    name,
    parts,
    ...shapes(cfg),
    forward(ps, x, opts) {
      return tf.tidy(() => {
        let h = x;
        for (const p of ps) h = p.apply(h, opts);
        return tf.add(x, tf.mul(tf.scalar(beta), h));
      });
    },
  });
}
