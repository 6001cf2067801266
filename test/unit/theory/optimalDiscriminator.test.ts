import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from 'mathjs';
import { optimalDiscriminator, valueFunction, valueAtOptimum, deriveOptimalDiscriminator, jensenShannonDensity, uniformGrid, gaussianPdf, generatorLoss, generatorLossGradient } from '../../../kernel-helpers/src/theory';

const grid = uniformGrid(-20, 20, 4001);
const pairs: [string, (x: number) => number, (x: number) => number][] = [
  ['shifted', gaussianPdf(0, 1), gaussianPdf(1, 1)],
  ['wider', gaussianPdf(0, 1), gaussianPdf(0, 2)],
  ['mixture vs one', (x) => 0.3 * gaussianPdf(-2, 0.5)(x) + 0.7 * gaussianPdf(2, 0.7)(x), gaussianPdf(0, 1.5)],
  ['far apart', gaussianPdf(-5, 0.5), gaussianPdf(5, 0.5)],
];

test('V(D*, G) = 2 JS(p_data || p_g) - 2 log 2 to 1e-6 on several pairs', () => {
  for (const [name, pd, pg] of pairs) {
    const v = valueAtOptimum(pd, pg, grid);
    const j = jensenShannonDensity(pd, pg, grid);
    assert.ok(Math.abs(v - (2 * j - 2 * Math.log(2))) < 1e-6, `${name}: ${v} vs ${2 * j - 2 * Math.log(2)}`);
  }
});

test('D* beats any other discriminator, and p_g = p_data gives D* = 1/2, V = -log 4', () => {
  const [, pd, pg] = pairs[0];
  const vStar = valueAtOptimum(pd, pg, grid);
  const dStar = optimalDiscriminator(pd, pg);
  for (const eps of [0.05, -0.05]) {
    const other = (x: number) => Math.min(0.999, Math.max(0.001, dStar(x) + eps));
    assert.ok(valueFunction(other, pd, pg, grid) < vStar);
  }
  const same = optimalDiscriminator(pd, pd);
  assert.equal(same(0.7), 0.5);
  assert.ok(Math.abs(valueAtOptimum(pd, pd, grid) + Math.log(4)) < 1e-9);
});

test('valueFunction rejects a discriminator outside [0, 1]', () => {
  const [, pd, pg] = pairs[0];
  assert.throws(() => valueFunction(() => 1.5, pd, pg, grid), /d\(-20\) = 1.5 is not a probability/);
});

test('symbolic derivation: argmax of a log y + b log(1 - y) is a / (a + b), a maximum', () => {
  const r = deriveOptimalDiscriminator();
  for (const [a, b] of [[1, 1], [0.3, 2], [5, 0.1]]) {
    const y = evaluate(r.argmax.toString(), { a, b });
    assert.ok(Math.abs(y - a / (a + b)) < 1e-12, `${r.argmax.toString()} at a=${a}, b=${b} gives ${y}`);
    assert.ok(Math.abs(evaluate(r.firstDerivative.toString(), { a, b, y })) < 1e-12);
    assert.ok(evaluate(r.secondDerivative.toString(), { a, b, y }) < 0);
  }
});

test('generator loss gradients w.r.t. the logit match finite differences', () => {
  const sig = (l: number) => 1 / (1 + Math.exp(-l));
  for (const kind of ['saturating', 'non-saturating'] as const) {
    for (const l of [-6, -1, 0, 2]) {
      const h = 1e-6;
      const fd = (generatorLoss(sig(l + h), kind) - generatorLoss(sig(l - h), kind)) / (2 * h);
      assert.ok(Math.abs(fd - generatorLossGradient(sig(l), kind)) < 1e-6, `${kind} at logit ${l}`);
      const dd = (generatorLoss(sig(l) + h, kind) - generatorLoss(sig(l) - h, kind)) / (2 * h);
      assert.ok(Math.abs(dd - generatorLossGradient(sig(l), kind, 'probability')) < 1e-4 * Math.max(1, Math.abs(dd)));
    }
  }
  // The saturating gradient vanishes when the discriminator rejects fakes; the non-saturating one does not.
  assert.ok(Math.abs(generatorLossGradient(1e-4, 'saturating')) < 1e-3);
  assert.ok(Math.abs(generatorLossGradient(1e-4, 'non-saturating')) > 0.99);
  assert.throws(() => generatorLoss(1, 'saturating'), /d = D\(G\(z\)\) must be in \(0, 1\)/);
  assert.throws(() => generatorLoss(0.5, 'hinge' as any), /kind must be/);
});
