/**
 * Fourier-feature input layer, after StyleGAN3's synthesis input (Karras et al. 2021,
 * "Alias-Free Generative Adversarial Networks", sect. 3.1 and app. F; Tancik et al. 2020,
 * "Fourier Features Let Networks Learn High Frequency Functions in Low Dimensional Domains").
 *
 * Instead of a learned constant 4x4 tensor, the generator starts from sin and cos of
 * frequencies f_k evaluated on the pixel grid. That signal is defined in CONTINUOUS coordinates,
 * so translating or rotating it is exact (no resampling), and it is band-limited: every
 * |f_k| <= bandwidth <= samplingRate / 2, so it is sampled without aliasing. StyleGAN3 feeds the
 * transform (rotation, translation) from the latent; here it is the layer's input.
 *
 * Coordinates: pixel (row i, column j) of an H x W grid sits at
 *   x = (j + 0.5 - W/2) / samplingRate,  y = (i + 0.5 - H/2) / samplingRate
 * (the image is centred on the origin, y pointing down the rows). Frequencies are in cycles
 * per unit of these coordinates.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkKnownOptions, checkPositive, checkPositiveInt } from '../core/args';
import { toRng, SeedLike } from './init';
import { leafNet, Net } from './net';

export interface FourierFeaturesConfig {
  /** Output height and width (a number for a square). */
  size: number | readonly [number, number];
  /** Output channels: sin and cos of channels/2 frequencies, so an even number. */
  channels: number;
  /** Largest frequency magnitude, in (0, samplingRate/2]. */
  bandwidth: number;
  /** Pixels per unit of the coordinates (default: the width, so the image is one unit wide). */
  samplingRate?: number;
  /** Explicit frequencies [channels/2][2] as (fx, fy); default: drawn uniformly in the disc of radius `bandwidth`. */
  frequencies?: readonly (readonly [number, number])[];
  /** Train the frequencies (default false). They stay inside the bandwidth disc by construction. */
  learnFrequencies?: boolean;
  /**
   * If true the input is [batch, 4] rows (cos t, sin t, tx, ty): the features are rotated by the
   * angle t and translated by (tx, ty) (coordinates units). (cos t, sin t) is normalised, as in
   * StyleGAN3, so any non-zero pair gives a pure rotation. If false (default) the input is any
   * tensor [batch, ...] (a latent, say), read only for its batch size.
   */
  transform?: boolean;
  name?: string;
  seed?: SeedLike;
}

const FOURIER_OPTIONS = ['size', 'channels', 'bandwidth', 'samplingRate', 'frequencies', 'learnFrequencies', 'transform', 'name', 'seed'] as const;

export interface FourierFeaturesNet extends Net {
  /**
   * The current frequencies [channels/2][2] as (fx, fy), within the bandwidth. Asynchronous:
   * learned frequencies are read with `await t.data()` (webgpu cannot read synchronously).
   */
  frequencies(): Promise<[number, number][]>;
  /** The pixel coordinates the features are evaluated at (see the module comment). */
  readonly grid: { readonly x: Float32Array; readonly y: Float32Array };
}

/** Keeps a learned frequency strictly inside the disc: f = B u / sqrt(1 + |u|^2) maps the plane onto |f| < B. */
const BOUNDARY = 0.999;

function gridAxis(n: number, samplingRate: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i + 0.5 - n / 2) / samplingRate);
}

