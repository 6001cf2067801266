/**
 * Improved precision and recall of a generative model (Kynkaanniemi, Karras, Laine, Lehtinen
 * and Aila 2019, "Improved Precision and Recall Metric for Assessing Generative Models").
 * Each set's manifold is approximated by the union of balls around its points, a point's
 * radius being the distance to its k-th nearest neighbour in its own set. Precision is the
 * share of generated points inside the real manifold (are the samples realistic?); recall is
 * the share of real points inside the generated manifold (is the data covered?). Unlike a
 * single distance such as Frechet's, the two numbers separate "bad samples" from "missing
 * modes": a collapsed generator keeps precision and loses recall.
 */
import { checkKnownOptions, checkPositiveInt, argumentError } from '../core/args';
import { checkRows, squaredDistance } from './featureRows';

export interface PrecisionRecall {
  /** Share of generated points within some real point's k-NN ball. */
  precision: number;
  /** Share of real points within some generated point's k-NN ball. */
  recall: number;
  /** The neighbour rank used for the radii. */
  k: number;
}

export interface PrecisionRecallOptions {
  /** Neighbour rank of the radii (default 3, the paper's choice). */
  k?: number;
}

/**
 * Squared distance from each row to its k-th nearest other row of the same set. Squared,
 * because the membership test compares squared distances and so needs no square roots.
 */
export function knnSquaredRadii(rows: ArrayLike<number>, n: number, dim: number, k: number): Float64Array {
  const who = 'knnSquaredRadii';
  checkPositiveInt(who, 'k', k);
  if (k > n - 1) throw argumentError(who, 'k', `at most n - 1 = ${n - 1} (each point needs k other points in its set)`, k);
  checkRows(who, 'rows', rows, n, dim, k + 1);
  return radii(rows, n, dim, k);
}

function radii(rows: ArrayLike<number>, n: number, dim: number, k: number): Float64Array {
  const out = new Float64Array(n);
  // the k smallest distances seen so far, ascending; insertion keeps it sorted in O(k)
  const best = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = squaredDistance(rows, i, rows, j, dim);
      if (d >= best[k - 1]) continue;
      let p = k - 1;
      while (p > 0 && best[p - 1] > d) {
        best[p] = best[p - 1];
        p--;
      }
      best[p] = d;
    }
    out[i] = best[k - 1];
  }
  return out;
}

/** Share of `query` rows lying in at least one ball (centre row of `centres`, squared radius). */
function shareInside(query: ArrayLike<number>, nQ: number, centres: ArrayLike<number>, nC: number, r2: Float64Array, dim: number): number {
  let inside = 0;
  for (let q = 0; q < nQ; q++) {
    for (let c = 0; c < nC; c++) {
      // on the sphere counts as inside, so a set always contains its own points
      if (squaredDistance(query, q, centres, c, dim) <= r2[c]) {
        inside++;
        break;
      }
    }
  }
  return inside / nQ;
}

export function precisionRecall(
  real: ArrayLike<number>,
  nReal: number,
  fake: ArrayLike<number>,
  nFake: number,
  dim: number,
  opts: PrecisionRecallOptions = {},
): PrecisionRecall {
  const who = 'precisionRecall';
  checkKnownOptions(who, opts, ['k']);
  const { k = 3 } = opts;
  checkPositiveInt(who, 'opts.k', k);
  for (const [name, n] of [['nReal', nReal], ['nFake', nFake]] as const) {
    if (Number.isInteger(n) && n >= 1 && k > n - 1) {
      throw argumentError(who, 'opts.k', `at most ${name} - 1 = ${n - 1} (each point needs k other points in its own set)`, k);
    }
  }
  checkRows(who, 'real', real, nReal, dim, k + 1);
  checkRows(who, 'fake', fake, nFake, dim, k + 1);
  const rReal = radii(real, nReal, dim, k);
  const rFake = radii(fake, nFake, dim, k);
  return {
    precision: shareInside(fake, nFake, real, nReal, rReal, dim),
    recall: shareInside(real, nReal, fake, nFake, rFake, dim),
    k,
  };
}
