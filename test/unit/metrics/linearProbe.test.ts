import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainLinearProbe, linearProbeAccuracy } from '../../../kernel-helpers/src/metrics';
import { rng } from '../../../kernel-helpers/src/core/random';
import { blobs, range } from './featureBlobs';

const dim = 16;

test('linearly separable blobs: a probe from 100 labels classifies the test set almost perfectly', () => {
  const train = blobs(rng(1), range(10), 10, dim, 8, 1);
  const testSet = blobs(rng(2), range(10), 200, dim, 8, 1);
  const res = linearProbeAccuracy(train.rows, train.labels, train.n, testSet.rows, testSet.labels, testSet.n, dim, 10);
  assert.equal(res.trainAccuracy, 1);
  assert.ok(res.testAccuracy > 0.99, `test accuracy ${res.testAccuracy}`);
  assert.equal(res.chance, 0.1);
  assert.ok(res.probe.trainLoss < 0.5, `loss ${res.probe.trainLoss}`);
});

test('random test labels, or features without information, give about chance', () => {
  const train = blobs(rng(3), range(10), 10, dim, 8, 1);
  const testSet = blobs(rng(4), range(10), 300, dim, 8, 1);
  const r = rng(5);
  const shuffled = testSet.labels.map(() => r.int(10));
  const res = linearProbeAccuracy(train.rows, train.labels, train.n, testSet.rows, shuffled, testSet.n, dim, 10);
  assert.ok(Math.abs(res.testAccuracy - 0.1) < 0.03, `test accuracy ${res.testAccuracy}`);
  // pure noise features: the probe can fit its 100 training labels but learns nothing that transfers
  const noise = blobs(rng(6), range(10), 10, dim, 0, 1);
  const noiseTest = blobs(rng(7), range(10), 300, dim, 0, 1);
  const fit = linearProbeAccuracy(noise.rows, noise.labels, noise.n, noiseTest.rows, noiseTest.labels, noiseTest.n, dim, 10);
  assert.ok(fit.trainAccuracy > 0.5, `train accuracy ${fit.trainAccuracy}`);
  assert.ok(Math.abs(fit.testAccuracy - 0.1) < 0.04, `test accuracy ${fit.testAccuracy}`);
});

/** The probe's penalised loss at its own parameters, recomputed here from the returned weights. */
function penalisedLoss(p: ReturnType<typeof trainLinearProbe>, rows: Float32Array, labels: Int32Array, n: number, lambda: number, w = p.weights, b = p.bias): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: p.classes }, (_, c) => {
      let s = b[c];
      for (let j = 0; j < p.dim; j++) s += w[c * p.dim + j] * ((rows[i * p.dim + j] - p.mean[j]) / p.std[j]);
      return s;
    });
    const m = Math.max(...z);
    loss += m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) - z[labels[i]];
  }
  return loss / n + 0.5 * lambda * w.reduce((a, v) => a + v * v, 0);
}

test('the probe sits at the minimum of its penalised loss (overlapping classes, finite optimum)', () => {
  const d = 3;
  const data = blobs(rng(8), range(3), 30, d, 1.5, 1);
  const lambda = 0.01;
  const p = trainLinearProbe(data.rows, data.labels, data.n, d, 3, { weightDecay: lambda });
  const at = penalisedLoss(p, data.rows, data.labels, data.n, lambda);
  const eps = 1e-3;
  for (let k = 0; k < p.weights.length + p.bias.length; k++) {
    for (const s of [eps, -eps]) {
      const w = p.weights.slice();
      const b = p.bias.slice();
      if (k < w.length) w[k] += s;
      else b[k - w.length] += s;
      const moved = penalisedLoss(p, data.rows, data.labels, data.n, lambda, w, b);
      // at a minimum a step of eps raises the loss by O(eps^2) >= 0; a residual gradient g would show as g*eps
      assert.ok(moved >= at - 1e-8, `parameter ${k} step ${s}: ${moved} < ${at}`);
    }
  }
  // the cross-entropy it reports is the penalised loss less the penalty
  const pen = 0.5 * lambda * p.weights.reduce((a, v) => a + v * v, 0);
  assert.ok(Math.abs(p.trainLoss - (at - pen)) < 1e-9);
});

