import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { largestSingularValue, powerIteration, spectralNormalization, clipWeights, weightClipper, saturatedShare, networkLipschitzBound, kernelSpectralNorm, inputGradientNorms } from '../../../kernel-helpers/src/lipschitz';
import { rng } from '../../../kernel-helpers/src/core/random';

before(async () => {
  await tf.setBackend('cpu');
});

const randomMatrix = (m: number, n: number, seed: number): number[][] => {
  const r = rng(seed);
  return Array.from({ length: m }, () => Array.from({ length: n }, () => r.normal()));
};

test('exact largest singular value: diagonal and rank-one matrices', () => {
  assert.ok(Math.abs(largestSingularValue([[3, 0], [0, -5]]) - 5) < 1e-12);
  // u v^T with |u| = sqrt(5), |v| = sqrt(2): sigma = sqrt(10)
  assert.ok(Math.abs(largestSingularValue([[1, 1], [2, 2]]) - Math.sqrt(10)) < 1e-12);
  // Frobenius bound and the largest column norm as a lower bound, on a random matrix
  const W = randomMatrix(7, 4, 1);
  const s = largestSingularValue(W);
  const fro = Math.sqrt(W.flat().reduce((p, x) => p + x * x, 0));
  const col0 = Math.sqrt(W.reduce((p, row) => p + row[0] * row[0], 0));
  assert.ok(s <= fro + 1e-12 && s >= col0 - 1e-12);
});

test('power iteration converges to the exact largest singular value', () => {
  for (const [m, n, seed] of [[5, 3, 2], [3, 8, 3], [16, 16, 4]] as const) {
    const W = randomMatrix(m, n, seed);
    const exact = largestSingularValue(W);
    const p = powerIteration(W, { iterations: 500, seed });
    assert.ok(Math.abs(p.sigma - exact) < 1e-9 * exact, `${m}x${n}: ${p.sigma} vs ${exact}`);
    // Its sigma estimate u^T W v never exceeds the true value (Cauchy-Schwarz), even after 1 step.
    assert.ok(powerIteration(W, { iterations: 1, seed }).sigma <= exact + 1e-12);
  }
});

test('spectral normalisation: sigma of the normalised kernel approaches 1 as the kept vector warms up', async () => {
  const W = tf.variable(tf.tensor2d(randomMatrix(12, 6, 9)));
  const exact = largestSingularValue(W.arraySync() as number[][]);
  const sn = spectralNormalization({ iterations: 1, seed: 1 });
  const layer = { name: 'D/dense0', index: 0 };
  let last = NaN;
  for (let step = 0; step < 60; step++) {
    const out = sn(W, layer);
    last = largestSingularValue(out.arraySync() as number[][]);
    out.dispose();
  }
  assert.ok(Math.abs(last - 1) < 1e-4, `sigma(W/sigma_est) = ${last}`);
  assert.ok(Math.abs((await sn.sigmas()).get('D/dense0')! - exact) < 1e-4 * exact);
  assert.equal(await sn.sigmaOf(W), (await sn.sigmas()).get('D/dense0'));
  W.dispose();
});

test('spectral normalisation gradient matches finite differences of W -> <X, W / sigma_max(W)>', () => {
  const Wv = randomMatrix(5, 4, 21);
  const X = tf.tensor2d(randomMatrix(5, 4, 22));
  const sn = spectralNormalization({ iterations: 300, seed: 2 });
  const layer = { name: 'L', index: 0 };
  const f = (w: tf.Tensor) => tf.sum(tf.mul(X, sn(w, layer)));
  const W = tf.tensor2d(Wv);
  const g = tf.grad(f)(W).arraySync() as number[][];
  const exactF = (m: number[][]) => {
    const s = largestSingularValue(m);
    const x = X.arraySync() as number[][];
    return m.reduce((p, row, i) => p + row.reduce((q, w, j) => q + (x[i][j] * w) / s, 0), 0);
  };
  const h = 1e-5;
  for (const [i, j] of [[0, 0], [2, 3], [4, 1]]) {
    const plus = Wv.map((r) => [...r]);
    const minus = Wv.map((r) => [...r]);
    plus[i][j] += h;
    minus[i][j] -= h;
    const fd = (exactF(plus) - exactF(minus)) / (2 * h);
    // float32 forward in tfjs: compare at ~1e-3 relative
    assert.ok(Math.abs(g[i][j] - fd) < 2e-3 * Math.max(1, Math.abs(fd)), `dW[${i}][${j}]: ${g[i][j]} vs ${fd}`);
  }
  X.dispose();
  W.dispose();
});

test('weight clipping bounds every weight and reports saturation', async () => {
  const v = tf.variable(tf.tensor2d([[0.5, -0.02], [0.005, -3]]));
  clipWeights([v], 0.01);
  assert.deepEqual(
    (v.arraySync() as number[][]).flat().map((x) => Math.round(x * 1e6) / 1e6),
    [0.01, -0.01, 0.005, -0.01],
  );
  assert.equal(await saturatedShare([v], 0.01), 0.75);
  const hook = weightClipper(0.001);
  hook({ variables: [v] });
  assert.equal(await saturatedShare([v], 0.001), 1);
  v.dispose();
});

