/**
 * SPADE's networks (Park, Liu, Wang & Zhu 2019, "Semantic Image Synthesis with
 * Spatially-Adaptive Normalization", sect. 3 and appendix A), scaled to 16x16 scenes on a CPU,
 * and the baseline the paper argues against:
 *
 *   spadeGenerator      z -> dense -> [base, base, c0] -> SPADE ResBlk (-> nearest 2x -> SPADE ResBlk)*
 *                       -> leaky ReLU 0.2 -> conv 3x3 -> tanh;  the mask enters every normalisation
 *   maskInputGenerator  the same decoder with batch norm (learned affine) in place of SPADE; the
 *                       mask enters once, at the input: a conv encoder brings it down to
 *                       base x base, concatenated with the z map (pix2pixHD-style conditioning)
 *   multiScalePatchDiscriminator
 *                       PatchGAN discriminators (pix2pix, Isola et al. 2017; pix2pixHD, Wang et
 *                       al. 2018) on concat(image, one-hot mask) at full resolution and at
 *                       2x, 4x, ... average-downsampled ones; 4x4 convs, leaky ReLU 0.2,
 *                       instance norm in the middle layers; every layer's activation is kept for
 *                       the feature-matching loss
 *
 * A SPADE ResBlk is (norm -> leaky ReLU -> conv 3x3) twice, with a width of min(in, out) in
 * between, plus a learned 1x1 shortcut (no bias) when the width changes (the paper's
 * shortcut also has a SPADE; it is left out at this size). Both generators are called as
 * `G.apply(z, { training, condition: oneHotMask })`; the mask is [n, size, size, classes].
 *
 * Design choices, and why:
 * - No encoder in the SPADE generator (the paper's "multi-modal" VAE variant is left out): z
 *   only chooses the style, the mask alone says where things go.
 * - The baseline has the same decoder, widths and losses, so a difference between the two is
 *   the conditioning; its default widths are chosen so that the two have about the same number
 *   of parameters (SPADE's modules are most of its weights).
 * - `channels` lists the widths from the smallest resolution up, one per resolution: with
 *   L entries the decoder starts at size / 2^(L-1) (default [16, 16, 16]: 4x4, 8x8, 16x16).
 *   At the defaults the SPADE generator has 49,809 parameters and the baseline 44,873.
 * - The discriminator's downsampling is average pooling (reshape + mean): it is never
 *   differentiated twice here (no R1), and on the mask it gives the class shares of each
 *   block, which is what the coarse scale should see.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkKnownOptions, checkPositiveInt } from '../../core/args';
import type { Rng } from '../../core/random';
import { Activation, activationFn } from '../../nn/activations';
import { batchNorm } from '../../nn/batchNorm';
import { conv2d } from '../../nn/conv2d';
import { dense } from '../../nn/dense';
import { SeedLike, toRng } from '../../nn/init';
import { instanceNorm } from '../../nn/instanceNorm';
import { ApplyOptions, composeNet, lambdaNet, Net, sequential, WeightTransform } from '../../nn/net';
import { activationLayer, downsampleMean2x, reshapeLayer, upsampleNearest2xLayer } from '../../nn/reshapeLayers';
import { spadeNorm } from '../../nn/spade';

const LEAKY: Activation = { name: 'leakyRelu', slope: 0.2 };

/** A generator of images from a latent and a one-hot mask, with what the trainer checks against. */
export interface MaskConditionedGenerator extends Net {
  /** Image side; the mask is [n, size, size, classes]. */
  readonly size: number;
  readonly classes: number;
  readonly latentDim: number;
}

export interface SpadeGeneratorConfig {
  /** Side of the square images (default 16). */
  size?: number;
  /** Classes K of the one-hot mask (default 4). */
  classes?: number;
  /** Default 16. */
  latentDim?: number;
  /** Widths from the smallest resolution up, one per resolution (default [16, 16, 16]). */
  channels?: readonly number[];
  /** Hidden channels of each SPADE's shared conv (default 16). */
  hidden?: number;
  /** Image channels (default 1). */
  imageChannels?: number;
  name?: string;
  seed?: SeedLike;
}

