/**
 * The projection discriminator's head (Miyato & Koyama 2018): on features h = phi(x) of
 * shape [batch, features] and labels y (from `opts.labels`),
 *   logit = psi(h) + <embed(y), h>,   psi a dense layer to one unit, embed a table [classes, features].
 * The inner product is the log-ratio term of a conditional density model; it replaces
 * concatenating y to the input. Put it after a feature extractor:
 * `sequential('D', [phi, projectionHead({ features, numClasses })])`, then
 * `D.apply(x, { training: true, labels })`. Gradients through the head are products and a
 * gather, so R1 and the gradient penalty differentiate through it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkPositiveInt } from '../core/args';
import { dense } from './dense';
import { embedding } from './embedding';
import { labelsFromOptions } from './labels';
import { composeNet, Net } from './net';
import type { WeightLayerOptions } from './layerOptions';

/**
 * `weightTransform` applies to psi's kernel [features, 1] (layer `index`) and to the
 * embedding table [numClasses, features] (`index + 1`), as SNGAN normalises both.
 */
export interface ProjectionHeadConfig extends WeightLayerOptions {
  /** Length of the feature vector phi(x). */
  features: number;
  numClasses: number;
  /** Bias of psi (default true). */
  useBias?: boolean;
}

const PROJECTION_HEAD_OPTIONS = ['features', 'numClasses', 'useBias', 'init', 'weightTransform', 'name', 'index', 'seed'] as const;

export function projectionHead(config: ProjectionHeadConfig): Net {
  const cfg = config ?? ({} as ProjectionHeadConfig);
  const who = cfg.name ? `projectionHead ${cfg.name}` : 'projectionHead';
  checkKnownOptions(who, cfg, PROJECTION_HEAD_OPTIONS);
  checkPositiveInt(who, 'features', cfg.features);
  checkPositiveInt(who, 'numClasses', cfg.numClasses);
  const name = cfg.name ?? 'projectionHead';
  const index = cfg.index ?? 0;
  const psi = dense({
    inUnits: cfg.features,
    units: 1,
    useBias: cfg.useBias ?? true,
    init: cfg.init,
    weightTransform: cfg.weightTransform,
    name: `${name}/psi`,
    index,
    seed: cfg.seed,
  });
  const embed = embedding({
    inputDim: cfg.numClasses,
    outputDim: cfg.features,
    init: cfg.init,
    weightTransform: cfg.weightTransform,
    name: `${name}/embed`,
    index: index + 1,
    // A numeric seed gives the table a stream of its own; an Rng is shared (drawn after psi's kernel).
    seed: typeof cfg.seed === 'number' ? cfg.seed + 1 : cfg.seed,
  });
  return composeNet({
    name,
    parts: [psi, embed] as const,
    inputShape: [cfg.features],
    outputShape: [1],
    forward([p, e], h, opts) {
      return tf.tidy(() => {
        const y = labelsFromOptions(who, opts, h.shape[0]);
        return tf.add(p.apply(h, opts), tf.sum(tf.mul(e.apply(y, opts), h), 1, true));
      });
    },
  });
}
