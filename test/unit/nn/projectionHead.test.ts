import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { batchNorm, dense, projectionHead, sequential, activationLayer } from '../../../kernel-helpers/src/nn';
import { r1Penalty, gradientPenalty } from '../../../kernel-helpers/src/gan/penalties';
import { assertSameOnBackends, tensor, useBackend } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

before(async () => {
  await useBackend('cpu');
});

test('projectionHead: logit = psi(h) + <embed(y), h>', () => {
  const head = projectionHead({ features: 3, numClasses: 4, seed: 1, name: 'D/head' });
  assert.deepEqual(head.parts!.map((p) => p.name), ['D/head/psi', 'D/head/embed']);
  assert.deepEqual(head.outputShape, [1]);
  const [w, b, E] = head.variables.map((v) => v.arraySync()) as [number[][], number[], number[][]];
  b[0] = 0.25;
  head.variables[1].assign(tf.tensor1d(b));
  const h = tensor([3, 3], 2);
  const labels = [3, 0, 3];
  const y = head.apply(h, { labels: tf.tensor1d(labels, 'int32') });
  const ha = h.arraySync() as number[][];
  const want = ha.map((row, i) => row.reduce((s, v, j) => s + v * w[j][0] + v * E[labels[i]][j], b[0]));
  assert.deepEqual(y.shape, [3, 1]);
  Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `logit ${i}: ${v} vs ${want[i]}`));
  tf.dispose([h, y]);
  head.dispose!();
});

test('projectionHead gradients: d logit / d h = w + E[y], d logit / d E[y] = h', () => {
  const head = projectionHead({ features: 2, numClasses: 3, seed: 3, useBias: false });
  assert.equal(head.variables.length, 2);
  const [w, E] = head.variables.map((v) => v.arraySync()) as [number[][], number[][]];
  const h = tensor([2, 2], 4);
  const labels = tf.tensor1d([2, 2], 'int32');
  const dh = tf.grad((a: tf.Tensor) => tf.sum(head.apply(a, { labels })))(h).arraySync() as number[][];
  dh.forEach((row) => row.forEach((v, j) => assert.ok(Math.abs(v - (w[j][0] + E[2][j])) < 1e-6)));
  const { grads } = tf.variableGrads(() => tf.sum(head.apply(h, { labels })) as tf.Scalar, head.variables);
  const gE = grads[head.variables[1].name].arraySync() as number[][];
  const ha = h.arraySync() as number[][];
  assert.deepEqual(gE[0], [0, 0]);
  gE[2].forEach((v, j) => assert.ok(Math.abs(v - (ha[0][j] + ha[1][j])) < 1e-6));
  tf.dispose([h, labels, ...Object.values(grads)]);
  head.dispose!();
});

test('R1 and the gradient penalty through a projection discriminator (with batch norm) match finite differences', () => {
  const labels = tf.tensor1d([1, 0, 2, 1, 0], 'int32');
  const D = sequential('projD', [
    dense({ inUnits: 3, units: 6, seed: 5 }),
    batchNorm({ channels: 6 }),
    activationLayer('softplus'),
    dense({ inUnits: 6, units: 4, activation: 'tanh', seed: 6 }),
    projectionHead({ features: 4, numClasses: 3, seed: 7 }),
  ]);
  const real = tensor([5, 3], 8);
  const fake = tensor([5, 3], 9);
  const eps = tf.tensor1d([0.1, 0.4, 0.5, 0.7, 0.9]);
  const critic = (x: tf.Tensor) => D.apply(x, { training: true, labels });
  for (const [name, f] of [
    ['R1', () => r1Penalty(critic, real, 2)],
    ['GP', () => gradientPenalty(critic, real, fake, { epsilon: eps })],
  ] as [string, () => tf.Scalar][]) {
    const r = gradCheck(f, D.variables, { seed: 4 });
    assert.ok(r.worstRelError < 2e-2, `${name}: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  }
  tf.dispose([labels, real, fake, eps]);
  D.dispose!();
});

test('projectionHead forward and gradients: wasm matches cpu', async () => {
  await assertSameOnBackends('projectionHead', () => {
    const head = projectionHead({ features: 5, numClasses: 4, seed: 10 });
    try {
      const labels = tf.tensor1d([3, 1, 1, 0, 2, 3], 'int32');
      const h = tensor([6, 5], 11);
      const loss = (a: tf.Tensor) => tf.sum(tf.square(head.apply(a, { labels })));
      const dh = tf.grad(loss)(h);
      const { grads } = tf.variableGrads(() => loss(h) as tf.Scalar, head.variables);
      return [head.apply(h, { labels }), dh, ...head.variables.map((v) => grads[v.name])];
    } finally {
      head.dispose!();
    }
  });
  await useBackend('cpu');
});

test('projectionHead: weightTransform reaches psi (index) and the table (index + 1); clone keeps the structure', () => {
  const seen: string[] = [];
  const head = projectionHead({
    features: 2,
    numClasses: 3,
    seed: 12,
    index: 4,
    weightTransform: (w, layer) => {
      seen.push(`${layer.name}#${layer.index}[${w.shape}]`);
      return w;
    },
  });
  const h = tf.ones([1, 2]);
  const labels = tf.tensor1d([0], 'int32');
  const y = head.apply(h, { labels });
  assert.deepEqual(seen, ['projectionHead/psi#4[2,1]', 'projectionHead/embed#5[3,2]']);
  const c = head.clone!('copy');
  assert.equal(c.name, 'copy');
  assert.equal(c.parts!.length, 2);
  const yc = c.apply(h, { labels });
  assert.deepEqual(Array.from(yc.dataSync()), Array.from(y.dataSync()));
  tf.dispose([h, labels, y, yc]);
  head.dispose!();
  c.dispose!();
});

test('projectionHead: bad configurations and missing labels name the layer and the argument', () => {
  assert.throws(() => projectionHead({ features: 0, numClasses: 2 }), /projectionHead: features must be a positive integer, got 0/);
  assert.throws(() => projectionHead({ features: 2, numClasses: 0, name: 'D/p' }), /projectionHead D\/p: numClasses must be a positive integer, got 0/);
  assert.throws(() => projectionHead({ features: 2, numClasses: 2, activation: 'relu' } as never), /projectionHead: unknown option 'activation'; known: features, numClasses/);
  const head = projectionHead({ features: 2, numClasses: 2 });
  const h = tf.zeros([3, 2]);
  assert.throws(() => head.apply(h), /projectionHead: opts.labels must be a tensor of class labels with shape \[3\], got undefined \(a conditional net needs opts.labels\)/);
  const x3 = tf.zeros([3, 3]);
  assert.throws(() => head.apply(x3, { labels: tf.zeros([3], 'int32') }), /projectionHead: input must have shape \[batch, 2\], got \[3, 3\]/);
  tf.dispose([h, x3]);
  head.dispose!();
});