export interface MaskInputGeneratorConfig extends Omit<SpadeGeneratorConfig, 'hidden'> {
  /** Widths from the smallest resolution up (default [24, 20, 16]: about the SPADE generator's parameter count). */
  channels?: readonly number[];
  /** Widths of the mask encoder's stride-2 convs, one per halving (default [16, 32]). */
  encoderChannels?: readonly number[];
}

export interface MultiScalePatchDiscriminatorConfig {
  /** Side of the square images (default 16). */
  size?: number;
  /** Classes K of the one-hot mask (default 4). */
  classes?: number;
  /** Number of scales: full resolution, then each further one average-pooled 2x (default 2). */
  scales?: number;
  /** Widths of the stride-2 4x4 convs of each scale's PatchGAN (default [16, 32]). */
  channels?: readonly number[];
  /** Instance norm after every stride-2 conv but the first (default true). */
  instanceNorm?: boolean;
  /** Image channels (default 1). */
  imageChannels?: number;
  /** Applied to every conv kernel (e.g. spectral normalisation, the paper's choice). */
  weightTransform?: WeightTransform;
  name?: string;
  seed?: SeedLike;
}

/** A set of PatchGAN discriminators, one per scale, on (image, one-hot mask) pairs. */
export interface MultiScalePatchDiscriminator {
  readonly name: string;
  readonly size: number;
  readonly classes: number;
  readonly scales: number;
  /** Every scale's trainable variables, scale by scale. */
  readonly variables: tf.Variable[];
  /** One net per scale, each a list of layers (for `summary`). */
  readonly nets: readonly Net[];
  /**
   * Per scale, the output of every layer in order; the last is the patch logits
   * [n, h_s, w_s, 1]. image [n, size, size, imageChannels], mask [n, size, size, classes].
   */
  features(image: tf.Tensor, mask: tf.Tensor, opts?: ApplyOptions): tf.Tensor[][];
  /** Per scale, the patch logits [n, h_s, w_s, 1]. */
  logits(image: tf.Tensor, mask: tf.Tensor, opts?: ApplyOptions): tf.Tensor[];
  dispose(): void;
}

const GENERATOR_OPTIONS = ['size', 'classes', 'latentDim', 'channels', 'hidden', 'imageChannels', 'name', 'seed'] as const;
const BASELINE_OPTIONS = ['size', 'classes', 'latentDim', 'channels', 'encoderChannels', 'imageChannels', 'name', 'seed'] as const;
const DISCRIMINATOR_OPTIONS = ['size', 'classes', 'scales', 'channels', 'instanceNorm', 'imageChannels', 'weightTransform', 'name', 'seed'] as const;

function checkWidths(who: string, name: string, widths: readonly number[] | undefined): void {
  if (!Array.isArray(widths) || widths.length === 0) throw argumentError(who, name, 'a non-empty list of positive integers', widths);
  widths.forEach((c, i) => checkPositiveInt(who, `${name}[${i}]`, c));
}

/** What both generators share: sizes, widths and the base resolution, checked. */
function generatorPlan(who: string, cfg: SpadeGeneratorConfig, defaultChannels: readonly number[]) {
  const size = cfg.size ?? 16;
  checkPositiveInt(who, 'size', size);
  const classes = cfg.classes ?? 4;
  checkPositiveInt(who, 'classes', classes);
  const latentDim = cfg.latentDim ?? 16;
  checkPositiveInt(who, 'latentDim', latentDim);
  const channels = cfg.channels ?? defaultChannels;
  checkWidths(who, 'channels', channels);
  const imageChannels = cfg.imageChannels ?? 1;
  checkPositiveInt(who, 'imageChannels', imageChannels);
  const f = 2 ** (channels.length - 1);
  if (size % f !== 0) throw argumentError(who, 'size', `divisible by 2^(levels - 1) = ${f} (one level per entry of channels)`, size);
  return { size, classes, latentDim, channels, imageChannels, base: size / f };
}

type NormMaker = (channels: number, name: string, r: Rng) => Net;

