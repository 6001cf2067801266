/**
 * Two untrained synthesis networks, for measuring equivariance rather than for training:
 * StyleGAN2's way of growing an image and StyleGAN3's alias-free way (Karras et al. 2021,
 * "Alias-Free Generative Adversarial Networks", sect. 3 and app. F; Karras et al. 2020,
 * "Analyzing and Improving the Image Quality of StyleGAN" for the StyleGAN2 layout).
 *
 * Both start from the same Fourier features (same seed, same frequencies) and take the same
 * transform of their INPUT, exact by construction: a translation shifts the features' phases,
 * a rotation turns their frequency vectors (see `fourierFeatures`). Whatever the output does
 * differently from the correspondingly transformed image is the network's own doing:
 * - `styleGan2LikePath`: [3x3 conv, pointwise leaky ReLU, nearest 2x upsampling] per block.
 *   Nearest upsampling images the spectrum, the pointwise nonlinearity folds its harmonics
 *   back, zero-padded 3x3 convolutions see the borders: the details stick to the pixel grid.
 * - `aliasFreePath`: [1x1 conv, filtered leaky ReLU (2x, leaky ReLU, low-pass, 2x down), 2x
 *   upsampling by a Kaiser-windowed sinc] per block, computed on a canvas `margin` pixels
 *   larger on every side at every resolution and cropped at the end, as StyleGAN3 does (10
 *   px), so that the filters' zero-padded borders stay outside the image. 1x1 convolutions
 *   are pointwise (exactly equivariant); only the filters' imperfections remain.
 *
 * Coordinates: the output image is one unit wide, centred on the origin; x runs along the
 * columns, y down the rows. `translate: [dx, dy]` moves the content by dx columns and dy rows
 * of OUTPUT pixels (fractions allowed); `rotate: t` turns it by t radians about the image
 * centre, +x towards +y (clockwise on screen, since y points down); with both, the rotation
 * comes first. The output is scaled once, at construction, so that the untransformed image's
 * largest magnitude is 1: images live in about [-1, 1], the range EQ-T's peak of 2 assumes.
 *
 * Measured with the defaults (32 px, 16 channels, seed 7, 16 transforms; metrics/equivariance.ts):
 * StyleGAN2-like EQ-T 21.6 dB integer, 21.9 fractional, EQ-R 17.2; alias-free 59.3, 58.6 and
 * 40.0 (separable filters have a square passband, so rotations fare worse than shifts, as in
 * StyleGAN3-T; StyleGAN3-R uses radially symmetric filters). Without the margin (margin 0)
 * the alias-free path falls to 24-27 dB EQ-T (seeds 7, 8): the borders alone undo it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkFinite, checkInRange, checkKnownOptions, checkNonNegativeInt, checkPositiveInt } from '../../core/args';
import { conv2d } from '../../nn/conv2d';
import { filteredLeakyReluLayer, FilteredLeakyReluOptions } from '../../nn/filteredLeakyRelu';
import { designLowpassFilter, FirFilter } from '../../nn/firFilter';
import { fourierFeatures } from '../../nn/fourierFeatures';
import { SeedLike, toRng } from '../../nn/init';
import { lambdaNet, Net, sequential } from '../../nn/net';
import { upsampleNearest2x } from '../../nn/reshapeLayers';
import { upfirdn2dLayer } from '../../nn/upfirdn';

/** A transform of the input, and so of the image an equivariant network draws. */
export interface SynthesisTransform {
  /** [dx, dy]: content shift in output pixels, along the columns and down the rows. */
  translate?: readonly [number, number];
  /** Radians about the image centre, +x towards +y (clockwise on screen). */
  rotate?: number;
}

export interface SynthesisPath {
  readonly name: string;
  /** Side of the square output, pixels. */
  readonly size: number;
  /** The Fourier input's frequencies (fx, fy), cycles per output-image width. */
  readonly frequencies: readonly (readonly [number, number])[];
  /**
   * The whole path as a Net: [batch, 4] rows (cos t, sin t, tx, ty), tx and ty in image widths,
   * to [batch, size, size, 1], output scaling included. `render` is this with one row.
   */
  readonly net: Net;
  /** The image for one input transform, [1, size, size, 1]; the caller disposes it. */
  render(t?: SynthesisTransform): tf.Tensor4D;
  dispose(): void;
}

export interface SynthesisPathConfig {
  /** Output side (default 32): inputSize times a power of two. */
  size?: number;
  /** Side of the Fourier input, before the first upsampling (default 8). */
  inputSize?: number;
  /** Channels of every hidden layer and of the Fourier input (even; default 16). */
  channels?: number;
  /** Largest input frequency, cycles per image width (default inputSize / 4: half the input grid's Nyquist limit). */
  bandwidth?: number;
  /** Leaky ReLU slope (default 0.2). */
  slope?: number;
  name?: string;
  seed?: SeedLike;
}

