/**
 * ESRGAN's generator and discriminator (Wang, Yu, Wu, Gu, Liu, Dong, Qiao & Loy 2018, "ESRGAN:
 * Enhanced Super-Resolution Generative Adversarial Networks", sect. 3.1-3.2, fig. 3-4), scaled
 * to 4x super-resolution of digits, 7x7 -> 28x28, on a CPU:
 *
 *   G: conv 3x3 -> [RRDB] x blocks -> conv 3x3, + long skip        (all at low resolution)
 *      -> (nearest 2x, conv 3x3, leaky ReLU 0.2) per factor of 2      (or conv to 4C + pixel shuffle)
 *      -> conv 3x3, leaky ReLU 0.2 -> conv 3x3 to the image, linear
 *   D: per stage, conv 3x3 s1 and conv 3x3 s2 (VGG-style, SRGAN's D: Ledig et al. 2017, fig. 4),
 *      batch norm after every conv but the first, leaky ReLU 0.2; flatten -> dense -> 1 logit
 *      (SRGAN's hidden dense layer of 1024 units is left out at this size)
 *
 * D's logit is meant for the relativistic average loss (`relativisticAverageLoss`, ESRGAN's
 * sect. 3.2): D judges whether a real image is more realistic than the average fake.
 *
 * Design choices, and why:
 * - No batch norm in G by default. ESRGAN removes it (sect. 3.1): its batch statistics differ
 *   between training and test, which brings artefacts, and it limits generalisation. The
 *   RRDBs keep the deep residual stack stable with the residual scaling beta = `residualScale`
 *   and a small initialisation instead (see nn/denseBlocks.ts).
 * - `batchNorm: true` in G (the ablation) puts batch norm after each RRDB and after the trunk's
 *   closing conv, before the long skip. The RRDBs are the shared nn/denseBlocks ones, which have
 *   no normalisation inside, so the ablation normalises between them: each RRDB's output,
 *   identity path included, then depends on the batch's statistics, which is the dependence
 *   the paper removes. The closing conv's batch norm is where SRGAN had one.
 * - Most of the work happens at low resolution (the trunk runs at 7x7), as in ESRGAN; only the
 *   upsampling convs and the two closing ones see the large image.
 * - Nearest upsampling + conv is ESRGAN's choice; `upsample: 'pixelShuffle'` (ESPCN, Shi et al.
 *   2016, SRGAN's choice) is offered for comparison. Both avoid the checkerboard of strided
 *   transposed convs. Both are written with ops whose gradients every backend has (no
 *   `depthToSpace`, no `resizeNearestNeighbor`, whose cpu gradient is wrong for batch > 1).
 * - The output is linear, as in ESRGAN: digits are in [-1, 1] and the pixel (L1) loss pulls
 *   the output there; a tanh would flatten the gradient on the many saturated background
 *   pixels (-1). `outputActivation: 'tanh'` is available; clip a linear output for display.
 * - Seed streams: the RRDBs draw theirs after every other layer, so G's other layers start from
 *   the same weights whatever `blocks` is (ablations over depth compare like with like).
 *
 * With batch norm (D by default), apply the net with `{ training: true }` while training: eval
 * mode needs running statistics, which exist only after a training-mode pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Activation } from '../../nn/activations';
import { batchNorm } from '../../nn/batchNorm';
import { conv2d, convOutputSize } from '../../nn/conv2d';
import { dense } from '../../nn/dense';
import { rrdb } from '../../nn/denseBlocks';
import { Init, SeedLike, toRng } from '../../nn/init';
import { argumentError, checkFinite, checkKnownOptions, checkNonNegativeInt, checkOneOf, checkPositiveInt } from '../../core/args';
import { composeNet, Net, sequential, WeightTransform } from '../../nn/net';
import { pixelShuffleLayer } from '../../nn/pixelShuffle';
import { activationLayer, flattenLayer, upsampleNearest2xLayer } from '../../nn/reshapeLayers';

export type EsrganUpsample = 'nearest' | 'pixelShuffle';
export type EsrganScale = 2 | 4;

export interface EsrganGeneratorConfig {
  /** Feature channels of the trunk and the upsampling convs (default 16; ESRGAN: 64). */
  channels?: number;
  /** Channels each dense-block conv adds (default 8; ESRGAN: 32). */
  growth?: number;
  /** RRDBs in the trunk (default 2; ESRGAN: 23). 0 leaves the trunk's closing conv alone. */
  blocks?: number;
  /** Residual scaling beta inside and around every dense block (default 0.2, ESRGAN's). */
  residualScale?: number;
  /** Upsampling: 'nearest' 2x + conv (default, ESRGAN's) or conv + 'pixelShuffle'. */
  upsample?: EsrganUpsample;
  /** Upscaling factor, 2 or 4 (default 4). */
  scale?: EsrganScale;
  /** Image channels in and out (default 1). */
  imageChannels?: number;
  /** Batch norm after each RRDB and after the trunk's closing conv (default false; the ablation). */
  batchNorm?: boolean;
  /** Output activation: 'linear' (default, ESRGAN's) or 'tanh'. */
  outputActivation?: 'linear' | 'tanh';
  /** Side of the low-resolution input, if fixed (enables shape checks and `outputShape`). */
  inputSize?: number;
  /** Init of the convs outside the RRDBs (default 'he'; the RRDBs use He x 0.1). */
  init?: Init;
  weightTransform?: WeightTransform;
  name?: string;
  seed?: SeedLike;
}

