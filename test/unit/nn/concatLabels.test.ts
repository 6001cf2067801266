import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { concatLabels, dense, embedding, labelIndices, oneHotLabels, sequential } from '../../../kernel-helpers/src/nn';
import { r1Penalty } from '../../../kernel-helpers/src/gan/penalties';
import { assertSameOnBackends, tensor, useBackend } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

before(async () => {
  await useBackend('cpu');
});

test('oneHotLabels gives float32 codes that concatenate with floats (tf.oneHot alone gives int32)', () => {
  const labels = tf.tensor1d([2, 0, 1], 'int32');
  const raw = tf.oneHot(labels, 3);
  assert.equal(raw.dtype, 'int32', 'the reason for the cast');
  const h = oneHotLabels(labels, 3);
  assert.equal(h.dtype, 'float32');
  assert.deepEqual(h.arraySync(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  const f = oneHotLabels(tf.tensor1d([1, 1]), 2);
  assert.deepEqual(f.arraySync(), [[0, 1], [0, 1]]);
  assert.throws(() => oneHotLabels(labels, 0), /oneHotLabels: numClasses must be a positive integer, got 0/);
  assert.throws(() => oneHotLabels(tf.zeros([3, 1]), 2), /oneHotLabels: labels must have shape \[batch\] \(one label per example\), got \[3, 1\]/);
  assert.throws(() => labelIndices('myNet', 'opts.labels', undefined, 4), /myNet: opts.labels must be a tensor of class labels with shape \[4\], got undefined \(a conditional net needs opts.labels\)/);
  tf.dispose([labels, raw, h, f]);
});

test('concatLabels (one-hot): vectors get the code appended, images get it at every position', () => {
  const labels = tf.tensor1d([1, 0], 'int32');
  const flat = concatLabels({ numClasses: 3, inputShape: [2] });
  assert.deepEqual(flat.outputShape, [5]);
  const x = tf.tensor2d([[0.5, -1], [2, 3]]);
  assert.deepEqual(flat.apply(x, { labels }).arraySync(), [[0.5, -1, 0, 1, 0], [2, 3, 1, 0, 0]]);
  const img = concatLabels({ numClasses: 2, inputShape: [2, 3, 1], name: 'cat' });
  assert.deepEqual(img.outputShape, [2, 3, 3]);
  const xi = tensor([2, 2, 3, 1], 1);
  const y = img.apply(xi, { labels }).arraySync() as number[][][][];
  const xa = xi.arraySync() as number[][][][];
  for (let n = 0; n < 2; n++) {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) assert.deepEqual(y[n][i][j], [xa[n][i][j][0], ...(n === 0 ? [0, 1] : [1, 0])]);
    }
  }
  // Inside a sequential, the labels reach the layer through the options.
  const G = sequential('G', [concatLabels({ numClasses: 3 }), dense({ inUnits: 5, units: 2, seed: 1 })]);
  assert.deepEqual(G.apply(x, { labels }).shape, [2, 2]);
  assert.throws(() => G.apply(x), /concatLabels: opts.labels must be a tensor of class labels with shape \[2\], got undefined/);
  tf.dispose([labels, x, xi]);
  G.dispose!();
});

test('concatLabels (embedding): the embedding is a part, trained with the net', () => {
  const e = embedding({ inputDim: 4, outputDim: 2, seed: 2, name: 'emb' });
  const cat = concatLabels({ embedding: e, inputShape: [3] });
  assert.deepEqual(cat.outputShape, [5]);
  assert.deepEqual(cat.parts, [e]);
  assert.deepEqual(cat.variables, e.variables);
  const labels = tf.tensor1d([3, 1], 'int32');
  const x = tensor([2, 3], 3);
  const table = e.variables[0].arraySync() as number[][];
  const y = cat.apply(x, { labels }).arraySync() as number[][];
  const xa = x.arraySync() as number[][];
  assert.deepEqual(y, [[...xa[0], ...table[3]], [...xa[1], ...table[1]]]);
  const D = sequential('D', [cat, dense({ inUnits: 5, units: 1, seed: 4 })]);
  const { grads } = tf.variableGrads(() => tf.sum(D.apply(x, { labels })) as tf.Scalar, D.variables);
  const gE = grads[e.variables[0].name].arraySync() as number[][];
  const w = D.variables[1].arraySync() as number[][];
  // d sum(logits) / d table[k] = (number of examples labelled k) x the dense weights on the appended entries.
  assert.deepEqual(gE.map((r) => r.map((v) => +v.toFixed(6))), [0, 1, 2, 3].map((k) => (k === 1 || k === 3 ? [w[3][0], w[4][0]].map((v) => +v.toFixed(6)) : [0, 0])));
  const c = D.clone!();
  assert.equal(c.variables.length, 3);
  tf.dispose([labels, x, ...Object.values(grads)]);
  D.dispose!();
  c.dispose!();
});

