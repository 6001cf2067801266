import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { tf } from '../../../kernel-helpers/src/backend';
import { batchNorm, conv2d, dense, embedding, flattenLayer, sequential, activationLayer, projectionHead, summary, parameterCount } from '../../../kernel-helpers/src/nn';
import { useBackend } from '../backend/backend-compare';

before(async () => {
  await useBackend('cpu');
});

function buildD() {
  return sequential('D', [
    conv2d({ inChannels: 1, filters: 4, kernelSize: 3, strides: 2, name: 'D/conv' }),
    batchNorm({ channels: 4, name: 'D/bn' }),
    activationLayer('leakyRelu'),
    sequential('D/head', [flattenLayer([4, 4, 4]), dense({ inUnits: 64, units: 8, name: 'D/fc' })]),
    projectionHead({ features: 8, numClasses: 3, name: 'D/proj' }),
  ]);
}

test('summary: rows for the whole tree with traced output shapes and parameter counts', () => {
  const D = buildD();
  const s = summary(D, { inputShape: [8, 8, 1] });
  assert.deepEqual(
    s.rows.map((r) => [r.depth, r.name, r.hasParts, r.outputShape, r.params, r.stateSize]),
    [
      [0, 'D', true, [1], 4 * 9 + 4 + 8 + 64 * 8 + 8 + 9 + 24, 9],
      [1, 'D/conv', false, [4, 4, 4], 40, 0],
      [1, 'D/bn', false, [4, 4, 4], 8, 9],
      [1, 'leakyRelu', false, [4, 4, 4], 0, 0],
      [1, 'D/head', true, [8], 520, 0],
      [2, 'flatten', false, [64], 0, 0],
      [2, 'D/fc', false, [8], 520, 0],
      [1, 'D/proj', true, [1], 33, 0],
      [2, 'D/proj/psi', false, [1], 9, 0],
      [2, 'D/proj/embed', false, [8], 24, 0],
    ],
  );
  assert.equal(s.trainableParams, parameterCount(D));
  assert.equal(s.nonTrainableParams, 9);
  assert.deepEqual(s.tracedInputShape, [8, 8, 1]);
  const lines = s.text.split('\n');
  assert.equal(lines[0], 'Summary of D (output shapes traced on input [batch, 8, 8, 1])');
  assert.match(lines[2], /^Net\s+Output shape\s+Params\s+State$/);
  assert.ok(lines.some((l) => /^ {2}D\/bn\s+\[batch, 4, 4, 4\]\s+8\s+9$/.test(l)), s.text);
  assert.ok(lines.some((l) => /^ {4}D\/proj\/embed\s+\[batch, 8\]\s+24\s+0$/.test(l)), s.text);
  assert.equal(lines[lines.length - 3], `Trainable params: ${s.trainableParams}`);
  assert.equal(lines[lines.length - 2], 'Non-trainable params: 9 (running statistics)');
  assert.equal(lines[lines.length - 1], `Total params: ${s.trainableParams + 9}`);
  // A notebook's console.log shows the table; the data stays plain.
  assert.equal(inspect(s), s.text);
  assert.equal(String(s), s.text);
  assert.deepEqual(Object.keys(s), ['name', 'rows', 'trainableParams', 'nonTrainableParams', 'tracedInputShape', 'text']);
  D.dispose!();
});

test('summary: the trace neither needs nor changes running statistics, and restores every apply', () => {
  const D = buildD();
  const applies = [D, ...D.parts!].map((n) => n.apply);
  summary(D, { inputShape: [8, 8, 1] });
  assert.equal(D.state![2].dataSync()[0], 0, 'no batch-norm update');
  assert.deepEqual([D, ...D.parts!].map((n) => n.apply), applies);
  const x = tf.zeros([2, 8, 8, 1]);
  assert.throws(() => D.apply(x, { labels: tf.zeros([2], 'int32') }), /batchNorm D\/bn: eval mode/, 'still no statistics');
  tf.dispose(x);
  D.dispose!();
});

test('summary without a trace: declared shapes, unknown ones shown as ?, no State column without state', () => {
  const G = sequential('G', [dense({ inUnits: 2, units: 3, name: 'fc' }), activationLayer('relu')]);
  const s = summary(G);
  assert.deepEqual(s.tracedInputShape, [2], 'a fully declared input shape is traced');
  const u = summary(G, { trace: false });
  assert.equal(u.tracedInputShape, undefined);
  assert.deepEqual(u.rows.map((r) => r.outputShape), [undefined, [3], undefined], 'sequential declares its last part\'s shape');
  assert.match(u.text, /^Summary of G \(declared output shapes\)/);
  assert.ok(u.text.split('\n').some((l) => /^ {2}relu\s+\?\s+0$/.test(l)), u.text);
  assert.ok(!/State/.test(u.text));
  assert.match(u.text, /Non-trainable params: 0\n/);
  const conv = conv2d({ inChannels: 1, filters: 2, kernelSize: 3 });
  assert.equal(summary(conv).tracedInputShape, undefined, 'free sizes: no trace unless an input shape is given');
  const e = embedding({ inputDim: 5, outputDim: 2 });
  assert.deepEqual(summary(e).rows[0].outputShape, [2]);
  G.dispose!();
  conv.dispose!();
  e.dispose!();
});

test('summary: bad input names the argument; a failing trace says which net and input', () => {
  assert.throws(() => summary(null as never), /summary: net must be a Net, got null/);
  const D = buildD();
  assert.throws(() => summary(D, { inputShape: [8, 0, 1] }), /summary: opts.inputShape must be a non-empty list of positive integers, got \[8, 0, 1\]/);
  assert.throws(() => summary(D, { input: [8, 8, 1] } as never), /summary: unknown option 'input'; known: inputShape, trace/);
  assert.throws(() => summary(D, { inputShape: [8, 8, 2] }), /summary: tracing D on input \[batch, 8, 8, 2\] failed: D: input must have shape \[batch, \*, \*, 1\], got \[2, 8, 8, 2\]/);
  assert.ok(D.parts!.every((p) => p.apply === Object.getOwnPropertyDescriptor(p, 'apply')!.value));
  D.dispose!();
});