export interface EsrganDiscriminatorConfig {
  /** Side of the square high-resolution images (default 28); 2^stages must divide it. */
  imageSize?: number;
  /** Channels of each stage (a stride-1 and a stride-2 conv), default [16, 32]. */
  channels?: readonly number[];
  /** Batch norm after every conv but the first (default true, as SRGAN's and ESRGAN's D). */
  batchNorm?: boolean;
  /** Image channels (default 1). */
  imageChannels?: number;
  init?: Init;
  weightTransform?: WeightTransform;
  name?: string;
  seed?: SeedLike;
}

export interface EsrganNetsConfig {
  /** Side of the low-resolution input (default 7). */
  inputSize?: number;
  generator?: Omit<EsrganGeneratorConfig, 'inputSize' | 'seed'>;
  /** `imageSize` defaults to inputSize x scale; a different value is refused. */
  discriminator?: Omit<EsrganDiscriminatorConfig, 'seed'>;
  seed?: SeedLike;
}

const GENERATOR_OPTIONS = [
  'channels', 'growth', 'blocks', 'residualScale', 'upsample', 'scale', 'imageChannels', 'batchNorm',
  'outputActivation', 'inputSize', 'init', 'weightTransform', 'name', 'seed',
] as const;
const DISCRIMINATOR_OPTIONS = ['imageSize', 'channels', 'batchNorm', 'imageChannels', 'init', 'weightTransform', 'name', 'seed'] as const;
const NETS_OPTIONS = ['inputSize', 'generator', 'discriminator', 'seed'] as const;
const UPSAMPLES = ['nearest', 'pixelShuffle'] as const;
const OUTPUT_ACTIVATIONS = ['linear', 'tanh'] as const;

/** ESRGAN's dense-block shape: 5 convs per dense block, 3 dense blocks per RRDB (fig. 4). */
const DENSE_LAYERS = 5;
const DENSE_BLOCKS = 3;
const LEAKY: Activation = { name: 'leakyRelu', slope: 0.2 };

function checkScale(who: string, scale: unknown): asserts scale is EsrganScale {
  if (scale !== 2 && scale !== 4) throw argumentError(who, 'scale', '2 or 4', scale);
}

