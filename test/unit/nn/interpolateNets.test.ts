import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { activationLayer, batchNorm, conv2d, dense, interpolateNets, leafNet, sequential, Net } from '../../../kernel-helpers/src/nn';
import { tensor } from '../backend/backend-compare';

before(async () => {
  await tf.setBackend('cpu');
});

/** dense -> batch norm -> relu -> dense: trainable variables and running statistics. */
function bnNet(seed: number): Net {
  return sequential('net', [
    dense({ inUnits: 4, units: 3, seed, name: 'fc1' }),
    batchNorm({ channels: 3, name: 'bn' }),
    activationLayer('relu'),
    dense({ inUnits: 3, units: 2, seed: seed + 1, name: 'fc2' }),
  ]);
}

/** Gives the net's batch norm running statistics from its own batch, so a and b differ in state too. */
function trained(seed: number): Net {
  const net = bnNet(seed);
  const x = tensor([8, 4], seed + 100);
  tf.dispose(net.apply(x, { training: true }));
  x.dispose();
  return net;
}

const values = (vs: readonly tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));
const outputs = (net: Net, x: tf.Tensor) => tf.tidy(() => Array.from(net.apply(x).dataSync()));

test('alpha 0 and 1 reproduce a and b exactly, weights, state and outputs', () => {
  const a = trained(1);
  const b = trained(2);
  const into = bnNet(3);
  const x = tensor([5, 4], 7);
  assert.equal(interpolateNets(a, b, 0, into), into);
  assert.deepEqual(values(into.variables), values(a.variables));
  assert.deepEqual(values(into.state!), values(a.state!));
  assert.deepEqual(outputs(into, x), outputs(a, x));
  interpolateNets(a, b, 1, into);
  assert.deepEqual(values(into.variables), values(b.variables));
  assert.deepEqual(values(into.state!), values(b.state!));
  assert.deepEqual(outputs(into, x), outputs(b, x));
  assert.notDeepEqual(outputs(a, x), outputs(b, x));
  tf.dispose(x);
  [a, b, into].forEach((n) => n.dispose!());
});

test('alpha 0.5: every variable and every running statistic is the midpoint; no tensor is left behind', () => {
  const a = trained(1);
  const b = trained(2);
  const into = bnNet(3);
  assert.equal(a.state!.length, 3, 'batch norm: mean, variance, count');
  const before = tf.memory().numTensors;
  interpolateNets(a, b, 0.5, into);
  interpolateNets(a, b, 0.25, into);
  interpolateNets(a, b, 0.5, into);
  assert.equal(tf.memory().numTensors, before);
  const mid = (la: number[][], lb: number[][]) => la.map((v, i) => v.map((t, j) => Math.fround(0.5 * t + 0.5 * lb[i][j])));
  assert.deepEqual(values(into.variables), mid(values(a.variables), values(b.variables)));
  assert.deepEqual(values(into.state!), mid(values(a.state!), values(b.state!)));
  [a, b, into].forEach((n) => n.dispose!());
});

test('a linear net (one dense layer, no activation) outputs the blend of the two outputs at every alpha', () => {
  const make = (seed: number) => dense({ inUnits: 6, units: 4, seed });
  const a = make(1);
  const b = make(2);
  // a nonzero bias in both, so the bias is blended too
  a.variables[1].assign(tf.fill([4], 0.5));
  b.variables[1].assign(tf.fill([4], -1.25));
  const into = make(3);
  const x = tensor([10, 6], 5);
  const ya = outputs(a, x);
  const yb = outputs(b, x);
  for (const alpha of [0.5, 0.2, 0.9]) {
    interpolateNets(a, b, alpha, into);
    const y = outputs(into, x);
    y.forEach((v, i) => {
      const want = (1 - alpha) * ya[i] + alpha * yb[i];
      assert.ok(Math.abs(v - want) < 1e-5 * (1 + Math.abs(want)), `alpha ${alpha} entry ${i}: ${v} vs ${want}`);
    });
  }
  tf.dispose(x);
  [a, b, into].forEach((n) => n.dispose!());
});

