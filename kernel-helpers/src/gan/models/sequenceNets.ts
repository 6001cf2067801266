/**
 * Recurrent generator and discriminator for time series (in the spirit of C-RNN-GAN and
 * RCGAN, with GRUs as in TimeGAN):
 *   G: noise [batch, T, latentDim] -> stacked GRUs -> per-step dense -> [batch, T, features]
 *   D: [batch, T, features] -> stacked GRUs -> last state -> dense -> [batch, 1] logits
 */
import * as tf from '@tensorflow/tfjs-core';
import { Activation } from '../../nn/activations';
import { dense } from '../../nn/dense';
import { gru } from '../../nn/gru';
import { SeedLike, toRng } from '../../nn/init';
import { checkPositiveInt } from '../../core/args';
import { composeNet, Net, WeightTransform } from '../../nn/net';
import { Rng } from '../../core/random';

export interface SequenceNetConfig {
  /** GRU state size (default 32). */
  hidden?: number;
  /** Stacked GRU layers (default 1). */
  layers?: number;
  /** Sequence length if fixed (shape checks). */
  timeSteps?: number;
  weightTransform?: WeightTransform;
  /** The GRUs' fused recurrence (nn/gru.ts `fused`): much faster, first order only (no R1/GP through it). Default false. */
  fused?: boolean;
  name?: string;
  seed?: SeedLike;
}

export interface GruGeneratorConfig extends SequenceNetConfig {
  /** Noise dimension per time step (default 4). */
  latentDim?: number;
  /** Output features per time step (default 1). */
  features?: number;
  /** Default linear. */
  outputActivation?: Activation;
}

export interface GruDiscriminatorConfig extends SequenceNetConfig {
  /** Input features per time step (default 1). */
  features?: number;
}

function gruStack(where: string, inputSize: number, cfg: SequenceNetConfig, r: Rng, lastReturnsSequence: boolean): Net[] {
  const hidden = cfg.hidden ?? 32;
  const layers = cfg.layers ?? 1;
  checkPositiveInt(where, 'hidden', hidden);
  checkPositiveInt(where, 'layers', layers);
  return Array.from({ length: layers }, (_, i) =>
    gru({
      inputSize: i === 0 ? inputSize : hidden,
      hidden,
      returnSequences: i + 1 < layers || lastReturnsSequence,
      timeSteps: cfg.timeSteps,
      weightTransform: cfg.weightTransform,
      fused: cfg.fused,
      name: `${where}/gru${i}`,
      index: 2 * i,
      seed: r.fork(),
    }),
  );
}

export function gruGenerator(cfg: GruGeneratorConfig = {}): Net {
  const name = cfg.name ?? 'G';
  const latentDim = cfg.latentDim ?? 4;
  const features = cfg.features ?? 1;
  checkPositiveInt(name, 'latentDim', latentDim);
  checkPositiveInt(name, 'features', features);
  const r = toRng(cfg.seed);
  const grus = gruStack(name, latentDim, cfg, r, true);
  const hidden = cfg.hidden ?? 32;
  const head = dense({ inUnits: hidden, units: features, activation: cfg.outputActivation ?? 'linear', weightTransform: cfg.weightTransform, name: `${name}/out`, index: 2 * grus.length, seed: r.fork() });
  const T = cfg.timeSteps ?? -1;
  return composeNet({
    name,
    parts: [...grus, head],
    inputShape: [T, latentDim],
    outputShape: [T, features],
    forward(parts, x, opts) {
      return tf.tidy(() => {
        let h = x;
        for (let i = 0; i + 1 < parts.length; i++) h = parts[i].apply(h, opts);
        const [B, steps, H] = h.shape;
        const y = parts[parts.length - 1].apply(tf.reshape(h, [B * steps, H]), opts);
        return tf.reshape(y, [B, steps, features]);
      });
    },
  });
}

export function gruDiscriminator(cfg: GruDiscriminatorConfig = {}): Net {
  const name = cfg.name ?? 'D';
  const features = cfg.features ?? 1;
  checkPositiveInt(name, 'features', features);
  const r = toRng(cfg.seed);
  const grus = gruStack(name, features, cfg, r, false);
  const hidden = cfg.hidden ?? 32;
  const head = dense({ inUnits: hidden, units: 1, weightTransform: cfg.weightTransform, name: `${name}/logit`, index: 2 * grus.length, seed: r.fork() });
  return composeNet({
    name,
    parts: [...grus, head],
    inputShape: [cfg.timeSteps ?? -1, features],
    outputShape: [1],
    forward(parts, x, opts) {
      return tf.tidy(() => {
        let h = x;
        for (const p of parts) h = p.apply(h, opts);
        return h;
      });
    },
  });
}