/** [batch, s, s, c] -> [batch, scale s, scale s, c]; the low-resolution side s is any size unless `inputSize` fixes it. */
export function esrganGenerator(cfg: EsrganGeneratorConfig = {}): Net {
  const name = cfg.name ?? 'G';
  checkKnownOptions(name, cfg, GENERATOR_OPTIONS);
  const c = cfg.channels ?? 16;
  checkPositiveInt(name, 'channels', c);
  const growth = cfg.growth ?? 8;
  checkPositiveInt(name, 'growth', growth);
  const blocks = cfg.blocks ?? 2;
  checkNonNegativeInt(name, 'blocks', blocks);
  const beta = cfg.residualScale ?? 0.2;
  checkFinite(name, 'residualScale', beta);
  const upsample = cfg.upsample ?? 'nearest';
  checkOneOf(name, 'upsample', upsample, UPSAMPLES);
  const scale = cfg.scale ?? 4;
  checkScale(name, scale);
  const ch = cfg.imageChannels ?? 1;
  checkPositiveInt(name, 'imageChannels', ch);
  const bn = cfg.batchNorm ?? false;
  const outAct = cfg.outputActivation ?? 'linear';
  checkOneOf(name, 'outputActivation', outAct, OUTPUT_ACTIVATIONS);
  const s = cfg.inputSize;
  if (s !== undefined) checkPositiveInt(name, 'inputSize', s);
  const at = (side: number | undefined): [number, number] | undefined => (side === undefined ? undefined : [side, side]);

  const r = toRng(cfg.seed);
  const streams = { head: r.fork(), trunk: r.fork(), up: [r.fork(), r.fork()], hr: r.fork(), out: r.fork(), blocks: r.fork() };
  const common = { init: cfg.init ?? 'he', weightTransform: cfg.weightTransform } as const;
  const perRrdb = DENSE_LAYERS * DENSE_BLOCKS;
  let index = 0;

  const head = conv2d({ ...common, inChannels: ch, filters: c, kernelSize: 3, inputSize: at(s), name: `${name}/conv0`, index: index++, seed: streams.head });
  const trunkParts: Net[] = [];
  for (let b = 0; b < blocks; b++) {
    trunkParts.push(rrdb({
      channels: c, growth, layers: DENSE_LAYERS, blocks: DENSE_BLOCKS, beta, inputSize: at(s),
      weightTransform: cfg.weightTransform, name: `${name}/rrdb${b + 1}`, index, seed: streams.blocks.fork(),
    }));
    index += perRrdb;
    if (bn) trunkParts.push(batchNorm({ channels: c, name: `${name}/rrdb${b + 1}/bn` }));
  }
  trunkParts.push(conv2d({ ...common, inChannels: c, filters: c, kernelSize: 3, inputSize: at(s), name: `${name}/trunkConv`, index: index++, seed: streams.trunk }));
  if (bn) trunkParts.push(batchNorm({ channels: c, name: `${name}/trunkConv/bn` }));
  const trunk = sequential(`${name}/trunk`, trunkParts);

  const tailParts: Net[] = [];
  let side = s;
  for (let k = 0; k < Math.log2(scale); k++) {
    const up = `${name}/up${k + 1}`;
    if (upsample === 'nearest') {
      tailParts.push(upsampleNearest2xLayer(`${up}/nearest`));
      side = side === undefined ? undefined : 2 * side;
      tailParts.push(conv2d({ ...common, inChannels: c, filters: c, kernelSize: 3, inputSize: at(side), activation: LEAKY, name: `${up}/conv`, index: index++, seed: streams.up[k] }));
    } else {
      // The shuffle moves channel block (i, j) to sub-pixel (i, j); the activation commutes with it.
      tailParts.push(conv2d({ ...common, inChannels: c, filters: 4 * c, kernelSize: 3, inputSize: at(side), activation: LEAKY, name: `${up}/conv`, index: index++, seed: streams.up[k] }));
      tailParts.push(pixelShuffleLayer({ factor: 2, inChannels: 4 * c, inputSize: at(side), name: `${up}/shuffle` }));
      side = side === undefined ? undefined : 2 * side;
    }
  }
  tailParts.push(conv2d({ ...common, inChannels: c, filters: c, kernelSize: 3, inputSize: at(side), activation: LEAKY, name: `${name}/hrConv`, index: index++, seed: streams.hr }));
  tailParts.push(conv2d({ ...common, inChannels: c, filters: ch, kernelSize: 3, inputSize: at(side), activation: outAct, name: `${name}/convOut`, index: index++, seed: streams.out }));
  const tail = sequential(`${name}/tail`, tailParts);

  return composeNet({
    name,
    parts: [head, trunk, tail] as const,
    inputShape: [s ?? -1, s ?? -1, ch],
    outputShape: s === undefined ? undefined : [s * scale, s * scale, ch],
    forward([h, t, u], x, opts) {
      return tf.tidy(() => {
        const f = h.apply(x, opts);
        return u.apply(tf.add(f, t.apply(f, opts)), opts);
      });
    },
  });
}

