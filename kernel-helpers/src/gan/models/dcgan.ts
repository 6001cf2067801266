/**
 * DCGAN-style convolutional pair for square single- or multi-channel images (Radford, Metz &
 * Chintala 2016, scaled to digit size):
 *   G: dense latentDim -> 7x7xc0, convT 5x5 s2 -> 14x14xc1, convT 5x5 (s2 at 28x28, s1 at
 *      14x14) -> imageSize^2 x channels, tanh
 *   D: conv 5x5 s2 -> c0, conv 5x5 s2 -> c1, dense -> 1 logit
 * The defaults (leaky ReLU 0.2 everywhere, no batch normalisation, 28x28) are the benchmark's
 * reference model, which keeps penalties well defined. The paper's guidelines are options:
 * `batchNorm: true` puts batch norm in G after every layer but the output and in D after
 * every layer but the input one; `activation: 'relu'` for G; `init: { normalStd: 0.02 }`.
 *
 * Conditional variants (Mirza & Osindero 2014; Miyato & Koyama 2018) take the labels from
 * `apply(x, { labels })`: `conditioning: 'concat'` appends the one-hot label to G's latent
 * and, as constant planes, to D's input channels; D's `conditioning: 'projection'` adds
 * <embed(y), phi(x)> to the logit of the unconditional trunk phi instead.
 */
import { Activation } from '../../nn/activations';
import { batchNorm } from '../../nn/batchNorm';
import { concatLabels } from '../../nn/concatLabels';
import { conv2d } from '../../nn/conv2d';
import { conv2dTranspose } from '../../nn/conv2dTranspose';
import { dense } from '../../nn/dense';
import { Init, SeedLike, toRng } from '../../nn/init';
import { argumentError, checkOneOf, checkPositiveInt } from '../../core/args';
import { Net, sequential, WeightTransform } from '../../nn/net';
import { projectionHead } from '../../nn/projectionHead';
import { activationLayer, flattenLayer, reshapeLayer } from '../../nn/reshapeLayers';

export type DcganImageSize = 14 | 28;

export interface DcganConfig {
  /** Hidden activation (default leaky ReLU 0.2). */
  activation?: Activation;
  init?: Init;
  weightTransform?: WeightTransform;
  name?: string;
  seed?: SeedLike;
  /** Side of the square images, 28 (default) or 14. */
  imageSize?: DcganImageSize;
  /** Image channels (default 1). */
  imageChannels?: number;
  /** Batch normalisation as in the DCGAN guidelines (default false). */
  batchNorm?: boolean;
  /** Classes of a conditional net (labels from `apply`'s options); requires `conditioning`. */
  numClasses?: number;
  /**
   * Side of every (transposed) convolution kernel (default 5, the paper's). A side divisible by
   * the stride (4) makes a stride-2 transposed convolution cover every output pixel equally
   * often, which avoids its checkerboard artefacts (Odena, Dumoulin & Olah 2016).
   */
  kernelSize?: number;
}

export interface DcganGeneratorConfig extends DcganConfig {
  /** Default 100. */
  latentDim?: number;
  /** Channels at 7x7 and 14x14 (default [64, 32]). */
  channels?: [number, number];
  /** Default tanh (images scaled to [-1, 1]). */
  outputActivation?: Activation;
  /** How the label enters G: its one-hot code appended to the latent. */
  conditioning?: 'concat';
}

export interface DcganDiscriminatorConfig extends DcganConfig {
  /** Channels after the first and the second convolution (default [32, 64]). */
  channels?: [number, number];
  /** How the label enters D: one-hot planes appended to the input, or a projection head. */
  conditioning?: 'concat' | 'projection';
}

export const DCGAN_IMAGE_SHAPE: readonly number[] = [28, 28, 1];

const IMAGE_SIZES = [14, 28] as const;

function checkImageSize(name: string, size: unknown): asserts size is DcganImageSize {
  if (!IMAGE_SIZES.includes(size as DcganImageSize)) throw argumentError(name, 'imageSize', '14 or 28', size);
}

function checkCommon(name: string, cfg: DcganConfig & { conditioning?: string }, conditionings: readonly string[]): { size: DcganImageSize; ch: number; classes: number } {
  const size = cfg.imageSize ?? 28;
  checkImageSize(name, size);
  const ch = cfg.imageChannels ?? 1;
  checkPositiveInt(name, 'imageChannels', ch);
  if ((cfg.numClasses === undefined) !== (cfg.conditioning === undefined)) {
    throw new Error(`${name}: a conditional net needs both numClasses and conditioning (${conditionings.map((c) => `'${c}'`).join(' or ')}); give both or neither`);
  }
  if (cfg.conditioning !== undefined) {
    checkOneOf(name, 'conditioning', cfg.conditioning, conditionings);
    checkPositiveInt(name, 'numClasses', cfg.numClasses!);
  }
  return { size, ch, classes: cfg.numClasses ?? 0 };
}

/** A layer's output followed, as configured, by batch norm and the activation. */
function normalised(layer: Net, channels: number, bn: boolean, act: Activation, name: string, shape: readonly number[]): Net[] {
  if (!bn) return [layer];
  return [layer, batchNorm({ channels, inputShape: shape, name: `${name}/bn` }), activationLayer(act, `${name}/act`)];
}