export interface AliasFreePathConfig extends SynthesisPathConfig {
  /** Extra pixels on every side of every layer's canvas, cropped at the end (default 10, StyleGAN3's). */
  margin?: number;
  /** Options of every filtered leaky ReLU (default: its own, up 2, down 2, 12 Kaiser taps). */
  activation?: Omit<FilteredLeakyReluOptions, 'slope' | 'up' | 'down'>;
  /**
   * The 2x upsampling filter, designed for sampling rate 2 in cycles per input pixel (default:
   * 24 Kaiser taps, cutoff 0.5, transition band 0.4..0.6, about 40 dB).
   */
  upFilter?: FirFilter | ArrayLike<number>;
}

const COMMON_KEYS = ['size', 'inputSize', 'channels', 'bandwidth', 'slope', 'name', 'seed'] as const;

interface Common {
  name: string;
  size: number;
  inputSize: number;
  blocks: number;
  channels: number;
  bandwidth: number;
  slope: number;
  r: ReturnType<typeof toRng>;
}

function resolveCommon(defaultName: string, cfg: SynthesisPathConfig, extraKeys: readonly string[]): Common {
  const name = cfg.name ?? defaultName;
  checkKnownOptions(name, cfg, [...COMMON_KEYS, ...extraKeys]);
  const size = cfg.size ?? 32;
  const inputSize = cfg.inputSize ?? 8;
  checkPositiveInt(name, 'size', size);
  checkPositiveInt(name, 'inputSize', inputSize);
  const ratio = size / inputSize;
  const blocks = Math.log2(ratio);
  if (!Number.isInteger(blocks) || blocks < 0) {
    throw argumentError(name, 'size', `inputSize (${inputSize}) times a power of two, 1 included (each block doubles the resolution)`, size);
  }
  const channels = cfg.channels ?? 16;
  checkPositiveInt(name, 'channels', channels);
  if (channels % 2 !== 0) throw argumentError(name, 'channels', 'even (the Fourier input has a sin and a cos per frequency)', channels);
  const bandwidth = cfg.bandwidth ?? inputSize / 4;
  if (typeof bandwidth !== 'number' || !Number.isFinite(bandwidth) || bandwidth <= 0 || bandwidth > inputSize / 2) {
    throw argumentError(name, 'bandwidth', `in (0, inputSize/2] = (0, ${inputSize / 2}] cycles per image width (the input grid's Nyquist limit)`, bandwidth);
  }
  const slope = cfg.slope ?? 0.2;
  checkInRange(name, 'slope', slope, 0, 1, { closed: true });
  return { name, size, inputSize, blocks, channels, bandwidth, slope, r: toRng(cfg.seed) };
}

/** k frequencies uniform in the disc of radius b: radius b sqrt(u) has density proportional to the radius. */
function discFrequencies(k: number, b: number, r: ReturnType<typeof toRng>): [number, number][] {
  return Array.from({ length: k }, () => {
    const rad = b * Math.sqrt(r.uniform());
    const ang = 2 * Math.PI * r.uniform();
    return [rad * Math.cos(ang), rad * Math.sin(ang)] as [number, number];
  });
}

function transformRow(who: string, size: number, t: SynthesisTransform | undefined): [number, number, number, number] {
  checkKnownOptions(who, t, ['translate', 'rotate']);
  const [dx, dy] = t?.translate ?? [0, 0];
  if (t?.translate !== undefined && (!Array.isArray(t.translate) || t.translate.length !== 2)) {
    throw argumentError(who, 'translate', '[dx, dy] in output pixels', t.translate);
  }
  checkFinite(who, 'translate[0] (dx)', dx);
  checkFinite(who, 'translate[1] (dy)', dy);
  const angle = t?.rotate ?? 0;
  checkFinite(who, 'rotate', angle);
  // The features take the shift in image widths, one width being `size` output pixels.
  return [Math.cos(angle), Math.sin(angle), dx / size, dy / size];
}

/** Builds the path around its layers; the output scale is fixed from the untransformed render. */
function finish(c: Common, body: Net, frequencies: [number, number][]): SynthesisPath {
  let scale = 1;
  const scaled = lambdaNet(`${c.name}/scale`, (x) => tf.mul(x, tf.scalar(scale)));
  const net = sequential(c.name, [body, scaled], { inputShape: [4], outputShape: [c.size, c.size, 1] });
  const render = (t?: SynthesisTransform): tf.Tensor4D =>
    tf.tidy(() => net.apply(tf.tensor2d([transformRow(`${c.name}.render`, c.size, t)], [1, 4])) as tf.Tensor4D);
  const first = render();
  const peak = Math.max(...Array.from(first.dataSync(), Math.abs));
  first.dispose();
  if (!(peak > 0) || !Number.isFinite(peak)) throw new Error(`${c.name}: the untransformed image is ${peak === 0 ? 'zero' : 'not finite'}; try another seed`);
  scale = 1 / peak;
  return { name: c.name, size: c.size, frequencies, net, render, dispose: () => net.dispose!() };
}

