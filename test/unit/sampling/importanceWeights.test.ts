import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selfNormalizedWeights, effectiveSampleSize, logMeanExp, standardNormalLogDensity } from '../../../kernel-helpers/src/sampling';
import { rng } from '../../../kernel-helpers/src/core/random';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);
const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0);

test('selfNormalizedWeights: the normalised exponentials, summing to 1, unchanged by a common shift', () => {
  const lw = [0, Math.log(2), Math.log(5), -1];
  const w = selfNormalizedWeights(lw);
  const total = 1 + 2 + 5 + Math.exp(-1);
  assert.ok(w instanceof Float64Array && w.length === 4);
  [1, 2, 5, Math.exp(-1)].forEach((e, i) => close(w[i], e / total, 1e-15, `w[${i}]`));
  close(sum(w), 1, 1e-15, 'sum');

  const r = rng(1);
  const many = Array.from({ length: 50 }, () => 3 * r.normal());
  const base = selfNormalizedWeights(many);
  for (const c of [-700, 123.4, 5000]) {
    const shifted = selfNormalizedWeights(many.map((l) => l + c));
    shifted.forEach((v, i) => close(v, base[i], 1e-12 * base[i] + 1e-300, `shift ${c} w[${i}]`));
  }
});

test('huge log-weights do not overflow; -Infinity entries get weight 0', () => {
  // exp(1000) is Infinity: the naive ratio would be NaN
  assert.equal(Math.exp(1000), Infinity);
  const w = selfNormalizedWeights([1000, 999]);
  close(w[0], 1 / (1 + Math.exp(-1)), 1e-15, 'w[0]');
  close(w[1], Math.exp(-1) / (1 + Math.exp(-1)), 1e-15, 'w[1]');
  const tiny = selfNormalizedWeights([-1000, -1001]);
  close(tiny[0], w[0], 1e-15, 'shift by -2000');

  const withZero = selfNormalizedWeights([-Infinity, 0, 0, -Infinity]);
  assert.deepEqual([...withZero], [0, 0.5, 0.5, 0]);
  close(effectiveSampleSize([-Infinity, 0, 0, -Infinity]), 2, 1e-15, 'ESS with two dead draws');
  close(effectiveSampleSize([1000, 999]), (1 + Math.exp(-1)) ** 2 / (1 + Math.exp(-2)), 1e-14, 'ESS of huge log-weights');
});

test('effectiveSampleSize: n for equal weights, about 1 for one dominant, the formula for two', () => {
  assert.equal(effectiveSampleSize(new Array(37).fill(-3.2)), 37);
  assert.equal(effectiveSampleSize([5]), 1);
  const dominant = effectiveSampleSize([0, -50, -60, -45, -70]);
  assert.ok(dominant >= 1 && dominant < 1 + 1e-15 * 10 + 2 * Math.exp(-45), `ESS ${dominant}`);
  for (const [a, b] of [[1, 3], [0.2, 0.7], [4, 4]]) {
    close(effectiveSampleSize([Math.log(a), Math.log(b)]), (a + b) ** 2 / (a * a + b * b), 1e-14, `ESS(${a}, ${b})`);
  }
  // shift invariance, and between 1 and n
  const r = rng(2);
  const lw = Array.from({ length: 200 }, () => 2 * r.normal());
  const ess = effectiveSampleSize(lw);
  assert.ok(ess > 1 && ess < 200, `ESS ${ess}`);
  close(effectiveSampleSize(lw.map((l) => l - 900)), ess, 1e-9, 'shifted ESS');
  // the ESS of the normalised weights, computed directly
  const w = selfNormalizedWeights(lw);
  close(ess, 1 / sum(w.map((x) => x * x)), 1e-9, 'ESS from weights');
});

test('logMeanExp: log of the mean of exponentials, stable at +-1000, -Infinity when all are', () => {
  close(logMeanExp([0, Math.log(3)]), Math.log(2), 1e-15, 'log((1 + 3) / 2)');
  close(logMeanExp([1000, 1000, 1000]), 1000, 1e-12, 'equal large values');
  close(logMeanExp([-1000, -1001]), -1000 + Math.log((1 + Math.exp(-1)) / 2), 1e-12, 'large negative');
  close(logMeanExp([-Infinity, Math.log(4)]), Math.log(2), 1e-15, 'one dead value');
  assert.equal(logMeanExp([-Infinity, -Infinity]), -Infinity);
  assert.equal(logMeanExp([7.5]), 7.5);
});

test('standardNormalLogDensity: log N(z; 0, I) row by row', () => {
  const z = [0, 0, 0, 1, -2, 0.5];
  const ld = standardNormalLogDensity(z, 2, 3);
  close(ld[0], -1.5 * Math.log(2 * Math.PI), 1e-14, 'origin');
  close(ld[1], -1.5 * Math.log(2 * Math.PI) - (1 + 4 + 0.25) / 2, 1e-14, 'row 1');
  // far out it is still just a quadratic
  close(standardNormalLogDensity([60], 1, 1)[0], -1800 - 0.5 * Math.log(2 * Math.PI), 1e-12, '60 sd');
  assert.equal(standardNormalLogDensity([], 0, 4).length, 0);
});

test('bad inputs are refused with the function and the argument named', () => {
  for (const [name, f] of [
    ['selfNormalizedWeights', selfNormalizedWeights],
    ['effectiveSampleSize', effectiveSampleSize],
  ] as const) {
    assert.throws(() => f([]), new RegExp(`${name}: logWeights must be a non-empty array of log-weights, got an empty array`));
    assert.throws(() => f([0, NaN]), new RegExp(`${name}: logWeights\\[1\\] must be a number or -Infinity \\(never NaN or \\+Infinity\\), got NaN`));
    assert.throws(() => f([0, 1, Infinity]), new RegExp(`${name}: logWeights\\[2\\] must be .*got Infinity`));
    assert.throws(() => f([-Infinity, -Infinity]), new RegExp(`${name}: logWeights must be log-weights not all -Infinity .*got all 2 entries -Infinity`));
    assert.throws(() => f(undefined as never), new RegExp(`${name}: logWeights must be a non-empty array of log-weights, got undefined`));
  }
  assert.throws(() => logMeanExp([]), /logMeanExp: values must be a non-empty array/);
  assert.throws(() => logMeanExp([1, NaN]), /logMeanExp: values\[1\] must be a number or -Infinity/);
  assert.throws(() => logMeanExp([Infinity]), /logMeanExp: values\[0\] must be a number or -Infinity \(never NaN or \+Infinity\), got Infinity/);
  assert.throws(() => standardNormalLogDensity([0, 0, 0], 2, 2), /standardNormalLogDensity: points must hold n\*dim = 2\*2 = 4 values, got 3/);
  assert.throws(() => standardNormalLogDensity([0, 0], 1, 0), /standardNormalLogDensity: dim must be a positive integer, got 0/);
  assert.throws(() => standardNormalLogDensity([0, Infinity], 1, 2), /standardNormalLogDensity: points row 0 entry 1 must be a finite number, got Infinity/);
});