export function dcganGenerator(cfg: DcganGeneratorConfig = {}): Net {
  const name = cfg.name ?? 'G';
  const latentDim = cfg.latentDim ?? 100;
  checkPositiveInt(name, 'latentDim', latentDim);
  const [c7, c14] = cfg.channels ?? [64, 32];
  checkPositiveInt(name, 'channels[0]', c7);
  checkPositiveInt(name, 'channels[1]', c14);
  const { size, ch, classes } = checkCommon(name, cfg, ['concat']);
  const k = cfg.kernelSize ?? 5;
  checkPositiveInt(name, 'kernelSize', k);
  const act = cfg.activation ?? 'leakyRelu';
  const bn = cfg.batchNorm ?? false;
  // With batch norm the layer is linear and the activation follows the normalisation.
  const layerAct: Activation = bn ? 'linear' : act;
  const r = toRng(cfg.seed);
  const common = { init: cfg.init, weightTransform: cfg.weightTransform };
  const inUnits = latentDim + classes;
  const parts: Net[] = [];
  if (classes > 0) parts.push(concatLabels({ numClasses: classes, inputShape: [latentDim], name: `${name}/labels` }));
  parts.push(...normalised(dense({ ...common, inUnits, units: 7 * 7 * c7, activation: layerAct, name: `${name}/dense0`, index: 0, seed: r.fork() }), 7 * 7 * c7, bn, act, `${name}/dense0`, [7 * 7 * c7]));
  parts.push(reshapeLayer([7 * 7 * c7], [7, 7, c7], `${name}/reshape`));
  parts.push(...normalised(conv2dTranspose({ ...common, inChannels: c7, filters: c14, kernelSize: k, strides: 2, inputSize: [7, 7], activation: layerAct, name: `${name}/convT1`, index: 1, seed: r.fork() }), c14, bn, act, `${name}/convT1`, [14, 14, c14]));
  parts.push(conv2dTranspose({ ...common, inChannels: c14, filters: ch, kernelSize: k, strides: size === 28 ? 2 : 1, inputSize: [14, 14], activation: cfg.outputActivation ?? 'tanh', name: `${name}/convT2`, index: 2, seed: r.fork() }));
  return sequential(name, parts, { inputShape: [latentDim], outputShape: [size, size, ch] });
}

/**
 * The convolutional trunk phi of the DCGAN discriminator: image -> flat features
 * [batch, featureSize]. `inChannels` counts any label planes appended before it.
 */
export function dcganFeatures(cfg: DcganDiscriminatorConfig & { inChannels?: number } = {}): { net: Net; featureSize: number } {
  const name = cfg.name ?? 'D';
  const [c0, c1] = cfg.channels ?? [32, 64];
  checkPositiveInt(name, 'channels[0]', c0);
  checkPositiveInt(name, 'channels[1]', c1);
  const size = cfg.imageSize ?? 28;
  checkImageSize(name, size);
  const inChannels = cfg.inChannels ?? cfg.imageChannels ?? 1;
  checkPositiveInt(name, 'inChannels', inChannels);
  const k = cfg.kernelSize ?? 5;
  checkPositiveInt(name, 'kernelSize', k);
  const act = cfg.activation ?? 'leakyRelu';
  const bn = cfg.batchNorm ?? false;
  const r = toRng(cfg.seed);
  const common = { init: cfg.init, weightTransform: cfg.weightTransform };
  const s1 = size / 2; // 14 or 7
  const s2 = Math.ceil(s1 / 2); // 7 or 4 ('same' padding)
  const parts: Net[] = [
    // No batch norm on D's input layer (the DCGAN guidelines).
    conv2d({ ...common, inChannels, filters: c0, kernelSize: k, strides: 2, inputSize: [size, size], activation: act, name: `${name}/conv0`, index: 0, seed: r.fork() }),
    ...normalised(conv2d({ ...common, inChannels: c0, filters: c1, kernelSize: k, strides: 2, inputSize: [s1, s1], activation: bn ? 'linear' : act, name: `${name}/conv1`, index: 1, seed: r.fork() }), c1, bn, act, `${name}/conv1`, [s2, s2, c1]),
    flattenLayer([s2, s2, c1], `${name}/flatten`),
  ];
  return { net: sequential(`${name}/features`, parts, { inputShape: [size, size, inChannels], outputShape: [s2 * s2 * c1] }), featureSize: s2 * s2 * c1 };
}

export function dcganDiscriminator(cfg: DcganDiscriminatorConfig = {}): Net {
  const name = cfg.name ?? 'D';
  const { size, ch, classes } = checkCommon(name, cfg, ['concat', 'projection']);
  const r = toRng(cfg.seed);
  const concat = cfg.conditioning === 'concat';
  // The trunk draws from the same stream, so its layers get the streams they had as direct parts.
  const { net: phi, featureSize } = dcganFeatures({ ...cfg, name, seed: r, inChannels: ch + (concat ? classes : 0) });
  const common = { init: cfg.init, weightTransform: cfg.weightTransform };
  const parts: Net[] = [];
  if (concat) parts.push(concatLabels({ numClasses: classes, inputShape: [size, size, ch], name: `${name}/labels` }));
  parts.push(phi);
  if (cfg.conditioning === 'projection') parts.push(projectionHead({ ...common, features: featureSize, numClasses: classes, name: `${name}/projection`, index: 2, seed: r.fork() }));
  else parts.push(dense({ ...common, inUnits: featureSize, units: 1, name: `${name}/dense2`, index: 2, seed: r.fork() }));
  return sequential(name, parts, { inputShape: [size, size, ch], outputShape: [1] });
}
