/**
 * Segmentation scores: how well a predicted class map agrees with the true one, pixel by
 * pixel. SPADE (Park et al. 2019, sect. 4) judges a semantic image generator this way: a
 * segmentation network reads the generated images, and the better its prediction matches the
 * mask the images were generated from, the more faithfully the generator followed the mask.
 *
 *   confusion[t][p]  = number of pixels of true class t predicted as p
 *   IoU_k            = TP_k / (TP_k + FP_k + FN_k)   (intersection over union of class k)
 *   mean IoU         = mean of IoU_k over the classes present in the prediction or the truth
 *   pixel accuracy   = share of pixels whose predicted class is the true one
 *
 * A class absent from both maps has no IoU (0 / 0): it is left out of the mean, as in the
 * usual benchmark code, rather than counted as 0 (which would punish a model for the classes
 * a test set happens not to contain) or as 1 (which would reward it).
 */
import { argumentError, checkPositiveInt } from '../core/args';

/** Integer class labels, one per pixel. */
export type LabelArray = Int32Array | readonly number[];

export interface SegmentationScores {
  /** Mean of `perClassIoU` over the classes that occur in the prediction or the truth. */
  meanIoU: number;
  pixelAccuracy: number;
  /** IoU of each class, NaN for a class absent from both maps. */
  perClassIoU: number[];
}

function checkLabels(who: string, name: string, labels: LabelArray, classes: number): void {
  if (!(labels instanceof Int32Array) && !Array.isArray(labels)) throw argumentError(who, name, 'an Int32Array or an array of integer labels', typeof labels);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i];
    if (!Number.isInteger(k) || k < 0 || k >= classes) {
      throw new Error(`${who}: ${name} must hold integer labels in [0, ${classes}), got ${k} at index ${i}`);
    }
  }
}

function checkPair(who: string, predicted: LabelArray, truth: LabelArray): void {
  const lp = predicted?.length;
  const lt = truth?.length;
  if (typeof lp === 'number' && typeof lt === 'number' && lp !== lt) {
    throw new Error(`${who}: predicted and truth must have the same length, got ${lp} and ${lt}`);
  }
}

/** The confusion matrix, `who` naming the public function in errors. */
function confusion(who: string, predicted: LabelArray, truth: LabelArray, classes: number): number[][] {
  checkPositiveInt(who, 'classes', classes);
  checkPair(who, predicted, truth);
  checkLabels(who, 'predicted', predicted, classes);
  checkLabels(who, 'truth', truth, classes);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) m[truth[i]][predicted[i]]++;
  return m;
}

/** confusion[t][p]: pixels of true class t predicted as class p. */
export function confusionMatrix(predicted: LabelArray, truth: LabelArray, classes: number): number[][] {
  return confusion('confusionMatrix', predicted, truth, classes);
}

/** IoU per class from a confusion matrix (NaN where the class is absent from both maps). */
function iouFromConfusion(m: number[][]): number[] {
  return m.map((row, k) => {
    const tp = row[k];
    const fn = row.reduce((a, b) => a + b, 0) - tp;
    let fp = 0;
    for (let t = 0; t < m.length; t++) if (t !== k) fp += m[t][k];
    const union = tp + fp + fn;
    return union === 0 ? NaN : tp / union;
  });
}

function meanDefined(xs: number[]): number {
  const defined = xs.filter((x) => !Number.isNaN(x));
  return defined.length === 0 ? NaN : defined.reduce((a, b) => a + b, 0) / defined.length;
}

/**
 * Mean intersection over union over the classes that occur in the prediction or the truth
 * (see the file comment); NaN for empty inputs.
 */
export function meanIoU(predicted: LabelArray, truth: LabelArray, classes: number): number {
  return meanDefined(iouFromConfusion(confusion('meanIoU', predicted, truth, classes)));
}

/** Share of positions where predicted equals truth; NaN for empty inputs. */
export function pixelAccuracy(predicted: LabelArray, truth: LabelArray): number {
  const who = 'pixelAccuracy';
  for (const [name, a] of [['predicted', predicted], ['truth', truth]] as const) {
    if (!(a instanceof Int32Array) && !Array.isArray(a)) throw argumentError(who, name, 'an Int32Array or an array of integer labels', typeof a);
  }
  checkPair(who, predicted, truth);
  let hit = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!Number.isInteger(predicted[i])) throw new Error(`${who}: predicted must hold integer labels, got ${predicted[i]} at index ${i}`);
    if (!Number.isInteger(truth[i])) throw new Error(`${who}: truth must hold integer labels, got ${truth[i]} at index ${i}`);
    if (predicted[i] === truth[i]) hit++;
  }
  return truth.length === 0 ? NaN : hit / truth.length;
}

/** Mean IoU, pixel accuracy and per-class IoU in one pass over the pixels. */
export function segmentationScores(predicted: LabelArray, truth: LabelArray, classes: number): SegmentationScores {
  const m = confusion('segmentationScores', predicted, truth, classes);
  const perClassIoU = iouFromConfusion(m);
  const total = truth.length;
  const hit = m.reduce((s, row, k) => s + row[k], 0);
  return { meanIoU: meanDefined(perClassIoU), pixelAccuracy: total === 0 ? NaN : hit / total, perClassIoU };
}
