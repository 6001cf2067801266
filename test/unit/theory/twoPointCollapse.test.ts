import { test } from 'node:test';
import assert from 'node:assert/strict';
import { twoPointLoss, twoPointLossGradient, binaryEntropy, entropyRegularisedLoss, annealedEntropyDescent, DEFAULT_TWO_POINT } from '../../../kernel-helpers/src/theory';

test('landscape: global minimum at q = 1/2, collapsed local minima at the ends', () => {
  assert.equal(twoPointLoss(0.5), 0);
  const { a, b } = DEFAULT_TWO_POINT;
  assert.ok(Math.abs(twoPointLoss(0) - (a - b)) < 1e-15 && twoPointLoss(0) > 0);
  // Gradient points into the ends near them (descent moves q to 0 or 1) and into 1/2 near it.
  assert.ok(twoPointLossGradient(0.02) > 0 && twoPointLossGradient(0.98) < 0);
  assert.ok(twoPointLossGradient(0.4) < 0 && twoPointLossGradient(0.6) > 0);
  const h = 1e-6;
  for (const q of [0.1, 0.3, 0.77]) {
    const fd = (twoPointLoss(q + h) - twoPointLoss(q - h)) / (2 * h);
    assert.ok(Math.abs(fd - twoPointLossGradient(q)) < 1e-7);
  }
  assert.ok(Math.abs(binaryEntropy(0.5) - Math.LN2) < 1e-15);
  assert.equal(binaryEntropy(0), 0);
  assert.ok(Math.abs(entropyRegularisedLoss(0.5, 2) + 2 * Math.LN2) < 1e-15);
});

test('without a bonus a generator near collapse collapses; annealing the entropy bonus reaches q = 1/2', () => {
  const plain = annealedEntropyDescent({ q0: 0.05, lr: 0.5, steps: 3000, lambdaStart: 0 });
  assert.ok(plain.q[plain.q.length - 1] < 0.01, `plain ends at ${plain.q[plain.q.length - 1]}`);
  const annealed = annealedEntropyDescent({ q0: 0.05, lr: 0.5, steps: 2000, lambdaStart: 1, lambdaEnd: 1e-3, finalSteps: 1000 });
  assert.ok(Math.abs(annealed.q[annealed.q.length - 1] - 0.5) < 1e-3, `annealed ends at ${annealed.q[annealed.q.length - 1]}`);
  assert.equal(annealed.lambda[0], 1);
  assert.ok(Math.abs(annealed.lambda[1999] - 1e-3) < 1e-12);
  assert.equal(annealed.lambda[2500], 0);
  // A small constant bonus is not enough: it keeps q near the collapsed end.
  const small = annealedEntropyDescent({ q0: 0.05, lr: 0.5, steps: 3000, lambdaStart: 0.05, lambdaEnd: 0.05 });
  assert.ok(small.q[small.q.length - 1] < 0.1, `small bonus ends at ${small.q[small.q.length - 1]}`);
});

test('asymmetric data: annealing reaches the data share, a constant large bonus is biased towards 1/2', () => {
  const landscape = { a: 1, b: 0.9, dataShare: 0.3 };
  assert.equal(twoPointLoss(0.3, landscape), 0);
  assert.ok(Math.abs(twoPointLoss(0, landscape) - 0.1) < 1e-15 && Math.abs(twoPointLoss(1, landscape) - 0.1) < 1e-15);
  const h = 1e-6;
  for (const q of [0.1, 0.25, 0.6, 0.9]) {
    const fd = (twoPointLoss(q + h, landscape) - twoPointLoss(q - h, landscape)) / (2 * h);
    assert.ok(Math.abs(fd - twoPointLossGradient(q, landscape)) < 1e-6, `gradient at ${q}`);
  }
  const plain = annealedEntropyDescent({ q0: 0.97, lr: 0.5, steps: 3000, lambdaStart: 0, landscape });
  assert.ok(plain.q[3000] > 0.99, `plain ${plain.q[3000]}`);
  const constant = annealedEntropyDescent({ q0: 0.97, lr: 0.5, steps: 3000, lambdaStart: 1, lambdaEnd: 1, landscape });
  const qc = constant.q[3000];
  assert.ok(qc > 0.33 && qc < 0.5, `constant large bonus ${qc}`);
  const annealed = annealedEntropyDescent({ q0: 0.97, lr: 0.5, steps: 2000, lambdaStart: 1, lambdaEnd: 1e-3, finalSteps: 1000, landscape });
  assert.ok(Math.abs(annealed.q[3000] - 0.3) < 1e-3, `annealed ${annealed.q[3000]}`);
  assert.throws(() => twoPointLoss(0.5, { a: 1, b: 0.9, dataShare: 1 }), /dataShare must be in \(0, 1\)/);
});

test('bad parameters give clear errors', () => {
  assert.throws(() => twoPointLoss(1.2), /twoPointLoss: q must be in \[0, 1\], got 1.2/);
  assert.throws(() => annealedEntropyDescent({ q0: 0, lr: 0.1, steps: 10, lambdaStart: 1 }), /q0 must be in \(0, 1\)/);
  assert.throws(() => annealedEntropyDescent({ q0: 0.3, lr: -1, steps: 10, lambdaStart: 1 }), /lr must be a finite number > 0, got -1/);
  assert.throws(() => annealedEntropyDescent({ q0: 0.3, lr: 0.1, steps: 10, lambdaStart: -1 }), /lambdaStart must be a finite number >= 0/);
  assert.throws(() => annealedEntropyDescent({ q0: 0.3, lr: 0.1, steps: 10, lambdaStart: 0.1, lambdaEnd: 1 }), /lambdaEnd must be <= lambdaStart \(0.1\), got 1/);
  assert.throws(() => twoPointLoss(0.3, { a: 0, b: 1 }), /landscape.a must be/);
});