test('training is deterministic, standardises with the training statistics and survives a constant feature', () => {
  const data = blobs(rng(9), range(4), 20, 6, 6, 1);
  for (let i = 0; i < data.n; i++) data.rows[i * 6 + 5] = 7; // a dead unit
  const a = trainLinearProbe(data.rows, data.labels, data.n, 6, 4);
  const b = trainLinearProbe(data.rows, data.labels, data.n, 6, 4);
  assert.deepEqual(a.weights, b.weights);
  assert.equal(a.std[5], 1);
  assert.ok(Math.abs(a.mean[5] - 7) < 1e-12);
  assert.ok(a.weights.every(Number.isFinite));
  assert.equal(a.trainAccuracy, 1);
  assert.deepEqual([...a.predict(data.rows, data.n)], [...data.labels]);
  assert.equal(a.accuracy(data.rows, data.labels, data.n), 1);
  // an affine change of every feature is undone by the standardisation
  const scaled = data.rows.map((v) => 100 * v - 3);
  const c = trainLinearProbe(scaled, data.labels, data.n, 6, 4);
  for (let k = 0; k < a.weights.length; k++) assert.ok(Math.abs(a.weights[k] - c.weights[k]) < 1e-4);
});

test('bad inputs are refused with the function and argument named', () => {
  const x = new Float32Array(4 * 2);
  assert.throws(() => trainLinearProbe(x, [0, 1, 2, 0], 4, 2, 2), /trainLinearProbe: labels\[2\] must be an integer in \[0, 1\], got 2/);
  assert.throws(() => trainLinearProbe(x, [0, 1, 1], 4, 2, 2), /trainLinearProbe: labels must hold one label per row \(4\), got 3/);
  assert.throws(() => trainLinearProbe(x.subarray(0, 2), [0], 1, 2, 2), /trainLinearProbe: the number of rows of features must be an integer >= 2/);
  assert.throws(() => trainLinearProbe(x, [0, 1, 1, 0], 4, 3, 2), /trainLinearProbe: features must hold n\*dim = 4\*3 = 12 values, got 8/);
  assert.throws(() => trainLinearProbe(x, [0, 0, 0, 0], 4, 2, 1), /trainLinearProbe: classes must be an integer >= 2, got 1/);
  assert.throws(() => trainLinearProbe(x, [0, 1, 1, 0], 4, 2, 2, { weightDecay: -1 }), /trainLinearProbe: opts.weightDecay must be a finite number >= 0, got -1/);
  assert.throws(() => trainLinearProbe(x, [0, 1, 1, 0], 4, 2, 2, { iterations: 1.5 }), /trainLinearProbe: opts.iterations must be an integer >= 0, got 1.5/);
  assert.throws(() => trainLinearProbe(x, [0, 1, 1, 0], 4, 2, 2, { lr: 1 } as never), /trainLinearProbe: unknown option 'lr'/);
  const p = trainLinearProbe(x, [0, 1, 1, 0], 4, 2, 2);
  assert.throws(() => p.predict(new Float32Array(3), 1), /LinearProbe.predict: rows must hold n\*dim = 1\*2 = 2 values, got 3/);
  assert.throws(() => p.accuracy(x, [0, 1, 5, 0], 4), /LinearProbe.accuracy: labels\[2\] must be an integer in \[0, 1\], got 5/);
  assert.throws(() => linearProbeAccuracy(x, [0, 1, 1, 0], 4, x, [0, 1, 1], 4, 2, 2), /linearProbeAccuracy: testLabels must hold one label per row \(4\), got 3/);
});
