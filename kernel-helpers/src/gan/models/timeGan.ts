/**
 * TimeGAN's five networks (Yoon, Jarrett & van der Schaar 2019, "Time-series Generative
 * Adversarial Networks", sect. 4, and the official code's timegan.py), all stacked GRUs with a
 * per-step dense layer (the course's `gruGenerator`):
 *   embedder      e: X [T, features] -> H [T, hidden]          sigmoid
 *   recovery      r: H -> X~ [T, features]                     sigmoid (data scaled to [0, 1])
 *   generator     g: Z [T, latentDim] -> E^ [T, hidden]        sigmoid (a sequence in latent space)
 *   supervisor    s: H -> H, one step ahead                    sigmoid, one GRU layer fewer
 *   discriminator d: H -> a logit per step [T, 1]              linear
 * The adversarial game is played in the embedding space H; `sampleTimeGan` maps noise to data
 * as r(s(g(Z))).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkPositiveInt } from '../../core/args';
import { SeedLike, toRng } from '../../nn/init';
import type { Net } from '../../nn/net';
import { gruGenerator } from './sequenceNets';

export interface TimeGanConfig {
  /** Features per step of the data. */
  features: number;
  /** Sequence length (the official code's seq_len; shape checks). */
  length: number;
  /** GRU state size and embedding dimension (default 24, the official hidden_dim). */
  hidden?: number;
  /** GRU layers of e, r, g, d (default 3, the official num_layer); s has one fewer (at least 1). */
  layers?: number;
  /** Noise per step (default: `features`, as the official z_dim = dim). */
  latentDim?: number;
  /**
   * The GRUs' fused recurrence (nn/gru.ts `fused`; default true): TimeGAN's losses are all
   * first order, so it only changes the speed. Measured on wasm, one thread, per joint
   * iteration: 12 units, 2 layers, batch 32: 0.19 s fused against 0.99 s; the paper's 24
   * units, 3 layers, batch 128: 1.8 s against 3.0 s.
   */
  fused?: boolean;
  seed?: SeedLike;
}

export interface TimeGanNets {
  embedder: Net;
  recovery: Net;
  generator: Net;
  supervisor: Net;
  discriminator: Net;
  features: number;
  length: number;
  hidden: number;
  latentDim: number;
  /** Frees all five. */
  dispose(): void;
}

const OPTIONS = ['features', 'length', 'hidden', 'layers', 'latentDim', 'fused', 'seed'] as const;

export function timeGanNets(cfg: TimeGanConfig): TimeGanNets {
  const who = 'timeGanNets';
  checkKnownOptions(who, cfg, OPTIONS);
  const hidden = cfg.hidden ?? 24;
  const layers = cfg.layers ?? 3;
  const latentDim = cfg.latentDim ?? cfg.features;
  for (const [k, v] of Object.entries({ features: cfg.features, length: cfg.length, hidden, layers, latentDim })) checkPositiveInt(who, k, v);
  const r = toRng(cfg.seed);
  const T = cfg.length;
  const net = (name: string, inputSize: number, out: number, nLayers: number, act: 'sigmoid' | 'linear') =>
    gruGenerator({ name, latentDim: inputSize, features: out, hidden, layers: nLayers, timeSteps: T, outputActivation: act, fused: cfg.fused ?? true, seed: r.fork() });
  const nets = {
    embedder: net('embedder', cfg.features, hidden, layers, 'sigmoid'),
    recovery: net('recovery', hidden, cfg.features, layers, 'sigmoid'),
    generator: net('generator', latentDim, hidden, layers, 'sigmoid'),
    supervisor: net('supervisor', hidden, hidden, Math.max(1, layers - 1), 'sigmoid'),
    discriminator: net('discriminator', hidden, 1, layers, 'linear'),
  };
  return {
    ...nets,
    features: cfg.features,
    length: T,
    hidden,
    latentDim,
    dispose() {
      for (const n of Object.values(nets)) n.dispose!();
    },
  };
}

/** Uniform noise in [0, 1) (the official random_generator), [n, T, latentDim]; seeded when `seed` is given. */
export function timeGanNoise(nets: TimeGanNets, n: number, seed?: number): tf.Tensor {
  return tf.randomUniform([n, nets.length, nets.latentDim], 0, 1, 'float32', seed);
}

export interface SampleTimeGanOptions {
  /** Noise [n, T, latentDim] (default: uniform in [0, 1), from `seed`). */
  noise?: tf.Tensor;
  /** Seed of the default noise (default 0, so that two calls give the same samples; pass another for fresh ones). */
  seed?: number;
  /** Whether to pass g's output through the supervisor (default true; false for nets trained with `useSupervisor: false`). */
  useSupervisor?: boolean;
}

/** Synthetic sequences [n, T, features] in [0, 1]: r(s(g(Z))) (or r(g(Z)) without the supervisor). */
export function sampleTimeGan(nets: TimeGanNets, n: number, opts: SampleTimeGanOptions = {}): tf.Tensor {
  const who = 'sampleTimeGan';
  checkKnownOptions(who, opts, ['noise', 'useSupervisor', 'seed']);
  checkPositiveInt(who, 'n', n);
  const z = opts.noise;
  if (z && (z.rank !== 3 || z.shape[0] !== n || z.shape[1] !== nets.length || z.shape[2] !== nets.latentDim)) {
    throw new Error(`${who}: opts.noise must be [${n}, ${nets.length}, ${nets.latentDim}], got [${z.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const e = nets.generator.apply(z ?? timeGanNoise(nets, n, opts.seed ?? 0));
    return nets.recovery.apply(opts.useSupervisor === false ? e : nets.supervisor.apply(e));
  });
}
