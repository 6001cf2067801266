/**
 * A small R3GAN-style convolutional backbone (Huang, Gokaslan, Kuleshov, Tompkin 2024, "The
 * GAN is dead; long live the GAN!"), scaled to 28x28 digits on a CPU:
 * - residual blocks x + conv1x1(act(groupedConv3x3(act(conv1x1(x))))) (a ResNeXt bottleneck
 *   inverted to widen by `expansion`), with NO normalisation layers;
 * - the last conv of every residual branch starts at zero, so each block starts as the
 *   identity and the net is shallow at initialisation (the paper's fix-up style init);
 * - transitions: G changes width with a 1x1 conv then upsamples 2x (nearest); D changes
 *   width with a 1x1 conv then average-pools 2x.
 * Stages run from the smallest resolution (imageSize / 2^(stages-1)) up to imageSize in G,
 * and back down in D.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Activation } from '../../nn/activations';
import { conv2d } from '../../nn/conv2d';
import { dense } from '../../nn/dense';
import { SeedLike, toRng } from '../../nn/init';
import { argumentError, checkNonNegativeInt, checkPositiveInt } from '../../core/args';
import { composeNet, Net, sequential, WeightTransform } from '../../nn/net';
import { downsampleMean2xLayer, flattenLayer, reshapeLayer, upsampleNearest2xLayer, activationLayer } from '../../nn/reshapeLayers';
import { Rng } from '../../core/random';

export interface ResidualBlockConfig {
  channels: number;
  /** Branch width = channels x expansion (default 2). */
  expansion?: number;
  /** Groups of the 3x3 convolution; must divide channels x expansion (default 4). */
  groups?: number;
  /** Implementation of the grouped conv (see conv2d.ts); same result. */
  groupMode?: 'split' | 'blockDiagonal';
  kernelSize?: number;
  activation?: Activation;
  /** Spatial size, for shape checks. */
  size?: [number, number];
  weightTransform?: WeightTransform;
  name?: string;
  /** Index of the block's first conv among the network's weight-bearing layers. */
  index?: number;
  seed?: SeedLike;
}

/** Number of weight-bearing layers in a residual block (for layer indices). */
export const RESIDUAL_BLOCK_LAYERS = 3;

export function residualBlock(cfg: ResidualBlockConfig): Net {
  const name = cfg.name ?? 'residualBlock';
  checkPositiveInt(name, 'channels', cfg.channels);
  const expansion = cfg.expansion ?? 2;
  checkPositiveInt(name, 'expansion', expansion);
  const groups = cfg.groups ?? 4;
  checkPositiveInt(name, 'groups', groups);
  const width = cfg.channels * expansion;
  if (width % groups !== 0) {
    throw new Error(`${name}: groups (${groups}) must divide the branch width channels x expansion = ${cfg.channels} x ${expansion} = ${width}`);
  }
  const act = cfg.activation ?? 'leakyRelu';
  const r = toRng(cfg.seed);
  const i0 = cfg.index ?? 0;
  const common = { weightTransform: cfg.weightTransform, inputSize: cfg.size };
  const expand = conv2d({ ...common, inChannels: cfg.channels, filters: width, kernelSize: 1, activation: act, init: 'he', name: `${name}/expand`, index: i0, seed: r.fork() });
  const mix = conv2d({ ...common, inChannels: width, filters: width, kernelSize: cfg.kernelSize ?? 3, groups, groupMode: cfg.groupMode, activation: act, init: 'he', name: `${name}/grouped`, index: i0 + 1, seed: r.fork() });
  const project = conv2d({ ...common, inChannels: width, filters: cfg.channels, kernelSize: 1, init: 'zeros', name: `${name}/project`, index: i0 + 2, seed: r.fork() });
  const shape = cfg.size ? [cfg.size[0], cfg.size[1], cfg.channels] : [-1, -1, cfg.channels];
  return composeNet({
    name,
    parts: [expand, mix, project] as const,
    inputShape: shape,
    outputShape: shape,
    forward: ([e, m, p], x, opts) => tf.tidy(() => tf.add(x, p.apply(m.apply(e.apply(x, opts), opts), opts))),
  });
}

export interface ResidualNetConfig {
  /** Square image side (default 28); must be divisible by 2^(stages - 1). */
  imageSize?: number;
  /** Image channels (default 1). */
  imageChannels?: number;
  /** Residual blocks per stage (default 1). */
  blocksPerStage?: number;
  expansion?: number;
  groups?: number;
  /** Implementation of the grouped convs (see conv2d.ts); same result. */
  groupMode?: 'split' | 'blockDiagonal';
  activation?: Activation;
  weightTransform?: WeightTransform;
  name?: string;
  seed?: SeedLike;
}

export interface ResidualGeneratorConfig extends ResidualNetConfig {
  /** Default 64. */
  latentDim?: number;
  /** Channels per stage from the smallest resolution up (default [64, 32, 16]: 7x7, 14x14, 28x28). */
  channels?: number[];
  /** Default tanh (images in [-1, 1]). */
  outputActivation?: Activation;
}

export interface ResidualDiscriminatorConfig extends ResidualNetConfig {
  /** Channels per stage from the full resolution down (default [16, 32, 64]: 28x28, 14x14, 7x7). */
  channels?: number[];
}

