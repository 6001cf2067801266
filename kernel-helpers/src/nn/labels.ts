/**
 * Class labels for conditional nets. A conditional net takes its labels through
 * `ApplyOptions.labels` (see net.ts) rather than as a second input, so that it stays a `Net`:
 * `sequential` passes the options to every part, and the training loop, EMA, clone and
 * summary need no second kind of network.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt } from '../core/args';
import type { ApplyOptions } from './net';

/**
 * `labels` as int32 [batch] indices, checked against the batch size when given. Float labels are cast
 * (they must hold whole numbers). The values are not read back from the device, so their
 * range [0, numClasses) is the caller's promise.
 */
export function labelIndices(who: string, name: string, labels: unknown, batch?: number): tf.Tensor1D {
  const t = labels as tf.Tensor;
  const want = `[${batch ?? 'batch'}]`;
  if (!t || typeof t !== 'object' || !Array.isArray(t.shape) || typeof t.dtype !== 'string') {
    throw new Error(`${who}: ${name} must be a tensor of class labels with shape ${want}, got ${labels === undefined ? 'undefined (a conditional net needs opts.labels)' : typeof labels}`);
  }
  if (t.isDisposed) throw new Error(`${who}: ${name} was disposed; pass a live tensor of labels`);
  if (t.rank !== 1 || (batch !== undefined && t.shape[0] !== batch)) {
    throw new Error(`${who}: ${name} must have shape ${want} (one label per example), got [${t.shape.join(', ')}]`);
  }
  if (t.dtype !== 'int32' && t.dtype !== 'float32') throw new Error(`${who}: ${name} must be int32 or float32, got ${t.dtype}`);
  return (t.dtype === 'int32' ? t : tf.cast(t, 'int32')) as tf.Tensor1D;
}

/** The labels a conditional net's `apply` was given, as int32 [batch] (throws when absent). */
export function labelsFromOptions(who: string, opts: ApplyOptions, batch: number): tf.Tensor1D {
  return labelIndices(who, 'opts.labels', opts.labels, batch);
}

/** One-hot float32 [batch, numClasses] (`tf.oneHot` alone gives int32, which floats cannot be concatenated with). */
export function oneHotLabels(labels: tf.Tensor, numClasses: number): tf.Tensor2D {
  checkPositiveInt('oneHotLabels', 'numClasses', numClasses);
  return tf.tidy(() => {
    const idx = labelIndices('oneHotLabels', 'labels', labels);
    return tf.cast(tf.oneHot(idx, numClasses), 'float32') as tf.Tensor2D;
  });
}
