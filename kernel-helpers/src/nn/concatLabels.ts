/**
 * Conditioning by concatenation (Mirza & Osindero 2014): appends a label vector to every
 * position of x along its last axis, [batch, ..., C] -> [batch, ..., C + k]. The vector is
 * the one-hot code of the label (k = numClasses) or a learned one from an `embedding` net
 * (k = its outputDim), broadcast over the positions of an image by a product with ones, so
 * the layer stays twice differentiable. The labels come from `opts.labels`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkPositiveInt, checkShape } from '../core/args';
import { labelsFromOptions, oneHotLabels } from './labels';
import { composeNet, leafNet, ApplyOptions, Net } from './net';

export interface ConcatLabelsConfig {
  /** One-hot codes of this many classes. Give this or `embedding`. */
  numClasses?: number;
  /** A label net [batch] -> [batch, k] with a known outputShape (e.g. `embedding(...)`); it becomes a part, trained with the net. */
  embedding?: Net;
  /** Per-example input shape if known; the output's last entry grows by k. */
  inputShape?: readonly number[];
  name?: string;
}

const CONCAT_LABELS_OPTIONS = ['numClasses', 'embedding', 'inputShape', 'name'] as const;

/** [batch, ..., C] and label vectors [batch, k] -> [batch, ..., C + k]. */
function appendToEveryPosition(x: tf.Tensor, codes: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [B, k] = codes.shape;
    const inner = x.shape.slice(1, -1);
    if (inner.length === 0) return tf.concat([x, codes], 1);
    const spread = tf.mul(tf.reshape(codes, [B, ...inner.map(() => 1), k]), tf.ones([1, ...inner, 1]));
    return tf.concat([x, spread], x.rank - 1);
  });
}

export function concatLabels(config: ConcatLabelsConfig): Net {
  const cfg = config ?? ({} as ConcatLabelsConfig);
  const who = cfg.name ? `concatLabels ${cfg.name}` : 'concatLabels';
  checkKnownOptions(who, cfg, CONCAT_LABELS_OPTIONS);
  const name = cfg.name ?? 'concatLabels';
  if ((cfg.numClasses === undefined) === (cfg.embedding === undefined)) {
    throw new Error(`${who}: give exactly one of numClasses (one-hot codes) and embedding (learned codes)`);
  }
  let k: number;
  if (cfg.embedding !== undefined) {
    const e = cfg.embedding;
    if (!e || typeof e.apply !== 'function') throw new Error(`${who}: embedding must be a Net (e.g. embedding({ inputDim, outputDim })), got ${typeof e}`);
    const out = e.outputShape;
    if (!out || out.length !== 1 || !(out[0] > 0)) {
      throw new Error(`${who}: embedding must declare outputShape [k] (a vector per label), got ${out ? `[${out.join(', ')}]` : 'none'}`);
    }
    k = out[0];
  } else {
    checkPositiveInt(who, 'numClasses', cfg.numClasses!);
    k = cfg.numClasses!;
  }
  const inputShape = cfg.inputShape;
  if (inputShape !== undefined) checkShape(who, 'inputShape', inputShape);
  const outputShape = inputShape ? [...inputShape.slice(0, -1), inputShape[inputShape.length - 1] + k] : undefined;
  const check = (x: tf.Tensor) => {
    if (x.rank < 2) throw new Error(`${who}: input must have shape [batch, ..., channels], got [${x.shape.join(', ')}]`);
  };
  if (cfg.embedding !== undefined) {
    return composeNet({
      name,
      parts: [cfg.embedding] as const,
      inputShape,
      outputShape,
      forward([e], x, opts: ApplyOptions) {
        check(x);
        return tf.tidy(() => appendToEveryPosition(x, e.apply(labelsFromOptions(who, opts, x.shape[0]), opts)));
      },
    });
  }
  return leafNet({
    name,
    variables: [],
    inputShape,
    outputShape,
    forward(_v, x, opts) {
      check(x);
      return tf.tidy(() => appendToEveryPosition(x, oneHotLabels(labelsFromOptions(who, opts, x.shape[0]), k)));
    },
  });
}
