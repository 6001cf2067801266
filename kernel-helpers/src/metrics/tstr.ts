/**
 * Train on synthetic, test on real (TSTR; Esteban, Hyland & Raetsch 2017, sect. 3.2): a
 * classifier trained only on a conditional generator's labelled samples is tested on real
 * labelled data. A generator whose samples carry the features a classifier needs, per class,
 * scores close to TRTR (train on real, test on real, the same call with real training data);
 * a generator that collapses or mixes up classes scores far below it. Its converse, TRTS,
 * tests a real-trained classifier on synthetic data and misses a collapsed generator, which
 * is why RCGAN argues for TSTR.
 *
 * Here the classifier is the course's digit CNN (`initDigitClassifier` /
 * `trainDigitClassifier`), freshly initialised for each call so that TSTR and TRTR differ
 * only in the training data. The same recipe works for sequences with any trainer: train,
 * then score on the real test set (the predictive score in `sequenceScores.ts` is TSTR for a
 * forecaster).
 */
import { argumentError, checkKnownOptions, checkNonNegativeInt, checkPositive, checkPositiveInt } from '../core/args';
import { DIGIT_CLASSIFIER_SIZE, initDigitClassifier, trainDigitClassifier } from './digits/digitClassifier';
import { checkLabels } from './featureRows';

export interface TstrAccuracyOptions {
  /** Training images (synthetic for TSTR, real for TRTR): n * 14 * 14 pixels in [-1, 1], one channel. */
  trainImages: Float32Array;
  /** Class 0-9 of each training image. */
  trainLabels: ArrayLike<number>;
  /** Real test images, m * 14 * 14 pixels in [-1, 1]. */
  testImages: Float32Array;
  testLabels: ArrayLike<number>;
  /** Passes over the training images (default 3). */
  epochs?: number;
  /** Images per Adam step (default 64). */
  batch?: number;
  /** Adam's learning rate (default 2e-3, the classifier's own default). */
  lr?: number;
  /** Seed of the initialisation and the batch order (default 0). */
  seed?: number;
}

export interface TstrAccuracy {
  /** Accuracy on the test images. */
  accuracy: number;
  /** Accuracy on the training images (how well the classifier fit what it was given). */
  trainAccuracy: number;
  /** Mean cross-entropy of the last epoch. */
  trainLoss: number;
}

const OPTIONS = ['trainImages', 'trainLabels', 'testImages', 'testLabels', 'epochs', 'batch', 'lr', 'seed'] as const;

function checkImages(who: string, name: string, images: Float32Array, n: number): void {
  const p = DIGIT_CLASSIFIER_SIZE * DIGIT_CLASSIFIER_SIZE;
  if (!(images instanceof Float32Array)) throw argumentError(who, name, 'a Float32Array of 14 x 14 pixels', typeof images);
  if (images.length !== n * p) throw new Error(`${who}: ${name} must hold one 14 x 14 image (${p} values) per label, ${n} * ${p} = ${n * p} values, got ${images.length}`);
}

/** Trains a fresh digit classifier on the training images and returns its accuracy on the test images. */
export async function tstrAccuracy(opts: TstrAccuracyOptions): Promise<TstrAccuracy> {
  const who = 'tstrAccuracy';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object', opts);
  checkKnownOptions(who, opts, OPTIONS);
  const { trainImages, trainLabels, testImages, testLabels, epochs = 3, batch = 64, lr = 2e-3, seed = 0 } = opts;
  if (trainLabels == null || typeof trainLabels.length !== 'number' || trainLabels.length === 0) throw argumentError(who, 'trainLabels', 'a non-empty array of labels', trainLabels);
  if (testLabels == null || typeof testLabels.length !== 'number' || testLabels.length === 0) throw argumentError(who, 'testLabels', 'a non-empty array of labels', testLabels);
  checkLabels(who, 'trainLabels', trainLabels, trainLabels.length, 10);
  checkLabels(who, 'testLabels', testLabels, testLabels.length, 10);
  checkImages(who, 'trainImages', trainImages, trainLabels.length);
  checkImages(who, 'testImages', testImages, testLabels.length);
  checkNonNegativeInt(who, 'epochs', epochs);
  checkPositiveInt(who, 'batch', batch);
  checkPositive(who, 'lr', lr);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argumentError(who, 'seed', 'a finite number', seed);
  const clf = initDigitClassifier(seed);
  try {
    const trainLoss = await trainDigitClassifier(clf, trainImages, trainLabels, { epochs, batch: Math.min(batch, trainLabels.length), lr, seed });
    return { accuracy: await clf.accuracy(testImages, testLabels), trainAccuracy: await clf.accuracy(trainImages, trainLabels), trainLoss };
  } finally {
    clf.dispose();
  }
}
