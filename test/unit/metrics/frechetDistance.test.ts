/**
 * The Frechet distance against closed forms for known Gaussians (population statistics given
 * directly, so these check the formula and the matrix square roots, not sampling), and one
 * sample-based check. test/unit/digits/digitMetrics.test.ts has the sampled commuting case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frechetDistance, frechetFromStats, GaussianStats } from '../../../kernel-helpers/src/metrics';
import { symmetricEigen } from '../../../kernel-helpers/src/metrics/digits/frechetDistance';
import { rng } from '../../../kernel-helpers/src/core/random';

const stats = (mean: number[], cov: number[]): GaussianStats => ({ mean: Float64Array.from(mean), cov: Float64Array.from(cov), dim: mean.length, count: 1000 });

function matMul(a: ArrayLike<number>, b: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) out[i * d + j] += a[i * d + k] * b[k * d + j];
  return out;
}
const transpose = (a: ArrayLike<number>, d: number) => Float64Array.from({ length: d * d }, (_, t) => a[(t % d) * d + Math.floor(t / d)]);

/** Gauss-Jordan inverse with partial pivoting (small matrices only). */
function inverse(a: ArrayLike<number>, d: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]) > Math.abs(m[p * d + c])) p = r;
    for (let j = 0; j < d; j++) {
      [m[c * d + j], m[p * d + j]] = [m[p * d + j], m[c * d + j]];
      [inv[c * d + j], inv[p * d + j]] = [inv[p * d + j], inv[c * d + j]];
    }
    const piv = m[c * d + c];
    for (let j = 0; j < d; j++) {
      m[c * d + j] /= piv;
      inv[c * d + j] /= piv;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r * d + c];
      for (let j = 0; j < d; j++) {
        m[r * d + j] -= f * m[c * d + j];
        inv[r * d + j] -= f * inv[c * d + j];
      }
    }
  }
  return inv;
}

/**
 * tr((C1 C2)^{1/2}) by the Denman-Beavers iteration on the non-symmetric product: an answer
 * computed independently of the library's eigendecompositions (C1 C2 is similar to
 * C1^{1/2} C2 C1^{1/2}, so the traces of their square roots agree).
 */
function traceSqrtProduct(c1: ArrayLike<number>, c2: ArrayLike<number>, d: number): number {
  let y = matMul(c1, c2, d);
  let z = new Float64Array(d * d);
  for (let i = 0; i < d; i++) z[i * d + i] = 1;
  for (let it = 0; it < 60; it++) {
    const yi = inverse(y, d);
    const zi = inverse(z, d);
    y = y.map((v, k) => 0.5 * (v + zi[k]));
    z = z.map((v, k) => 0.5 * (v + yi[k]));
  }
  let tr = 0;
  for (let i = 0; i < d; i++) tr += y[i * d + i];
  return tr;
}

test('diagonal covariances: d^2 = |mu1 - mu2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2', () => {
  const a = [1, 4, 0.25, 9, 2];
  const b = [4, 1, 1, 9, 0.5];
  const diag = (v: number[]) => Float64Array.from({ length: v.length ** 2 }, (_, t) => (t % (v.length + 1) === 0 ? v[t / (v.length + 1)] : 0));
  const mu1 = [0, 1, 2, 3, 4];
  const mu2 = [1, 1, 0, 3, 4.5];
  const s1: GaussianStats = { mean: Float64Array.from(mu1), cov: diag(a), dim: 5, count: 10 };
  const s2: GaussianStats = { mean: Float64Array.from(mu2), cov: diag(b), dim: 5, count: 10 };
  let expected = 0;
  for (let i = 0; i < 5; i++) expected += (mu1[i] - mu2[i]) ** 2 + (Math.sqrt(a[i]) - Math.sqrt(b[i])) ** 2;
  assert.ok(Math.abs(frechetFromStats(s1, s2) - expected) < 1e-10, `${frechetFromStats(s1, s2)} vs ${expected}`);
  assert.ok(frechetFromStats(s1, s1) < 1e-10);
});

