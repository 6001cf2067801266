/**
 * 1-nearest-neighbour classification accuracy in a feature space (Cover and Hart 1967): each
 * test row takes the label of the closest training row. It has no parameters to fit, so it
 * measures how well a representation already puts same-class examples next to each other,
 * a complement to the linear probe (which asks whether the classes are linearly separable).
 * Cosine distance compares directions only, which suits features whose norm mostly tracks
 * contrast or confidence rather than class.
 */
import { argumentError, checkKnownOptions, checkOneOf } from '../core/args';
import { checkLabels, checkRows, squaredDistance } from './featureRows';

export const NEIGHBOUR_METRICS = ['euclidean', 'cosine'] as const;
export type NeighbourMetric = (typeof NEIGHBOUR_METRICS)[number];

export interface NearestNeighbourOptions {
  /** 'euclidean' (default) or 'cosine'. */
  metric?: NeighbourMetric;
}

export interface NearestNeighbourResult {
  /** Share of test rows whose nearest training row has the same label. */
  accuracy: number;
  /** The predicted label of each test row. */
  predicted: Int32Array;
  /** Index of each test row's nearest training row (the first one on ties). */
  neighbour: Int32Array;
}

/** Rows scaled to unit length, so that Euclidean order equals cosine order. */
function unitRows(who: string, name: string, rows: ArrayLike<number>, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += rows[i * dim + j] ** 2;
    if (s === 0) throw argumentError(who, `${name} row ${i}`, 'a non-zero vector (cosine distance needs a direction)', 0);
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) out[i * dim + j] = rows[i * dim + j] * inv;
  }
  return out;
}

export function nearestNeighbourAccuracy(
  trainFeatures: ArrayLike<number>,
  trainLabels: ArrayLike<number>,
  nTrain: number,
  testFeatures: ArrayLike<number>,
  testLabels: ArrayLike<number>,
  nTest: number,
  dim: number,
  opts: NearestNeighbourOptions = {},
): NearestNeighbourResult {
  const who = 'nearestNeighbourAccuracy';
  checkKnownOptions(who, opts, ['metric']);
  const { metric = 'euclidean' } = opts;
  checkOneOf(who, 'opts.metric', metric, NEIGHBOUR_METRICS);
  checkRows(who, 'trainFeatures', trainFeatures, nTrain, dim, 1);
  checkRows(who, 'testFeatures', testFeatures, nTest, dim, 1);
  checkLabels(who, 'trainLabels', trainLabels, nTrain);
  checkLabels(who, 'testLabels', testLabels, nTest);
  const a = metric === 'cosine' ? unitRows(who, 'trainFeatures', trainFeatures, nTrain, dim) : trainFeatures;
  const b = metric === 'cosine' ? unitRows(who, 'testFeatures', testFeatures, nTest, dim) : testFeatures;
  const predicted = new Int32Array(nTest);
  const neighbour = new Int32Array(nTest);
  let correct = 0;
  for (let q = 0; q < nTest; q++) {
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < nTrain; i++) {
      const d = squaredDistance(b, q, a, i, dim);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    neighbour[q] = best;
    predicted[q] = trainLabels[best];
    if (predicted[q] === testLabels[q]) correct++;
  }
  return { accuracy: correct / nTest, predicted, neighbour };
}
