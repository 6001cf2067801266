/**
 * CycleGAN's networks (Zhu, Park, Isola & Efros 2017, appendix 7.2), scaled to 14x14 digits:
 * - the generator "c7s1-k, d2k, R2k x blocks, uk, c7s1-C": a 7x7 convolution, one stride-2
 *   downsampling, residual blocks at the low resolution, one 2x upsampling and a 7x7
 *   convolution to the image, every convolution reflection-padded (no dark frame at the
 *   border) and followed by instance normalisation and ReLU (tanh at the end). The paper
 *   downsamples twice and uses 6 or 9 blocks on 128 or 256 pixels; at 14x14 one step is
 *   enough. Upsampling is nearest 2x then a 3x3 convolution (the paper's fractionally
 *   strided convolution leaves a checkerboard at this size; chapter 8 shows why);
 * - the PatchGAN discriminator: 4x4 convolutions, leaky ReLU 0.2, instance norm from the second
 *   layer on, ending in a map of logits, one per overlapping patch. Its receptive field (the
 *   size of the patch each logit judges) is `receptiveField(patchGanLayers(...))`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger, checkPositiveInt } from '../../core/args';
import { activationLayer, upsampleNearest2xLayer } from '../../nn/reshapeLayers';
import { conv2d } from '../../nn/conv2d';
import { reflectionPadConv2d } from '../../nn/reflectionPadConv2d';
import { instanceNorm } from '../../nn/instanceNorm';
import { SeedLike, toRng } from '../../nn/init';
import { composeNet, Net, sequential } from '../../nn/net';

export interface CycleGanGeneratorConfig {
  /** Square image side (default 14); must be even. */
  imageSize?: number;
  /** Image channels, in and out (default 1). */
  imageChannels?: number;
  /** Width of the first and last stage (default 16); the low-resolution stage has twice as many. */
  channels?: number;
  /** Residual blocks at the low resolution (default 3). */
  blocks?: number;
  name?: string;
  seed?: SeedLike;
}

export interface PatchGanConfig {
  imageSize?: number;
  imageChannels?: number;
  /** Channels of the convolutions before the logit map (default [16, 32, 64]). */
  channels?: number[];
  /** Stride of each of those convolutions (default [2, 2, 1], the paper's pattern C64-C128-C256-C512 ends stride 1). */
  strides?: number[];
  /** Kernel size of every convolution (default 4). */
  kernelSize?: number;
  name?: string;
  seed?: SeedLike;
}

/** One convolution of a stack, for `receptiveField`. */
export interface ConvLayerGeometry {
  kernelSize: number;
  stride: number;
}

/**
 * The side of the input square one output unit of a stack of convolutions sees:
 * r_out = 1 and, going back through layer (k, s), r <- s r + (k - s). For the paper's
 * 70x70 PatchGAN (4x4 kernels, strides 2, 2, 2, 1, 1) it is 70.
 */
export function receptiveField(layers: readonly ConvLayerGeometry[]): number {
  if (!Array.isArray(layers) || layers.length === 0) throw argumentError('receptiveField', 'layers', 'a non-empty array of { kernelSize, stride }', layers);
  let r = 1;
  for (let i = layers.length - 1; i >= 0; i--) {
    const { kernelSize: k, stride: s } = layers[i] ?? ({} as ConvLayerGeometry);
    checkPositiveInt('receptiveField', `layers[${i}].kernelSize`, k);
    checkPositiveInt('receptiveField', `layers[${i}].stride`, s);
    r = s * r + (k - s);
  }
  return r;
}

/** The convolutions of `patchGanDiscriminator(cfg)`, in order (the last one makes the logits, stride 1). */
export function patchGanLayers(cfg: PatchGanConfig = {}): ConvLayerGeometry[] {
  const { strides, kernelSize } = patchPlan('patchGanLayers', cfg);
  return [...strides, 1].map((stride) => ({ kernelSize, stride }));
}

function patchPlan(who: string, cfg: PatchGanConfig) {
  const channels = cfg.channels ?? [16, 32, 64];
  const strides = cfg.strides ?? [2, 2, 1];
  if (!Array.isArray(channels) || channels.length === 0) throw argumentError(who, 'channels', 'a non-empty array of positive integers', channels);
  channels.forEach((c, i) => checkPositiveInt(who, `channels[${i}]`, c));
  if (!Array.isArray(strides) || strides.length !== channels.length) throw argumentError(who, 'strides', `an array of ${channels.length} strides (one per entry of channels)`, strides);
  strides.forEach((s, i) => checkInteger(who, `strides[${i}]`, s, 1, 2));
  const kernelSize = cfg.kernelSize ?? 4;
  checkPositiveInt(who, 'kernelSize', kernelSize);
  return { channels, strides, kernelSize };
}

