/**
 * Principal component analysis for 2-D pictures of real and synthetic data, as in TimeGAN's
 * qualitative comparison (Yoon, Jarrett & van der Schaar 2019, fig. 3; the official code's
 * `visualization_metrics.py`). That code first reduces each sequence [length, features] to
 * the mean over its features at each step (a `length`-vector: `sequenceFeatureMeans`), then
 * FITS the PCA on the real sequences only and projects both the real and the synthetic ones
 * with those components (its t-SNE, by contrast, runs on the concatenation). We do the same:
 * `fitPca` on the real rows, `projectPca` for both, so a generator is drawn in the real
 * data's coordinates and its mistakes cannot rotate the picture.
 *
 * The components are the eigenvectors of the covariance matrix (1/(n-1) normalisation, as
 * scikit-learn's), from the symmetric Jacobi eigen-decomposition the Frechet distance uses.
 * An eigenvector's sign is arbitrary; we fix it so that its largest-magnitude entry is
 * positive, so the same data always give the same picture.
 */
import { argumentError, checkInteger, checkPositiveInt } from '../core/args';
import { symmetricEigen } from './digits/frechetDistance';
import { checkRows } from './featureRows';

export interface Pca {
  dim: number;
  /** Number of components kept. */
  components: number;
  /** The fitted rows' mean, [dim]. */
  mean: Float64Array;
  /** Row-major [components, dim]: component c is row c, unit length, by decreasing variance. */
  axes: Float64Array;
  /** Variance along each kept component. */
  variances: Float64Array;
  /** Share of the total variance each kept component explains. */
  explainedRatio: Float64Array;
}

/** Fits the top `components` principal components of `n` rows of length `dim` (n >= 2). */
export function fitPca(rows: ArrayLike<number>, n: number, dim: number, components = 2): Pca {
  const who = 'fitPca';
  checkRows(who, 'rows', rows, n, dim, 2);
  checkInteger(who, 'components', components, 1, dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += rows[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) centred[j] = rows[i * dim + j] - mean[j];
    for (let p = 0; p < dim; p++) for (let q = p; q < dim; q++) cov[p * dim + q] += centred[p] * centred[q];
  }
  for (let p = 0; p < dim; p++) {
    for (let q = p; q < dim; q++) {
      cov[p * dim + q] /= n - 1;
      cov[q * dim + p] = cov[p * dim + q];
    }
  }
  const { values, vectors } = symmetricEigen(cov, dim);
  const order = Array.from({ length: dim }, (_, i) => i).sort((x, y) => values[y] - values[x]);
  let total = 0;
  for (let i = 0; i < dim; i++) total += Math.max(0, values[i]);
  const axes = new Float64Array(components * dim);
  const variances = new Float64Array(components);
  const explainedRatio = new Float64Array(components);
  for (let c = 0; c < components; c++) {
    const k = order[c];
    let big = 0;
    for (let j = 0; j < dim; j++) if (Math.abs(vectors[j * dim + k]) > Math.abs(vectors[big * dim + k])) big = j;
    const sign = vectors[big * dim + k] < 0 ? -1 : 1;
    for (let j = 0; j < dim; j++) axes[c * dim + j] = sign * vectors[j * dim + k];
    variances[c] = Math.max(0, values[k]);
    explainedRatio[c] = total > 0 ? variances[c] / total : 0;
  }
  return { dim, components, mean, axes, variances, explainedRatio };
}

/** Coordinates of `n` rows on the fitted components, row-major [n, components]. */
export function projectPca(pca: Pca, rows: ArrayLike<number>, n: number): Float64Array {
  if (pca == null || typeof pca !== 'object' || !(pca.axes instanceof Float64Array)) throw argumentError('projectPca', 'pca', 'a fitted Pca (from fitPca)', pca);
  const { dim, components, mean, axes } = pca;
  checkRows('projectPca', 'rows', rows, n, dim, 1);
  const out = new Float64Array(n * components);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < components; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (rows[i * dim + j] - mean[j]) * axes[c * dim + j];
      out[i * components + c] = s;
    }
  }
  return out;
}

/** The 2-D projection of `n` rows on their own top two principal components, [n, 2]. */
export function pca2(rows: ArrayLike<number>, n: number, dim: number): Float64Array {
  checkInteger('pca2', 'dim', dim, 2);
  return projectPca(fitPca(rows, n, dim, 2), rows, n);
}

/**
 * TimeGAN's reduction of sequences before PCA / t-SNE: each sequence [length, features]
 * becomes the `length`-vector of its per-step means over the features. Returns [count, length].
 */
export function sequenceFeatureMeans(data: ArrayLike<number>, count: number, length: number, features: number): Float64Array {
  const who = 'sequenceFeatureMeans';
  checkPositiveInt(who, 'count', count);
  checkPositiveInt(who, 'length', length);
  checkPositiveInt(who, 'features', features);
  checkRows(who, 'data', data, count * length, features, 1);
  const out = new Float64Array(count * length);
  for (let i = 0; i < count * length; i++) {
    let s = 0;
    for (let k = 0; k < features; k++) s += data[i * features + k];
    out[i] = s / features;
  }
  return out;
}