test('2x2 non-commuting covariances: tr sqrt(C1 C2) = sqrt(tr(C1 C2) + 2 sqrt(det C1 det C2))', () => {
  const c1 = [2, 0.8, 0.8, 1];
  const c2 = [1, -0.5, -0.5, 3];
  const p = matMul(c1, c2, 2);
  const det = (m: number[]) => m[0] * m[3] - m[1] * m[2];
  const trSqrt = Math.sqrt(p[0] + p[3] + 2 * Math.sqrt(det(c1) * det(c2)));
  const expected = 0.5 ** 2 + 2 ** 2 + (2 + 1 + 1 + 3) - 2 * trSqrt;
  const d2 = frechetFromStats(stats([0, 0], c1), stats([0.5, -2], c2));
  assert.ok(Math.abs(d2 - expected) < 1e-10, `${d2} vs ${expected}`);
  assert.ok(Math.abs(d2 - frechetFromStats(stats([0.5, -2], c2), stats([0, 0], c1))) < 1e-10, 'symmetric');
});

test('3x3 non-commuting covariances against a Denman-Beavers square root, and rotation invariance', () => {
  const d = 3;
  const A = [1, 0.5, -0.3, 0.2, 1.2, 0.4, -0.6, 0.1, 0.8];
  const B = [0.7, -0.2, 0.9, 0.3, 0.5, -0.4, 0.1, 1.1, 0.6];
  const c1 = matMul(A, transpose(A, d), d).map((v, k) => v + (k % 4 === 0 ? 0.5 : 0));
  const c2 = matMul(B, transpose(B, d), d).map((v, k) => v + (k % 4 === 0 ? 0.2 : 0));
  const mu1 = [1, 2, 3];
  const mu2 = [0, 2.5, 1];
  let tr = 0;
  for (let i = 0; i < d; i++) tr += c1[i * d + i] + c2[i * d + i];
  const meanTerm = mu1.reduce((a, m, i) => a + (m - mu2[i]) ** 2, 0);
  const expected = meanTerm + tr - 2 * traceSqrtProduct(c1, c2, d);
  const d2 = frechetFromStats(stats(mu1, [...c1]), stats(mu2, [...c2]));
  assert.ok(Math.abs(d2 - expected) < 1e-9, `${d2} vs ${expected}`);
  // an orthogonal change of coordinates moves both Gaussians alike and leaves the distance
  const Q = symmetricEigen([2, 1, 0, 1, 3, 1, 0, 1, 4], d).vectors;
  const rot = (c: Float64Array) => [...matMul(matMul(Q, c, d), transpose(Q, d), d)];
  const rotMean = (m: number[]) => [0, 1, 2].map((i) => m.reduce((a, v, j) => a + Q[i * d + j] * v, 0));
  const d2r = frechetFromStats(stats(rotMean(mu1), rot(c1)), stats(rotMean(mu2), rot(c2)));
  assert.ok(Math.abs(d2r - d2) < 1e-9, `${d2r} vs ${d2}`);
});

test('two large samples of the same correlated Gaussian are near 0; a shifted mean shows as |shift|^2', () => {
  const r = rng(11);
  const dim = 4;
  const n = 20000;
  const L = [1, 0, 0, 0, 0.5, 1, 0, 0, -0.3, 0.4, 0.8, 0, 0.2, -0.1, 0.3, 0.6]; // lower-triangular factor
  const draw = (shift: number) => {
    const rows = new Float64Array(n * dim);
    const z = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < dim; j++) z[j] = r.normal();
      for (let a = 0; a < dim; a++) {
        let s = a === 0 ? shift : 0;
        for (let b = 0; b <= a; b++) s += L[a * dim + b] * z[b];
        rows[i * dim + a] = s;
      }
    }
    return rows;
  };
  const x = draw(0);
  const y = draw(0);
  const d0 = frechetDistance(x, n, y, n, dim);
  assert.ok(d0 < 0.01, `same Gaussian: ${d0}`);
  const d1 = frechetDistance(x, n, draw(1.5), n, dim);
  assert.ok(Math.abs(d1 - 2.25) < 0.1, `shifted: ${d1}`);
});

test('mismatched dimensions are refused', () => {
  assert.throws(() => frechetFromStats(stats([0], [1]), stats([0, 0], [1, 0, 0, 1])), /frechetFromStats: dimensions differ \(1 vs 2\)/);
  assert.throws(() => frechetDistance([1, 2, 3, 4], 2, [1, 2, 3, 4, 5, 6], 2, 2), /gaussianStats: rows must hold n\*dim = 4 values, got 6/);
});
