/**
 * A perceptual loss for digits: the distance between two images measured in the feature space
 * of the course's digit classifier, the role VGG-19 plays for photographs (Johnson, Alahi &
 * Fei-Fei 2016, "Perceptual Losses for Real-Time Style Transfer and Super-Resolution"; Ledig
 * et al. 2017, SRGAN, sect. 2.2). ESRGAN (Wang et al. 2018, sect. 3.3) takes the features
 * BEFORE the activation and an L1 distance: after a ReLU the deep features are sparse (most
 * are zero, so most carry no gradient) and a feature that is negative for one image and more
 * negative for the other looks identical, which gives weak supervision and inconsistent
 * brightness in the reconstruction. `preActivation: true` reproduces that choice.
 *
 * Layers of the classifier (see digitClassifier.ts), as flat features [n, F]:
 *   'conv2'   the second conv at 7x7x32 (F = 1568), the deepest spatial layer: where a stroke is
 *   'dense1'  the 64 penultimate units (F = 64), the classifier's own feature space: what digit
 *
 * The extractor holds a frozen copy of the classifier's weights as plain tensors, not variables:
 * `optimizer.minimize(f)` without a variable list differentiates every trainable variable, and
 * would otherwise train the classifier along with the generator. Its convolutions are the
 * classifier's im2col ones (`conv3x3Same`), whose gradients every backend has. Inputs of side 28
 * are average-pooled 2x2 to the classifier's 14x14 in tf (as `toClassifierSize` does on host
 * arrays), so the gradient reaches the full-resolution image.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkOneOf } from '../../core/args';
import { downsampleMean2x } from '../../nn/reshapeLayers';
import { conv3x3Same, DIGIT_CLASSIFIER_SIZE, DIGIT_FEATURE_DIM, DigitClassifier } from './digitClassifier';

export type ClassifierFeatureLayer = 'conv2' | 'dense1';
export const CLASSIFIER_FEATURE_LAYERS: readonly ClassifierFeatureLayer[] = ['conv2', 'dense1'];

export interface ClassifierFeatureOptions {
  /** Which layer (default 'conv2'). */
  layer?: ClassifierFeatureLayer;
  /** Features before the layer's ReLU (default true, ESRGAN's choice). */
  preActivation?: boolean;
}

/**
 * Differentiable features of [n, 14, 14, 1] or [n, 28, 28, 1] images in [-1, 1]: [n, dim].
 * Call `dispose()` to free the frozen weights.
 */
export interface ClassifierFeatureExtractor {
  (x: tf.Tensor4D): tf.Tensor2D;
  readonly layer: ClassifierFeatureLayer;
  readonly preActivation: boolean;
  /** Features per image: 1568 for 'conv2', 64 for 'dense1'. */
  readonly dim: number;
  dispose(): void;
}

const CONV2_SIDE = 7;
const CONV2_CHANNELS = 32;

export function classifierFeatureExtractor(clf: DigitClassifier, opts: ClassifierFeatureOptions = {}): ClassifierFeatureExtractor {
  const who = 'classifierFeatureExtractor';
  checkKnownOptions(who, opts, ['layer', 'preActivation']);
  const layer = opts.layer ?? 'conv2';
  checkOneOf(who, 'layer', layer, CLASSIFIER_FEATURE_LAYERS);
  const pre = opts.preActivation ?? true;
  if (typeof pre !== 'boolean') throw new Error(`${who}: preActivation must be a boolean, got ${String(pre)}`);
  const w = {
    c1w: tf.clone(clf.vars.c1w), c1b: tf.clone(clf.vars.c1b),
    c2w: tf.clone(clf.vars.c2w), c2b: tf.clone(clf.vars.c2b),
    d1w: tf.clone(clf.vars.d1w) as tf.Tensor2D, d1b: tf.clone(clf.vars.d1b),
  };
  const dim = layer === 'conv2' ? CONV2_SIDE * CONV2_SIDE * CONV2_CHANNELS : DIGIT_FEATURE_DIM;
  let disposed = false;

  const extract = (x: tf.Tensor4D): tf.Tensor2D => {
    if (disposed) throw new Error(`${who}: the extractor has been disposed`);
    const side = x.shape[1];
    if (x.rank !== 4 || x.shape[3] !== 1 || x.shape[2] !== side || (side !== DIGIT_CLASSIFIER_SIZE && side !== 2 * DIGIT_CLASSIFIER_SIZE)) {
      throw new Error(`${who}: input must have shape [batch, 14, 14, 1] or [batch, 28, 28, 1], got [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const n = x.shape[0];
      const x14 = (side === DIGIT_CLASSIFIER_SIZE ? x : downsampleMean2x(x)) as tf.Tensor4D;
      const h1 = downsampleMean2x(tf.relu(tf.add(conv3x3Same(x14, w.c1w), w.c1b))) as tf.Tensor4D;
      const c2 = tf.add(conv3x3Same(h1, w.c2w), w.c2b) as tf.Tensor4D;
      if (layer === 'conv2') return tf.reshape(pre ? c2 : tf.relu(c2), [n, dim]) as tf.Tensor2D;
      // The padded row and column are zero after the ReLU, as in DigitClassifier.features.
      const pooled = downsampleMean2x(tf.pad(tf.relu(c2), [[0, 0], [0, 1], [0, 1], [0, 0]]));
      const d1 = tf.add(tf.matMul(tf.reshape(pooled, [n, 512]), w.d1w), w.d1b) as tf.Tensor2D;
      return pre ? d1 : (tf.relu(d1) as tf.Tensor2D);
    });
  };
  return Object.assign(extract, {
    layer,
    preActivation: pre,
    dim,
    dispose() {
      if (!disposed) tf.dispose(Object.values(w));
      disposed = true;
    },
  });
}

/** Mean absolute difference of the features of `a` and `b` (same shape), a scalar. */
export function perceptualLoss(extract: (x: tf.Tensor4D) => tf.Tensor2D, a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new Error(`perceptualLoss: a and b must have the same shape, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  }
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(extract(a), extract(b)))) as tf.Scalar);
}