test('network Lipschitz bound: product of layer norms, above the observed gradient norms', async () => {
  const W1 = tf.variable(tf.tensor2d(randomMatrix(2, 8, 31)));
  const W2 = tf.variable(tf.tensor2d(randomMatrix(8, 1, 32)));
  const b1 = tf.variable(tf.zeros([8]));
  const net = { variables: [W1, b1, W2] };
  const { bound, layerNorms } = await networkLipschitzBound(net);
  const s1 = largestSingularValue(W1.arraySync() as number[][]);
  const s2 = largestSingularValue(W2.arraySync() as number[][]);
  assert.ok(Math.abs(layerNorms[0] - s1) < 1e-5 * s1 && Math.abs(layerNorms[1] - s2) < 1e-5 * s2);
  assert.ok(Math.abs(bound - s1 * s2) < 1e-4 * s1 * s2);
  const f = (x: tf.Tensor2D) => tf.matMul(tf.relu(tf.add(tf.matMul(x, W1), b1)), W2);
  const r = rng(5);
  const pts = Array.from({ length: 200 }, () => [3 * r.normal(), 3 * r.normal()]);
  const norms = await inputGradientNorms(f, pts);
  assert.ok(Math.max(...norms) <= bound * (1 + 1e-5), `max |grad| ${Math.max(...norms)} vs bound ${bound}`);
  // Without the ReLU the input gradient is the constant vector W1 W2.
  const lin = (x: tf.Tensor2D) => tf.matMul(tf.matMul(x, W1), W2);
  const w12 = tf.matMul(W1, W2).arraySync() as number[][];
  const linNorm = Math.hypot(w12[0][0], w12[1][0]);
  assert.ok(Math.abs((await inputGradientNorms(lin, [[0.3, -1]]))[0] - linNorm) < 1e-4 * linNorm);
  assert.ok(Math.abs((await kernelSpectralNorm(W2)) - Math.sqrt((W2.arraySync() as number[][]).flat().reduce((p, x) => p + x * x, 0))) < 1e-5);
  [W1, W2, b1].forEach((t) => t.dispose());
});

test('bad input: errors name the argument', () => {
  const v = tf.variable(tf.zeros([2, 2]));
  assert.throws(() => clipWeights([v], 0), /bound must be a finite number > 0, got 0/);
  assert.throws(() => clipWeights([v], -1), /bound must be/);
  assert.throws(() => weightClipper(NaN), /bound must be/);
  assert.throws(() => spectralNormalization({ iterations: 0 }), /iterations must be an integer >= 1, got 0/);
  assert.throws(() => powerIteration([[1]], { iterations: 0.5 }), /iterations must be an integer >= 1/);
  assert.throws(() => largestSingularValue([[1, 2], [3]]), /largestSingularValue: w row 1 must have 2 entries, got 1/);
  v.dispose();
});

test('gradient penalty and R1 through a spectrally normalised critic: weight gradients match finite differences', async () => {
  const { mlpDiscriminator } = await import('../../../kernel-helpers/src/gan/models/mlp');
  const { gradientPenalty, r1Penalty } = await import('../../../kernel-helpers/src/gan/penalties');
  // Many power-iteration steps per forward pass: u, v stay at the converged singular vectors,
  // so repeated evaluations see the same function of W (a fair finite-difference target).
  const sn = spectralNormalization({ iterations: 100, seed: 3 });
  const D = mlpDiscriminator({ width: 5, depth: 1, seed: 4, weightTransform: sn });
  const real = tf.tensor2d([[0.5, -1], [1.2, 0.3], [-0.7, 0.9]]);
  const fake = tf.tensor2d([[0.1, 0.2], [-1.5, 0.4], [0.8, -0.6]]);
  const eps = tf.tensor1d([0.2, 0.5, 0.9]);
  const penalties: [string, () => tf.Scalar][] = [
    ['gp', () => gradientPenalty(D, real, fake, { lambda: 10, epsilon: eps })],
    ['r1', () => r1Penalty(D, real, 2)],
  ];
  const W = D.variables[0]; // first kernel [2, 5]
  for (const [name, f] of penalties) {
    const { grads } = tf.variableGrads(f, [W]);
    const g = grads[W.name].arraySync() as number[][];
    const w0 = W.arraySync() as number[][];
    const h = 1e-3;
    for (const [i, j] of [[0, 0], [1, 3], [0, 4]]) {
      const at = (delta: number) => {
        const w = w0.map((r) => [...r]);
        w[i][j] += delta;
        W.assign(tf.tensor2d(w));
        return f().dataSync()[0];
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      W.assign(tf.tensor2d(w0));
      assert.ok(Math.abs(g[i][j] - fd) < 2e-2 * Math.max(1, Math.abs(fd)), `${name} dW[${i}][${j}]: autodiff ${g[i][j]} vs finite difference ${fd}`);
    }
  }
  tf.dispose([real, fake, eps]);
});