/** (norm -> leaky ReLU -> conv 3x3) twice, plus a 1x1 shortcut when the width changes. */
function resBlock(name: string, inC: number, outC: number, makeNorm: NormMaker, r: Rng): Net {
  const mid = Math.min(inC, outC);
  const act = activationFn(LEAKY);
  const parts: Net[] = [
    makeNorm(inC, `${name}/norm0`, r.fork()),
    conv2d({ inChannels: inC, filters: mid, kernelSize: 3, init: 'he', name: `${name}/conv0`, seed: r.fork() }),
    makeNorm(mid, `${name}/norm1`, r.fork()),
    conv2d({ inChannels: mid, filters: outC, kernelSize: 3, init: 'he', name: `${name}/conv1`, seed: r.fork() }),
  ];
  if (inC !== outC) parts.push(conv2d({ inChannels: inC, filters: outC, kernelSize: 1, useBias: false, name: `${name}/shortcut`, seed: r.fork() }));
  return composeNet({
    name,
    parts,
    inputShape: [-1, -1, inC],
    forward(ps, x, opts) {
      return tf.tidy(() => {
        const h = ps[1].apply(act(ps[0].apply(x, opts)), opts);
        const dx = ps[3].apply(act(ps[2].apply(h, opts)), opts);
        const skip = ps.length > 4 ? ps[4].apply(x, opts) : x;
        return tf.add(skip, dx);
      });
    },
  });
}

/** The decoder from [base, base, inC] to the image: blocks with 2x upsampling between them. */
function decoder(name: string, inC: number, plan: ReturnType<typeof generatorPlan>, makeNorm: NormMaker, r: Rng): Net {
  const { channels, imageChannels } = plan;
  const parts: Net[] = [];
  let c = inC;
  channels.forEach((w, level) => {
    if (level > 0) parts.push(upsampleNearest2xLayer(`${name}/up${level}`));
    parts.push(resBlock(`${name}/block${level}`, c, w, makeNorm, r.fork()));
    c = w;
  });
  parts.push(activationLayer(LEAKY, `${name}/act`));
  parts.push(conv2d({ inChannels: c, filters: imageChannels, kernelSize: 3, activation: 'tanh', name: `${name}/toImage`, seed: r.fork() }));
  return sequential(`${name}/decoder`, parts);
}

/**
 * Throws, naming the argument `what`, unless `condition` is the [n, size, size, classes] map
 * the net needs (`multiple`: any positive integer multiple of size in height and width).
 */
function checkCondition(who: string, what: string, condition: tf.Tensor | undefined, n: number, size: number, classes: number, multiple: boolean): tf.Tensor4D {
  if (condition === undefined || condition === null) {
    throw new Error(`${who}: ${what} is missing; pass the one-hot mask [batch, ${size}, ${size}, ${classes}]${what === 'opts.condition' ? ' as G.apply(z, { condition })' : ''}`);
  }
  if (!(condition instanceof tf.Tensor)) throw argumentError(who, what, `a tensor [batch, ${size}, ${size}, ${classes}]`, typeof condition);
  const s = condition.shape;
  const h = s[1] ?? 0;
  const w = s[2] ?? 0;
  const sizeOk = multiple ? h > 0 && w > 0 && h % size === 0 && w % size === 0 : h === size && w === size;
  if (condition.rank !== 4 || s[0] !== n || s[3] !== classes || !sizeOk) {
    const want = multiple ? `[${n}, k ${size}, k ${size}, ${classes}] (k a positive integer)` : `[${n}, ${size}, ${size}, ${classes}]`;
    throw new Error(`${who}: ${what} must have shape ${want}, got [${s.join(', ')}]`);
  }
  return condition as tf.Tensor4D;
}

function withInfo(net: Net, info: { size: number; classes: number; latentDim: number }): MaskConditionedGenerator {
  return Object.assign(net, info);
}