function imageGeometry(who: string, cfg: { imageSize?: number; imageChannels?: number }) {
  const size = cfg.imageSize ?? 14;
  const ch = cfg.imageChannels ?? 1;
  checkPositiveInt(who, 'imageSize', size);
  checkPositiveInt(who, 'imageChannels', ch);
  return { size, ch };
}

/** conv (reflection-padded) -> instance norm -> activation, at a fixed input size. */
function convNormAct(name: string, inChannels: number, filters: number, kernelSize: number, strides: number, size: number, act: 'relu' | 'linear', seed: SeedLike): Net {
  const conv = reflectionPadConv2d({ inChannels, filters, kernelSize, strides, inputSize: [size, size], init: 'he', useBias: false, name: `${name}/conv`, seed });
  const out = Math.ceil(size / strides);
  const parts = [conv, instanceNorm({ channels: filters, inputSize: [out, out], name: `${name}/norm` })];
  if (act !== 'linear') parts.push(activationLayer(act));
  return sequential(name, parts);
}

export function cycleGanGenerator(cfg: CycleGanGeneratorConfig = {}): Net {
  const who = cfg.name ? `cycleGanGenerator ${cfg.name}` : 'cycleGanGenerator';
  const { size, ch } = imageGeometry(who, cfg);
  if (size % 2 !== 0) throw argumentError(who, 'imageSize', 'an even number (one 2x downsampling and upsampling)', size);
  const c = cfg.channels ?? 16;
  checkPositiveInt(who, 'channels', c);
  const blocks = cfg.blocks ?? 3;
  checkInteger(who, 'blocks', blocks, 0);
  const name = cfg.name ?? 'G';
  const r = toRng(cfg.seed);
  const low = size / 2;
  const parts: Net[] = [
    convNormAct(`${name}/c7s1`, ch, c, 7, 1, size, 'relu', r.fork()),
    convNormAct(`${name}/d`, c, 2 * c, 3, 2, size, 'relu', r.fork()),
  ];
  for (let b = 0; b < blocks; b++) {
    const first = convNormAct(`${name}/R${b}/a`, 2 * c, 2 * c, 3, 1, low, 'relu', r.fork());
    const second = convNormAct(`${name}/R${b}/b`, 2 * c, 2 * c, 3, 1, low, 'linear', r.fork());
    parts.push(composeNet({
      name: `${name}/R${b}`,
      parts: [first, second] as const,
      inputShape: [low, low, 2 * c],
      outputShape: [low, low, 2 * c],
      forward: ([a, bb], x, opts) => tf.tidy(() => tf.add(x, bb.apply(a.apply(x, opts), opts))),
    }));
  }
  parts.push(upsampleNearest2xLayer(`${name}/up`));
  parts.push(convNormAct(`${name}/u`, 2 * c, c, 3, 1, size, 'relu', r.fork()));
  parts.push(reflectionPadConv2d({ inChannels: c, filters: ch, kernelSize: 7, inputSize: [size, size], activation: 'tanh', name: `${name}/out`, seed: r.fork() }));
  return sequential(name, parts, { inputShape: [size, size, ch], outputShape: [size, size, ch] });
}

/**
 * The PatchGAN: each output logit judges one receptive-field-sized patch, so D models the
 * texture and local structure and the L1 / cycle terms carry the global layout.
 * Zero 'same' padding (the paper's discriminator pads with zeros too).
 */
export function patchGanDiscriminator(cfg: PatchGanConfig = {}): Net {
  const who = cfg.name ? `patchGanDiscriminator ${cfg.name}` : 'patchGanDiscriminator';
  const { size, ch } = imageGeometry(who, cfg);
  const { channels, strides, kernelSize } = patchPlan(who, cfg);
  const name = cfg.name ?? 'D';
  const r = toRng(cfg.seed);
  const parts: Net[] = [];
  let s = size;
  let cin = ch;
  channels.forEach((c, i) => {
    parts.push(conv2d({ inChannels: cin, filters: c, kernelSize, strides: strides[i], padding: 'same', inputSize: [s, s], init: 'he', name: `${name}/conv${i}`, useBias: i === 0, seed: r.fork() }));
    s = Math.ceil(s / strides[i]);
    if (i > 0) parts.push(instanceNorm({ channels: c, inputSize: [s, s], name: `${name}/norm${i}` }));
    parts.push(activationLayer({ name: 'leakyRelu', slope: 0.2 }));
    cin = c;
  });
  parts.push(conv2d({ inChannels: cin, filters: 1, kernelSize, padding: 'same', inputSize: [s, s], name: `${name}/logits`, seed: r.fork() }));
  return sequential(name, parts, { inputShape: [size, size, ch], outputShape: [s, s, 1] });
}