export function fourierFeatures(cfg: FourierFeaturesConfig): FourierFeaturesNet {
  const name = cfg.name ?? 'fourierFeatures';
  checkKnownOptions(name, cfg, FOURIER_OPTIONS);
  const size = typeof cfg.size === 'number' ? [cfg.size, cfg.size] : cfg.size;
  if (!Array.isArray(size) || size.length !== 2) throw argumentError(name, 'size', 'a positive integer or [height, width]', cfg.size);
  const [h, w] = size;
  checkPositiveInt(name, 'size[0] (height)', h);
  checkPositiveInt(name, 'size[1] (width)', w);
  checkPositiveInt(name, 'channels', cfg.channels);
  if (cfg.channels % 2 !== 0) throw argumentError(name, 'channels', 'even (a sin and a cos per frequency)', cfg.channels);
  const k = cfg.channels / 2;
  const sr = cfg.samplingRate ?? w;
  checkPositive(name, 'samplingRate', sr);
  const bw = cfg.bandwidth;
  if (typeof bw !== 'number' || !Number.isFinite(bw) || bw <= 0 || bw > sr / 2) {
    throw argumentError(name, 'bandwidth', `in (0, samplingRate/2] = (0, ${sr / 2}]`, bw);
  }
  const freqs = initialFrequencies(name, cfg, k, bw);
  const learn = cfg.learnFrequencies ?? false;
  const transform = cfg.transform ?? false;
  const grid = { x: gridAxis(w, sr), y: gridAxis(h, sr) };

  // Learned: store u with f = B u / sqrt(1 + |u|^2); fixed: store f itself.
  const stored = learn
    ? freqs.map(([fx, fy]) => {
        const r = Math.min(Math.hypot(fx, fy) / bw, BOUNDARY);
        const s = r === 0 ? 0 : r / Math.sqrt(1 - r * r) / (Math.hypot(fx, fy) / bw);
        return [(fx / bw) * s, (fy / bw) * s];
      })
    : freqs;
  const makeVar = () => {
    const t = tf.tensor2d(stored.flat(), [k, 2]);
    const v = tf.variable(t, true);
    t.dispose();
    return v;
  };
  const fixed = learn ? undefined : tf.keep(tf.tensor2d(freqs.flat(), [k, 2]));
  const variables = learn ? [makeVar()] : [];

  const frequencyTensor = (vars: readonly tf.Variable[]): tf.Tensor2D =>
    learn
      ? (tf.mul(tf.scalar(bw), tf.div(vars[0], tf.sqrt(tf.add(tf.scalar(1), tf.sum(tf.square(vars[0]), 1, true))))) as tf.Tensor2D)
      : fixed!;

  const base = leafNet({
    name,
    variables,
    inputShape: transform ? [4] : undefined,
    outputShape: [h, w, cfg.channels],
    forward(vars, x) {
      if (x.rank < 1) throw argumentError(name, 'input', 'a tensor with a batch axis', x.shape);
      return tf.tidy(() => {
        const n = x.shape[0];
        const f = frequencyTensor(vars); // [k, 2]
        let fx: tf.Tensor; // [n | 1, k]
        let fy: tf.Tensor;
        let offset: tf.Tensor | undefined; // [n, k]: f' . t
        const f0 = tf.reshape(tf.slice(f, [0, 0], [k, 1]), [1, k]);
        const f1 = tf.reshape(tf.slice(f, [0, 1], [k, 1]), [1, k]);
        if (transform) {
          if (x.rank !== 2 || x.shape[1] !== 4) throw argumentError(name, 'input', 'a [batch, 4] tensor of (cos t, sin t, tx, ty)', x.shape);
          const col = (j: number) => tf.slice(x, [0, j], [n, 1]); // [n, 1]
          const norm = tf.sqrt(tf.add(tf.add(tf.square(col(0)), tf.square(col(1))), tf.scalar(1e-12)));
          const c = tf.div(col(0), norm);
          const s = tf.div(col(1), norm);
          // Rotating the content by R maps f to R f, since f . R^-1 p = (R f) . p.
          fx = tf.sub(tf.mul(c, f0), tf.mul(s, f1));
          fy = tf.add(tf.mul(s, f0), tf.mul(c, f1));
          offset = tf.add(tf.mul(fx, col(2)), tf.mul(fy, col(3)));
        } else {
          fx = f0;
          fy = f1;
        }
        const m = fx.shape[0];
        const xs = tf.tensor4d(grid.x, [1, 1, w, 1]);
        const ys = tf.tensor4d(grid.y, [1, h, 1, 1]);
        let phase = tf.add(tf.mul(tf.reshape(fx, [m, 1, 1, k]), xs), tf.mul(tf.reshape(fy, [m, 1, 1, k]), ys));
        if (offset) phase = tf.sub(phase, tf.reshape(offset, [m, 1, 1, k]));
        phase = tf.mul(tf.scalar(2 * Math.PI), phase);
        const feats = tf.concat([tf.sin(phase), tf.cos(phase)], 3);
        return m === n ? feats : tf.broadcastTo(feats, [n, h, w, cfg.channels]);
      });
    },
  });
  const currentFrequencies = async (): Promise<[number, number][]> => {
    // Fixed: the values of the float32 tensor the features use, known without a read.
    if (!learn) return freqs.map(([fx, fy]) => [Math.fround(fx), Math.fround(fy)] as [number, number]);
    const t = tf.tidy(() => frequencyTensor(variables));
    const v = Array.from(await t.data());
    t.dispose();
    return Array.from({ length: k }, (_, i) => [v[2 * i], v[2 * i + 1]] as [number, number]);
  };
  return {
    ...base,
    frequencies: currentFrequencies,
    grid,
    clone(newName?: string) {
      // Built from the initial frequencies (no read): fixed ones never change, and learned
      // ones are then overwritten by copying the stored parameters themselves (re-deriving
      // them from f would round).
      const copy = fourierFeatures({ ...cfg, name: newName ?? name, frequencies: freqs });
      copy.variables.forEach((v, i) => v.assign(variables[i]));
      return copy;
    },
    dispose() {
      base.dispose!();
      fixed?.dispose();
    },
  };
}

function initialFrequencies(name: string, cfg: FourierFeaturesConfig, k: number, bw: number): [number, number][] {
  if (cfg.frequencies !== undefined) {
    const f = cfg.frequencies;
    const ok = Array.isArray(f) && f.length === k && f.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isFinite(v)));
    if (!ok) throw argumentError(name, 'frequencies', `${k} pairs [fx, fy] of finite numbers (channels/2)`, f);
    const bad = f.findIndex(([fx, fy]) => Math.hypot(fx, fy) > bw * (1 + 1e-6));
    if (bad >= 0) throw argumentError(name, `frequencies[${bad}]`, `within the bandwidth (|f| <= ${bw})`, f[bad]);
    return f.map(([fx, fy]) => [fx, fy]);
  }
  // Uniform in the disc: radius B sqrt(u) has density proportional to the radius.
  const r = toRng(cfg.seed);
  return Array.from({ length: k }, () => {
    const rad = bw * Math.sqrt(r.uniform());
    const ang = 2 * Math.PI * r.uniform();
    return [rad * Math.cos(ang), rad * Math.sin(ang)];
  });
}