/** z [n, latentDim] with `opts.condition` [n, size, size, classes] -> images [n, size, size, imageChannels] in (-1, 1). */
export function spadeGenerator(cfg: SpadeGeneratorConfig = {}): MaskConditionedGenerator {
  const name = cfg.name ?? 'G';
  checkKnownOptions(name, cfg, GENERATOR_OPTIONS);
  const plan = generatorPlan(name, cfg, [16, 16, 16]);
  const hidden = cfg.hidden ?? 16;
  checkPositiveInt(name, 'hidden', hidden);
  const { size, classes, latentDim, channels, base } = plan;
  const r = toRng(cfg.seed);
  const c0 = channels[0];
  const head = sequential(`${name}/head`, [
    dense({ inUnits: latentDim, units: base * base * c0, name: `${name}/dense`, seed: r.fork() }),
    reshapeLayer([base * base * c0], [base, base, c0], `${name}/reshape`),
  ]);
  const makeNorm: NormMaker = (c, n, s) => spadeNorm({ channels: c, classes, hidden, name: n, seed: s });
  const body = decoder(name, c0, plan, makeNorm, r.fork());
  const net = composeNet({
    name,
    parts: [head, body] as const,
    inputShape: [latentDim],
    outputShape: [size, size, plan.imageChannels],
    forward([h, b], z, opts) {
      checkCondition(name, 'opts.condition', opts.condition, z.shape[0], size, classes, true);
      return tf.tidy(() => b.apply(h.apply(z, opts), opts));
    },
  });
  return withInfo(net, { size, classes, latentDim });
}

/**
 * The baseline: z [n, latentDim] and the mask `opts.condition` [n, size, size, classes] ->
 * images; the mask is encoded once, at the input, and the decoder normalises with batch norm.
 */
export function maskInputGenerator(cfg: MaskInputGeneratorConfig = {}): MaskConditionedGenerator {
  const name = cfg.name ?? 'G';
  checkKnownOptions(name, cfg, BASELINE_OPTIONS);
  const plan = generatorPlan(name, cfg, [24, 20, 16]);
  const { size, classes, latentDim, channels, base } = plan;
  const halvings = channels.length - 1;
  const enc = cfg.encoderChannels ?? Array.from({ length: halvings }, (_, i) => 16 * 2 ** i);
  if (!Array.isArray(enc) || enc.length !== halvings) {
    throw argumentError(name, 'encoderChannels', `a list of ${halvings} widths, one per halving from ${size} to ${base}`, enc);
  }
  enc.forEach((c, i) => checkPositiveInt(name, `encoderChannels[${i}]`, c));
  const r = toRng(cfg.seed);
  const c0 = channels[0];
  const head = sequential(`${name}/head`, [
    dense({ inUnits: latentDim, units: base * base * c0, name: `${name}/dense`, seed: r.fork() }),
    reshapeLayer([base * base * c0], [base, base, c0], `${name}/reshape`),
  ]);
  const encoder = halvings === 0
    ? lambdaNet(`${name}/encoder`, (m) => tf.clone(m))
    : sequential(`${name}/encoder`, enc.map((w, i) =>
      conv2d({ inChannels: i === 0 ? classes : enc[i - 1], filters: w, kernelSize: 3, strides: 2, activation: LEAKY, init: 'he', name: `${name}/encoder${i}`, seed: r.fork() })));
  const encC = halvings === 0 ? classes : enc[halvings - 1];
  const makeNorm: NormMaker = (c, n) => batchNorm({ channels: c, name: n });
  const body = decoder(name, c0 + encC, plan, makeNorm, r.fork());
  const net = composeNet({
    name,
    parts: [head, encoder, body] as const,
    inputShape: [latentDim],
    outputShape: [size, size, plan.imageChannels],
    forward([h, e, b], z, opts) {
      const mask = checkCondition(name, 'opts.condition', opts.condition, z.shape[0], size, classes, false);
      return tf.tidy(() => b.apply(tf.concat([h.apply(z, opts), e.apply(mask, opts)], 3), opts));
    },
  });
  return withInfo(net, { size, classes, latentDim });
}

