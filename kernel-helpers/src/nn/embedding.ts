/**
 * Embedding: class labels [batch] -> rows of a learned table [inputDim, outputDim], i.e.
 * [batch, outputDim]. Its input IS the labels (int32, or whole-number float32), so inside a
 * conditional net it is applied to `opts.labels` (see concatLabels and projectionHead).
 * The forward is `tf.gather`, whose gradient (`UnsortedSegmentSum`) the course's wasm
 * kernels provide; gather is linear in the table, so penalties differentiate through it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkPositiveInt } from '../core/args';
import { initVariable, toRng } from './init';
import { labelIndices } from './labels';
import { leafNet, Net } from './net';
import type { WeightLayerOptions } from './layerOptions';

/** tfjs-layers' names: `inputDim` classes, `outputDim` entries per class. */
export interface EmbeddingConfig extends WeightLayerOptions {
  /** Number of classes (rows of the table). */
  inputDim: number;
  /** Length of each class's vector. */
  outputDim: number;
}

const EMBEDDING_OPTIONS = ['inputDim', 'outputDim', 'init', 'weightTransform', 'name', 'index', 'seed'] as const;

/** `weightTransform` (e.g. spectral normalisation, as SNGAN's projection discriminator does) sees the table [inputDim, outputDim]. */
export function embedding(config: EmbeddingConfig): Net {
  const cfg = config ?? ({} as EmbeddingConfig);
  const who = cfg.name ? `embedding ${cfg.name}` : 'embedding';
  checkKnownOptions(who, cfg, EMBEDDING_OPTIONS);
  checkPositiveInt(who, 'inputDim', cfg.inputDim);
  checkPositiveInt(who, 'outputDim', cfg.outputDim);
  const name = cfg.name ?? 'embedding';
  const table = initVariable([cfg.inputDim, cfg.outputDim], cfg.inputDim, cfg.outputDim, cfg.init ?? 'glorot', toRng(cfg.seed));
  const info = { name, index: cfg.index ?? 0 };
  const transform = cfg.weightTransform;
  return leafNet({
    name,
    variables: [table],
    inputShape: [],
    outputShape: [cfg.outputDim],
    forward(v, labels) {
      return tf.tidy(() => {
        const idx = labelIndices(who, 'labels (the input)', labels, labels.shape[0]);
        return tf.gather(transform ? transform(v[0], info) : v[0], idx);
      });
    },
  });
}
