/**
 * What a classifier says about generated samples: the histogram of predicted classes (how
 * many classes a generator produces at all, and how evenly: the "number of modes" and
 * KL-to-uniform reported for MNIST in Che et al. 2017 and Srivastava et al. 2017), and, for
 * a conditional generator (Mirza and Osindero 2014; Odena et al. 2017, AC-GAN), how often a
 * sample is classified as the label it was asked for. A generator that ignores its label
 * scores at chance, 1/classes, which is reported alongside so the number can be read.
 */
import { checkKnownOptions, checkInRange, checkPositiveInt, argumentError } from '../core/args';
import { checkLabels } from './featureRows';
import { klToUniform } from './modeCoverage';

export interface ClassHistogram {
  /** counts[c] = samples predicted as class c. */
  counts: number[];
  /** counts / total. */
  shares: number[];
  /** Classes holding a share >= minShare (and at least one sample). */
  covered: number;
  classes: number;
  /** KL(shares || uniform) in nats: 0 when even, log(classes) when all in one class. */
  klToUniform: number;
  /** The share a class needed to count as covered. */
  minShare: number;
}

export interface ClassHistogramOptions {
  /** A class is covered when it holds at least this share of the samples (default 0: any sample). */
  minShare?: number;
}

export function classHistogram(predicted: ArrayLike<number>, classes: number, opts: ClassHistogramOptions = {}): ClassHistogram {
  const who = 'classHistogram';
  checkKnownOptions(who, opts, ['minShare']);
  const { minShare = 0 } = opts;
  checkPositiveInt(who, 'classes', classes);
  checkInRange(who, 'opts.minShare', minShare, 0, 1, { closed: true });
  if (predicted == null || typeof predicted.length !== 'number' || predicted.length === 0) {
    throw argumentError(who, 'predicted', 'a non-empty array of class labels', predicted);
  }
  const n = predicted.length;
  checkLabels(who, 'predicted', predicted, n, classes);
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < n; i++) counts[predicted[i]]++;
  const shares = counts.map((c) => c / n);
  return {
    counts,
    shares,
    covered: counts.filter((c) => c > 0 && c / n >= minShare).length,
    classes,
    klToUniform: klToUniform(counts),
    minShare,
  };
}

export interface LabelAgreement {
  /** Share of samples whose predicted label equals the requested one. */
  agreement: number;
  /** 1 / classes: what a generator that ignores its label gets on balanced requests. */
  chance: number;
  /** Agreement among the samples that requested class c; null where none did. */
  perClass: (number | null)[];
  /** requestedCounts[c] = samples that requested class c. */
  requestedCounts: number[];
  /** confusion[requested][predicted] = count, to see which labels the generator mixes up. */
  confusion: number[][];
  classes: number;
}

export function labelAgreement(predicted: ArrayLike<number>, requested: ArrayLike<number>, classes: number): LabelAgreement {
  const who = 'labelAgreement';
  checkPositiveInt(who, 'classes', classes);
  if (predicted == null || typeof predicted.length !== 'number' || predicted.length === 0) {
    throw argumentError(who, 'predicted', 'a non-empty array of class labels', predicted);
  }
  const n = predicted.length;
  if (requested == null || typeof requested.length !== 'number' || requested.length !== n) {
    throw new Error(`${who}: requested must hold one label per prediction (${n}), got ${requested == null ? requested : requested.length}`);
  }
  checkLabels(who, 'predicted', predicted, n, classes);
  checkLabels(who, 'requested', requested, n, classes);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let agree = 0;
  for (let i = 0; i < n; i++) {
    confusion[requested[i]][predicted[i]]++;
    if (requested[i] === predicted[i]) agree++;
  }
  const requestedCounts = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  return {
    agreement: agree / n,
    chance: 1 / classes,
    perClass: requestedCounts.map((m, c) => (m > 0 ? confusion[c][c] / m : null)),
    requestedCounts,
    confusion,
    classes,
  };
}