/** PatchGAN discriminators at `scales` resolutions on concat(image, mask); see the file comment. */
export function multiScalePatchDiscriminator(cfg: MultiScalePatchDiscriminatorConfig = {}): MultiScalePatchDiscriminator {
  const name = cfg.name ?? 'D';
  checkKnownOptions(name, cfg, DISCRIMINATOR_OPTIONS);
  const size = cfg.size ?? 16;
  checkPositiveInt(name, 'size', size);
  const classes = cfg.classes ?? 4;
  checkPositiveInt(name, 'classes', classes);
  const scales = cfg.scales ?? 2;
  checkInteger(name, 'scales', scales, 1);
  const channels = cfg.channels ?? [16, 32];
  checkWidths(name, 'channels', channels);
  const useNorm = cfg.instanceNorm ?? true;
  const ch = cfg.imageChannels ?? 1;
  checkPositiveInt(name, 'imageChannels', ch);
  const halvings = scales - 1 + channels.length;
  // Exact halving everywhere, and at least 2x2 patches at the coarsest scale (instance norm needs two positions).
  if (size % 2 ** halvings !== 0 || size / 2 ** halvings < 2) {
    throw argumentError(name, 'size', `divisible by 2^(scales - 1 + channels.length) = ${2 ** halvings} with at least 2x2 patches left at the coarsest scale`, size);
  }
  const r = toRng(cfg.seed);
  const wt = cfg.weightTransform;
  let index = 0;
  const layersPerScale: Net[][] = [];
  for (let s = 0; s < scales; s++) {
    const sr = r.fork();
    const pre = `${name}/scale${s}`;
    let side = size / 2 ** s;
    let inC = ch + classes;
    const layers: Net[] = [];
    channels.forEach((w, i) => {
      const conv = conv2d({ inChannels: inC, filters: w, kernelSize: 4, strides: 2, inputSize: [side, side], weightTransform: wt, name: `${pre}/conv${i}`, index: index++, seed: sr.fork() });
      side /= 2;
      const parts: Net[] = [conv];
      if (useNorm && i > 0) parts.push(instanceNorm({ channels: w, inputSize: [side, side], name: `${pre}/conv${i}/in` }));
      parts.push(activationLayer(LEAKY, `${pre}/conv${i}/act`));
      layers.push(sequential(`${pre}/layer${i}`, parts));
      inC = w;
    });
    layers.push(conv2d({ inChannels: inC, filters: 1, kernelSize: 4, inputSize: [side, side], weightTransform: wt, name: `${pre}/logits`, index: index++, seed: sr.fork() }));
    layersPerScale.push(layers);
  }
  const nets = layersPerScale.map((layers, s) => sequential(`${name}/scale${s}`, layers));
  const variables = nets.flatMap((n) => n.variables);

  const inputs = (image: tf.Tensor, mask: tf.Tensor): tf.Tensor => {
    const is = image?.shape;
    if (!(image instanceof tf.Tensor) || image.rank !== 4 || is[1] !== size || is[2] !== size || is[3] !== ch) {
      throw new Error(`${name}: image must have shape [batch, ${size}, ${size}, ${ch}], got ${image instanceof tf.Tensor ? `[${is.join(', ')}]` : typeof image}`);
    }
    checkCondition(name, 'mask', mask, is[0], size, classes, false);
    return tf.concat([image, mask], 3);
  };

  const features = (image: tf.Tensor, mask: tf.Tensor, opts: ApplyOptions = {}): tf.Tensor[][] => {
    const x = inputs(image, mask);
    const out: tf.Tensor[][] = [];
    let xs = x;
    layersPerScale.forEach((layers, s) => {
      if (s > 0) {
        const down = downsampleMean2x(xs);
        if (xs !== x) xs.dispose();
        xs = down;
      }
      const acts: tf.Tensor[] = [];
      let h = xs;
      for (const layer of layers) {
        h = layer.apply(h, opts);
        acts.push(h);
      }
      out.push(acts);
    });
    if (xs !== x) xs.dispose();
    x.dispose();
    return out;
  };

  return {
    name,
    size,
    classes,
    scales,
    variables,
    nets,
    features,
    logits(image, mask, opts = {}) {
      const all = features(image, mask, opts);
      const last = all.map((acts) => acts[acts.length - 1]);
      tf.dispose(all.flatMap((acts) => acts.slice(0, -1)));
      return last;
    },
    dispose() {
      for (const n of nets) n.dispose!();
    },
  };
}