test('in place (into === a) matches a separate target, also when one variable appears twice (tied layers)', () => {
  const a = trained(1);
  const b = trained(2);
  const sep = bnNet(3);
  interpolateNets(a, b, 0.3, sep);
  interpolateNets(a, b, 0.3, a);
  assert.deepEqual(values(a.variables), values(sep.variables));
  assert.deepEqual(values(a.state!), values(sep.state!));
  [a, b, sep].forEach((n) => n.dispose!());

  // the same layer twice: its W and bias are listed twice; blending them twice would be wrong
  const tied = (seed: number) => {
    const layer = dense({ inUnits: 3, units: 3, seed });
    return sequential('tied', [layer, layer]);
  };
  const p = tied(1);
  const q = tied(2);
  assert.equal(p.variables[0], p.variables[2]);
  const want = values(p.variables).map((v, i) => v.map((t, j) => Math.fround(0.5 * t + 0.5 * values(q.variables)[i][j])));
  interpolateNets(p, q, 0.5, p);
  assert.deepEqual(values(p.variables), want);
  p.parts![0].dispose!();
  q.parts![0].dispose!();
});

test('errors: alpha outside [0, 1], different architectures named at the first mismatch, nothing written on failure', () => {
  const a = bnNet(1);
  const b = bnNet(2);
  assert.throws(() => interpolateNets(a, b, 1.5, a), { message: 'interpolateNets: alpha must be in [0, 1], got 1.5' });
  assert.throws(() => interpolateNets(a, b, -0.1, a), /alpha must be in \[0, 1\], got -0.1/);
  assert.throws(() => interpolateNets(a, b, NaN, a), /alpha must be in \[0, 1\], got NaN/);

  // only the shapes matter here: the second conv's input width differs
  const convNet = (secondIn: number) =>
    sequential('c', [conv2d({ inChannels: 3, filters: 16, kernelSize: 3, seed: 1 }), conv2d({ inChannels: secondIn, filters: 16, kernelSize: 3, seed: 2 })]);
  const c16 = convNet(16);
  const c8 = convNet(8);
  assert.throws(() => interpolateNets(c16, c8, 0.5, c16), { message: 'interpolateNets: variable 2 has shape [3,3,16,16] in a but [3,3,8,16] in b' });
  assert.throws(() => interpolateNets(c16, c16, 0.5, c8), { message: 'interpolateNets: variable 2 has shape [3,3,16,16] in a but [3,3,8,16] in into' });

  const small = dense({ inUnits: 4, units: 3 });
  assert.throws(() => interpolateNets(a, small, 0.5, a), /a has 6 trainable variables but b has 2; the nets must have the same architecture/);

  // same variables, different state: the check comes before any write
  const withState = (shape: number[]) =>
    leafNet({ name: 's', variables: [tf.variable(tf.ones([2]))], state: [tf.variable(tf.zeros(shape), false)], forward: (_v, x) => x });
  const s1 = withState([2]);
  const s2 = withState([3]);
  const target = withState([2]);
  target.variables[0].assign(tf.fill([2], 7));
  assert.throws(() => interpolateNets(s1, s2, 0.5, target), { message: 'interpolateNets: state variable 0 has shape [2] in a but [3] in b' });
  assert.deepEqual(values(target.variables), [[7, 7]]);
  const noState = leafNet({ name: 'n', variables: [tf.variable(tf.ones([2]))], forward: (_v, x) => x });
  assert.throws(() => interpolateNets(s1, noState, 0.5, target), /a has 1 state variables but b has 0/);

  const intState = leafNet({ name: 'i', variables: [tf.variable(tf.ones([2]))], state: [tf.variable(tf.zeros([2], 'int32'), false)], forward: (_v, x) => x });
  assert.throws(() => interpolateNets(s1, intState, 0.5, target), /state variable 0 has dtype int32 in b; only float32 values can be interpolated/);
  [a, b, c16, c8, small, s1, s2, target, noState, intState].forEach((n) => n.dispose!());
});
