/**
 * Unsupervised accuracy of a categorical code: how well the values of a discrete latent code
 * (InfoGAN's c ~ Cat(10), Chen et al. 2016) or the clusters of any method line up with the
 * reference labels, under the best one-to-one renaming of codes to labels. The renaming is an
 * assignment problem on the K x C contingency table (the usual "cluster accuracy" of the
 * clustering literature, e.g. Xie, Girshick and Farhadi 2016), solved exactly by the
 * Hungarian method. One-to-one is the point: a many-to-one map would let a code that merges
 * two digits count for both.
 */
import { checkPositiveInt, argumentError } from '../core/args';
import { solveAssignment } from '../theory/transport/assignment';
import { checkLabels } from './featureRows';

export interface ClusterAccuracy {
  /** Share of samples whose code maps to their label under the best one-to-one map. */
  accuracy: number;
  /** mapping[code] = the label it is matched to, or -1 for a code left over when codes > labels. */
  mapping: number[];
  /** contingency[code][label] = samples with that code and that label. */
  contingency: number[][];
  /** Samples counted as correct (sum of the matched cells). */
  matched: number;
}

export function clusterAccuracy(codes: ArrayLike<number>, labels: ArrayLike<number>, numCodes: number, numLabels: number): ClusterAccuracy {
  const who = 'clusterAccuracy';
  checkPositiveInt(who, 'numCodes', numCodes);
  checkPositiveInt(who, 'numLabels', numLabels);
  if (codes == null || typeof codes.length !== 'number' || codes.length === 0) {
    throw argumentError(who, 'codes', 'a non-empty array of integer codes', codes);
  }
  const n = codes.length;
  checkLabels(who, 'codes', codes, n, numCodes);
  checkLabels(who, 'labels', labels, n, numLabels);
  const contingency = Array.from({ length: numCodes }, () => new Array<number>(numLabels).fill(0));
  for (let i = 0; i < n; i++) contingency[codes[i]][labels[i]]++;
  // maximise matched counts = minimise (top - count), which keeps every cost >= 0 as the
  // solver requires; padding rows/columns hold count 0 so they match nothing real
  const m = Math.max(numCodes, numLabels);
  let top = 0;
  for (const row of contingency) for (const c of row) if (c > top) top = c;
  const cost = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => top - (i < numCodes && j < numLabels ? contingency[i][j] : 0)));
  const { assignment } = solveAssignment(cost);
  const mapping = new Array<number>(numCodes).fill(-1);
  let matched = 0;
  for (let i = 0; i < numCodes; i++) {
    const j = assignment[i];
    if (j < numLabels) {
      mapping[i] = j;
      matched += contingency[i][j];
    }
  }
  return { accuracy: matched / n, mapping, contingency, matched };
}