function stagePlan(where: string, cfg: ResidualNetConfig, channels: number[]) {
  const imageSize = cfg.imageSize ?? 28;
  const imageChannels = cfg.imageChannels ?? 1;
  checkPositiveInt(where, 'imageSize', imageSize);
  checkPositiveInt(where, 'imageChannels', imageChannels);
  if (!Array.isArray(channels) || channels.length === 0) throw argumentError(where, 'channels', 'a non-empty array of positive integers', channels);
  channels.forEach((c, i) => checkPositiveInt(where, `channels[${i}]`, c));
  const f = 2 ** (channels.length - 1);
  if (imageSize % f !== 0) {
    throw new Error(`${where}: imageSize (${imageSize}) must be divisible by 2^(stages - 1) = ${f} for ${channels.length} stages`);
  }
  const blocks = cfg.blocksPerStage ?? 1;
  checkNonNegativeInt(where, 'blocksPerStage', blocks);
  const expansion = cfg.expansion ?? 2;
  checkPositiveInt(where, 'expansion', expansion);
  const groups = cfg.groups ?? 4;
  checkPositiveInt(where, 'groups', groups);
  channels.forEach((c) => {
    if ((c * expansion) % groups !== 0) {
      throw new Error(`${where}: groups (${groups}) must divide every branch width channels x expansion; ${c} x ${expansion} = ${c * expansion} is not divisible`);
    }
  });
  return { imageSize, imageChannels, base: imageSize / f, blocks, expansion, groups };
}

/** G: [batch, latentDim] -> [batch, imageSize, imageSize, imageChannels]. */
export function residualGenerator(cfg: ResidualGeneratorConfig = {}): Net {
  const name = cfg.name ?? 'G';
  const channels = cfg.channels ?? [64, 32, 16];
  const p = stagePlan(name, cfg, channels);
  const latentDim = cfg.latentDim ?? 64;
  checkPositiveInt(name, 'latentDim', latentDim);
  const act = cfg.activation ?? 'leakyRelu';
  const r: Rng = toRng(cfg.seed);
  const wt = cfg.weightTransform;
  let index = 0;
  const layers: Net[] = [
    dense({ inUnits: latentDim, units: p.base * p.base * channels[0], weightTransform: wt, name: `${name}/basis`, index: index++, seed: r.fork() }),
    reshapeLayer([p.base * p.base * channels[0]], [p.base, p.base, channels[0]], `${name}/reshape`),
  ];
  let size = p.base;
  channels.forEach((c, s) => {
    if (s > 0) {
      layers.push(conv2d({ inChannels: channels[s - 1], filters: c, kernelSize: 1, inputSize: [size, size], weightTransform: wt, name: `${name}/stage${s}/transition`, index: index++, seed: r.fork() }));
      layers.push(upsampleNearest2xLayer(`${name}/stage${s}/upsample`));
      size *= 2;
    }
    for (let b = 0; b < p.blocks; b++) {
      layers.push(residualBlock({ channels: c, expansion: p.expansion, groups: p.groups, groupMode: cfg.groupMode, activation: act, size: [size, size], weightTransform: wt, name: `${name}/stage${s}/block${b}`, index, seed: r.fork() }));
      index += 3;
    }
  });
  layers.push(activationLayer(act, `${name}/act`));
  layers.push(conv2d({ inChannels: channels[channels.length - 1], filters: p.imageChannels, kernelSize: 3, inputSize: [size, size], activation: cfg.outputActivation ?? 'tanh', weightTransform: wt, name: `${name}/toImage`, index: index++, seed: r.fork() }));
  return sequential(name, layers, { inputShape: [latentDim], outputShape: [p.imageSize, p.imageSize, p.imageChannels] });
}

/** D: [batch, imageSize, imageSize, imageChannels] -> [batch, 1] logits. */
export function residualDiscriminator(cfg: ResidualDiscriminatorConfig = {}): Net {
  const name = cfg.name ?? 'D';
  const channels = cfg.channels ?? [16, 32, 64];
  const p = stagePlan(name, cfg, channels);
  const act = cfg.activation ?? 'leakyRelu';
  const r: Rng = toRng(cfg.seed);
  const wt = cfg.weightTransform;
  let index = 0;
  let size = p.imageSize;
  const layers: Net[] = [
    conv2d({ inChannels: p.imageChannels, filters: channels[0], kernelSize: 1, inputSize: [size, size], weightTransform: wt, name: `${name}/fromImage`, index: index++, seed: r.fork() }),
  ];
  channels.forEach((c, s) => {
    for (let b = 0; b < p.blocks; b++) {
      layers.push(residualBlock({ channels: c, expansion: p.expansion, groups: p.groups, groupMode: cfg.groupMode, activation: act, size: [size, size], weightTransform: wt, name: `${name}/stage${s}/block${b}`, index, seed: r.fork() }));
      index += 3;
    }
    if (s + 1 < channels.length) {
      layers.push(conv2d({ inChannels: c, filters: channels[s + 1], kernelSize: 1, inputSize: [size, size], weightTransform: wt, name: `${name}/stage${s}/transition`, index: index++, seed: r.fork() }));
      layers.push(downsampleMean2xLayer(`${name}/stage${s}/downsample`));
      size /= 2;
    }
  });
  const last = channels[channels.length - 1];
  layers.push(activationLayer(act, `${name}/act`));
  layers.push(flattenLayer([size, size, last], `${name}/flatten`));
  layers.push(dense({ inUnits: size * size * last, units: 1, weightTransform: wt, name: `${name}/logit`, index: index++, seed: r.fork() }));
  return sequential(name, layers, { inputShape: [p.imageSize, p.imageSize, p.imageChannels], outputShape: [1] });
}