/**
 * A StyleGAN2-like path: Fourier features at inputSize, then per block a 3x3 convolution
 * ('same' zero padding) with a pointwise leaky ReLU and a nearest-neighbour 2x upsampling,
 * a last 3x3 convolution with leaky ReLU at the output size, and a 1x1 convolution to one
 * channel. He-initialised, zero biases, untrained.
 */
export function styleGan2LikePath(cfg: SynthesisPathConfig = {}): SynthesisPath {
  const c = resolveCommon('styleGan2Like', cfg, []);
  const frequencies = discFrequencies(c.channels / 2, c.bandwidth, c.r.fork());
  const act = { name: 'leakyRelu' as const, slope: c.slope };
  const parts: Net[] = [fourierFeatures({ size: c.inputSize, channels: c.channels, bandwidth: c.bandwidth, frequencies, transform: true, name: `${c.name}/input` })];
  for (let b = 0; b <= c.blocks; b++) {
    const s = c.inputSize * 2 ** b;
    parts.push(conv2d({ inChannels: c.channels, filters: c.channels, kernelSize: 3, activation: act, init: 'he', inputSize: [s, s], name: `${c.name}/conv${b}`, index: b, seed: c.r.fork() }));
    if (b < c.blocks) parts.push(lambdaNet(`${c.name}/up${b}`, upsampleNearest2x));
  }
  parts.push(conv2d({ inChannels: c.channels, filters: 1, kernelSize: 1, init: 'glorot', name: `${c.name}/toImage`, index: c.blocks + 1, seed: c.r.fork() }));
  return finish(c, sequential(`${c.name}/body`, parts), frequencies);
}

function crop(name: string, m: number): Net {
  return lambdaNet(name, (x) => {
    const [n, h, w, ch] = x.shape;
    return m === 0 ? x : tf.slice(x, [0, m, m, 0], [n, h - 2 * m, w - 2 * m, ch]);
  });
}

/**
 * An alias-free path: Fourier features on an (inputSize + 2 margin) canvas, then per block a
 * 1x1 convolution, a filtered leaky ReLU and a 2x Kaiser-sinc upsampling (cropped back to
 * resolution + 2 margin), a last 1x1 convolution with filtered leaky ReLU at the output
 * resolution, a 1x1 convolution to one channel, and the margin cropped away.
 */
export function aliasFreePath(cfg: AliasFreePathConfig = {}): SynthesisPath {
  const c = resolveCommon('aliasFree', cfg, ['margin', 'activation', 'upFilter']);
  const margin = cfg.margin ?? 10;
  checkNonNegativeInt(c.name, 'margin', margin);
  if (cfg.activation !== undefined) {
    checkKnownOptions(`${c.name} (activation)`, cfg.activation, ['gain', 'upFilter', 'downFilter', 'cutoff', 'transitionWidth']);
  }
  const upFilter = cfg.upFilter ?? designLowpassFilter({ numTaps: 24, cutoff: 0.5, transitionWidth: 0.2, fs: 2 });
  const frequencies = discFrequencies(c.channels / 2, c.bandwidth, c.r.fork());
  const canvas = c.inputSize + 2 * margin;
  // samplingRate = inputSize: the unit is the central inputSize pixels, the margin lies outside it.
  const parts: Net[] = [fourierFeatures({ size: canvas, samplingRate: c.inputSize, channels: c.channels, bandwidth: c.bandwidth, frequencies, transform: true, name: `${c.name}/input` })];
  for (let b = 0; b <= c.blocks; b++) {
    parts.push(conv2d({ inChannels: c.channels, filters: c.channels, kernelSize: 1, init: 'he', name: `${c.name}/conv${b}`, index: b, seed: c.r.fork() }));
    parts.push(filteredLeakyReluLayer({ ...cfg.activation, slope: c.slope, name: `${c.name}/act${b}` }));
    if (b < c.blocks) {
      parts.push(upfirdn2dLayer({ filter: upFilter, up: 2, name: `${c.name}/up${b}` }));
      // 2 (r + 2m) pixels after upsampling; r' + 2m = 2r + 2m keeps the margin at m.
      parts.push(crop(`${c.name}/crop${b}`, margin));
    }
  }
  parts.push(conv2d({ inChannels: c.channels, filters: 1, kernelSize: 1, init: 'glorot', name: `${c.name}/toImage`, index: c.blocks + 1, seed: c.r.fork() }));
  parts.push(crop(`${c.name}/cropMargin`, margin));
  return finish(c, sequential(`${c.name}/body`, parts), frequencies);
}