/** [batch, imageSize, imageSize, imageChannels] -> [batch, 1] logits. */
export function esrganDiscriminator(cfg: EsrganDiscriminatorConfig = {}): Net {
  const name = cfg.name ?? 'D';
  checkKnownOptions(name, cfg, DISCRIMINATOR_OPTIONS);
  const size = cfg.imageSize ?? 28;
  checkPositiveInt(name, 'imageSize', size);
  const channels = cfg.channels ?? [16, 32];
  if (!Array.isArray(channels) || channels.length === 0) throw argumentError(name, 'channels', 'a non-empty list of positive integers', channels);
  channels.forEach((k, i) => checkPositiveInt(name, `channels[${i}]`, k));
  const stages = channels.length;
  // Exact halving keeps every stride-2 window inside the image (no zero row or column of padding read as "dark").
  if (size % 2 ** stages !== 0) {
    throw argumentError(name, 'imageSize', `divisible by 2^stages = ${2 ** stages} (${stages} stride-2 stages, one per entry of channels)`, size);
  }
  const ch = cfg.imageChannels ?? 1;
  checkPositiveInt(name, 'imageChannels', ch);
  const bn = cfg.batchNorm ?? true;
  const r = toRng(cfg.seed);
  const common = { init: cfg.init, weightTransform: cfg.weightTransform };
  const parts: Net[] = [];
  let side = size;
  let inC = ch;
  let index = 0;
  for (let st = 0; st < stages; st++) {
    for (const stride of [1, 2]) {
      const layer = `${name}/conv${index}`;
      const withBn = bn && index > 0;
      const out = convOutputSize(side, 3, stride, 'same');
      parts.push(conv2d({ ...common, inChannels: inC, filters: channels[st], kernelSize: 3, strides: stride, inputSize: [side, side], activation: withBn ? 'linear' : LEAKY, name: layer, index: index++, seed: r.fork() }));
      if (withBn) parts.push(batchNorm({ channels: channels[st], inputShape: [out, out, channels[st]], name: `${layer}/bn` }), activationLayer(LEAKY, `${layer}/act`));
      side = out;
      inC = channels[st];
    }
  }
  const features = side * side * inC;
  parts.push(flattenLayer([side, side, inC], `${name}/flatten`));
  parts.push(dense({ ...common, inUnits: features, units: 1, name: `${name}/dense`, index: index++, seed: r.fork() }));
  return sequential(name, parts, { inputShape: [size, size, ch], outputShape: [1] });
}

/**
 * A matching pair: G maps inputSize -> inputSize x scale, D reads that size. Refuses a D whose
 * `imageSize` is not G's output size, which would otherwise surface only at the first batch.
 */
export function esrganNets(cfg: EsrganNetsConfig = {}): { generator: Net; discriminator: Net } {
  const who = 'esrganNets';
  checkKnownOptions(who, cfg, NETS_OPTIONS);
  const inputSize = cfg.inputSize ?? 7;
  checkPositiveInt(who, 'inputSize', inputSize);
  const scale = cfg.generator?.scale ?? 4;
  checkScale(who, scale);
  const want = inputSize * scale;
  const imageSize = cfg.discriminator?.imageSize ?? want;
  if (imageSize !== want) {
    throw argumentError(who, 'discriminator.imageSize', `inputSize x scale = ${inputSize} x ${scale} = ${want}`, imageSize);
  }
  const gc = cfg.generator?.imageChannels ?? 1;
  const dc = cfg.discriminator?.imageChannels ?? 1;
  if (gc !== dc) throw argumentError(who, 'discriminator.imageChannels', `the generator's imageChannels (${gc})`, dc);
  const r = toRng(cfg.seed);
  const generator = esrganGenerator({ ...cfg.generator, inputSize, seed: r.fork() });
  const discriminator = esrganDiscriminator({ ...cfg.discriminator, imageSize, seed: r.fork() });
  return { generator, discriminator };
}