test('R1 through a discriminator with concatenated labels matches finite differences', () => {
  const labels = tf.tensor1d([0, 2, 1, 2], 'int32');
  const D = sequential('cD', [
    concatLabels({ embedding: embedding({ inputDim: 3, outputDim: 2, seed: 5 }), inputShape: [2] }),
    dense({ inUnits: 4, units: 5, activation: 'softplus', seed: 6 }),
    dense({ inUnits: 5, units: 1, seed: 7 }),
  ]);
  const real = tensor([4, 2], 8);
  const r = gradCheck(() => r1Penalty((x) => D.apply(x, { training: true, labels }), real, 2), D.variables, { seed: 2 });
  assert.ok(r.worstRelError < 2e-2, `worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  tf.dispose([labels, real]);
  D.dispose!();
});

test('concatLabels forward and gradients: wasm matches cpu', async () => {
  await assertSameOnBackends('concatLabels', () => {
    const cat = concatLabels({ embedding: embedding({ inputDim: 4, outputDim: 3, seed: 9 }) });
    const hot = concatLabels({ numClasses: 4 });
    try {
      const labels = tf.tensor1d([3, 0, 2], 'int32');
      const x = tensor([3, 4, 4, 2], 10);
      const dy = tensor([3, 4, 4, 5], 11);
      const loss = (a: tf.Tensor) => tf.sum(tf.mul(cat.apply(a, { labels }), dy));
      const dx = tf.grad(loss)(x);
      const { grads } = tf.variableGrads(() => loss(x) as tf.Scalar, cat.variables);
      return [cat.apply(x, { labels }), hot.apply(x, { labels }), dx, grads[cat.variables[0].name]];
    } finally {
      cat.dispose!();
    }
  });
  await useBackend('cpu');
});

test('concatLabels: bad configurations and labels name the layer and the argument', () => {
  assert.throws(() => concatLabels({}), /concatLabels: give exactly one of numClasses \(one-hot codes\) and embedding \(learned codes\)/);
  const e = embedding({ inputDim: 2, outputDim: 2 });
  assert.throws(() => concatLabels({ numClasses: 2, embedding: e }), /give exactly one/);
  assert.throws(() => concatLabels({ numClasses: -2, name: 'G/cat' }), /concatLabels G\/cat: numClasses must be a positive integer, got -2/);
  assert.throws(() => concatLabels({ numClasses: 2, classes: 3 } as never), /concatLabels: unknown option 'classes'; known: numClasses, embedding/);
  assert.throws(() => concatLabels({ embedding: { name: 'e' } as never }), /concatLabels: embedding must be a Net \(e.g. embedding\({ inputDim, outputDim }\)\), got object/);
  const noShape = { ...e, outputShape: undefined };
  assert.throws(() => concatLabels({ embedding: noShape }), /concatLabels: embedding must declare outputShape \[k\] \(a vector per label\), got none/);
  const cat = concatLabels({ numClasses: 2 });
  const x = tf.zeros([3, 2]);
  const wrong = tf.tensor1d([0, 1], 'int32');
  assert.throws(() => cat.apply(x, { labels: wrong }), /concatLabels: opts.labels must have shape \[3\] \(one label per example\), got \[2\]/);
  const v = tf.zeros([3]);
  assert.throws(() => cat.apply(v, { labels: wrong }), /concatLabels: input must have shape \[batch, \.\.\., channels\], got \[3\]/);
  tf.dispose([x, wrong, v]);
  e.dispose!();
});
