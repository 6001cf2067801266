/**
 * DCGAN-style convolutional pair for 28x28 single-channel images (Radford et al. 2016,
 * scaled to MNIST size), the benchmark's reference model:
 *   G: dense latentDim -> 7x7x64, convT 5x5 s2 -> 14x14x32, convT 5x5 s2 -> 28x28x1, tanh
 *   D: conv 5x5 s2 -> 14x14x32, conv 5x5 s2 -> 7x7x64, dense -> 1 logit
 * Leaky ReLU 0.2 between layers; no batch normalisation (keeps penalties well defined).
 */
import { Activation } from '../../nn/activations';
import { conv2d } from '../../nn/conv2d';
import { conv2dTranspose } from '../../nn/conv2dTranspose';
import { dense } from '../../nn/dense';
import { Init, SeedLike, toRng } from '../../nn/init';
import { checkPositiveInt } from '../../core/args';
import { Net, sequential, WeightTransform } from '../../nn/net';
import { flattenLayer, reshapeLayer } from '../../nn/reshapeLayers';

export interface DcganConfig {
  /** Hidden activation (default leaky ReLU 0.2). */
  activation?: Activation;
  init?: Init;
  weightTransform?: WeightTransform;
  name?: string;
  seed?: SeedLike;
}

export interface DcganGeneratorConfig extends DcganConfig {
  /** Default 100. */
  latentDim?: number;
  /** Channels at 7x7 and 14x14 (default [64, 32]). */
  channels?: [number, number];
  /** Default tanh (images scaled to [-1, 1]). */
  outputActivation?: Activation;
}

export interface DcganDiscriminatorConfig extends DcganConfig {
  /** Channels at 14x14 and 7x7 (default [32, 64]). */
  channels?: [number, number];
}

export const DCGAN_IMAGE_SHAPE: readonly number[] = [28, 28, 1];

export function dcganGenerator(cfg: DcganGeneratorConfig = {}): Net {
  const name = cfg.name ?? 'G';
  const latentDim = cfg.latentDim ?? 100;
  checkPositiveInt(name, 'latentDim', latentDim);
  const [c7, c14] = cfg.channels ?? [64, 32];
  checkPositiveInt(name, 'channels[0]', c7);
  checkPositiveInt(name, 'channels[1]', c14);
  const act = cfg.activation ?? 'leakyRelu';
  const r = toRng(cfg.seed);
  const common = { init: cfg.init, weightTransform: cfg.weightTransform };
  return sequential(name, [
    dense({ ...common, inUnits: latentDim, units: 7 * 7 * c7, activation: act, name: `${name}/dense0`, index: 0, seed: r.fork() }),
    reshapeLayer([7 * 7 * c7], [7, 7, c7], `${name}/reshape`),
    conv2dTranspose({ ...common, inChannels: c7, filters: c14, kernelSize: 5, strides: 2, inputSize: [7, 7], activation: act, name: `${name}/convT1`, index: 1, seed: r.fork() }),
    conv2dTranspose({ ...common, inChannels: c14, filters: 1, kernelSize: 5, strides: 2, inputSize: [14, 14], activation: cfg.outputActivation ?? 'tanh', name: `${name}/convT2`, index: 2, seed: r.fork() }),
  ]);
}

export function dcganDiscriminator(cfg: DcganDiscriminatorConfig = {}): Net {
  const name = cfg.name ?? 'D';
  const [c14, c7] = cfg.channels ?? [32, 64];
  checkPositiveInt(name, 'channels[0]', c14);
  checkPositiveInt(name, 'channels[1]', c7);
  const act = cfg.activation ?? 'leakyRelu';
  const r = toRng(cfg.seed);
  const common = { init: cfg.init, weightTransform: cfg.weightTransform };
  return sequential(name, [
    conv2d({ ...common, inChannels: 1, filters: c14, kernelSize: 5, strides: 2, inputSize: [28, 28], activation: act, name: `${name}/conv0`, index: 0, seed: r.fork() }),
    conv2d({ ...common, inChannels: c14, filters: c7, kernelSize: 5, strides: 2, inputSize: [14, 14], activation: act, name: `${name}/conv1`, index: 1, seed: r.fork() }),
    flattenLayer([7, 7, c7], `${name}/flatten`),
    dense({ ...common, inUnits: 7 * 7 * c7, units: 1, name: `${name}/dense2`, index: 2, seed: r.fork() }),
  ]);
}
