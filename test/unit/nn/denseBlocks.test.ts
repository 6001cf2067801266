/**
 * ESRGAN's dense blocks and RRDB: shapes, the dense wiring against a hand-written forward, the
 * zero-residual identity, weight-transform indices, errors, wasm against cpu, and R1 through a
 * critic with a dense block (finite differences).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { conv2d, dense, flattenLayer, parameterCount, sequential, LayerInfo } from '../../../kernel-helpers/src/nn';
import { residualDenseBlock, rrdb } from '../../../kernel-helpers/src/nn/denseBlocks';
import { rng } from '../../../kernel-helpers/src/core/random';
import { r1Penalty } from '../../../kernel-helpers/src/gan';
import { assertSameOnBackends, maxAbsDiff, tensor, useBackend } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

test('dense block: shapes, parameter count, and the wiring against a hand-written forward', async () => {
  await useBackend('cpu');
  const [c, g, k] = [4, 3, 5];
  const B = residualDenseBlock({ channels: c, growth: g, layers: k, seed: 1, initGain: 1, name: 'rdb' });
  const shapes = B.variables.map((v) => v.shape);
  for (let i = 0; i < k; i++) {
    assert.deepEqual(shapes[2 * i], [3, 3, c + i * g, i === k - 1 ? c : g], `conv${i + 1} kernel`);
    assert.deepEqual(shapes[2 * i + 1], [i === k - 1 ? c : g], `conv${i + 1} bias`);
  }
  let want = 0;
  for (let i = 0; i < k; i++) want += 9 * (c + i * g) * (i === k - 1 ? c : g) + (i === k - 1 ? c : g);
  assert.equal(parameterCount(B), want);
  // Non-zero biases, so that they are seen to be used.
  B.variables.forEach((v, i) => { if (i % 2 === 1) v.assign(tensor(v.shape, 20 + i)); });
  const x = tensor([2, 5, 6, c], 2);
  const y = B.apply(x);
  assert.deepEqual(y.shape, [2, 5, 6, c]);
  const ref = tf.tidy(() => {
    const feats: tf.Tensor4D[] = [x as tf.Tensor4D];
    let h: tf.Tensor4D = x as tf.Tensor4D;
    for (let i = 0; i < k; i++) {
      const pre = tf.add(tf.conv2d(tf.concat(feats, 3), B.variables[2 * i] as tf.Tensor4D, 1, 'same'), B.variables[2 * i + 1]) as tf.Tensor4D;
      h = i === k - 1 ? pre : (tf.maximum(pre, tf.mul(pre, 0.2)) as tf.Tensor4D);
      feats.push(h);
    }
    return tf.add(x, tf.mul(h, 0.2));
  });
  assert.ok(maxAbsDiff(y, ref) < 1e-5, `dense block vs hand-written: ${maxAbsDiff(y, ref)}`);
  tf.dispose([x, y, ref]);
  B.dispose!();
});

test('RRDB is x + beta * RDB3(RDB2(RDB1(x))), with blocks drawn from the same seed stream', async () => {
  await useBackend('cpu');
  const cfg = { channels: 3, growth: 2, layers: 3, initGain: 1, beta: 0.3 };
  const R = rrdb({ ...cfg, seed: 7 });
  const r = rng(7);
  const blocks = [1, 2, 3].map((b) => residualDenseBlock({ ...cfg, seed: r, name: `b${b}` }));
  assert.equal(R.variables.length, 3 * 2 * 3);
  const x = tensor([2, 4, 4, 3], 3);
  const y = R.apply(x);
  const ref = tf.tidy(() => tf.add(x, tf.mul(blocks.reduce((h, b) => b.apply(h), x), 0.3)));
  assert.ok(maxAbsDiff(y, ref) < 1e-6, `rrdb vs composed blocks: ${maxAbsDiff(y, ref)}`);
  // Clones compute the same function with their own variables.
  const C = R.clone!('copy');
  assert.notEqual(C.variables[0], R.variables[0]);
  const yc = C.apply(x);
  assert.ok(maxAbsDiff(y, yc) === 0);
  tf.dispose([x, y, ref, yc]);
  for (const n of [R, C, ...blocks]) n.dispose!();
});

test('zero residual: beta = 0, or zero-initialised kernels, give the identity', async () => {
  await useBackend('cpu');
  const x = tensor([2, 5, 5, 4], 5);
  for (const net of [
    residualDenseBlock({ channels: 4, growth: 2, beta: 0, seed: 1 }),
    residualDenseBlock({ channels: 4, growth: 2, initGain: 0, seed: 1 }),
    rrdb({ channels: 4, growth: 2, layers: 3, beta: 0, seed: 2 }),
  ]) {
    const y = net.apply(x);
    assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()), `${net.name} should be the identity`);
    y.dispose();
    net.dispose!();
  }
  // Zero kernels make each inner block the identity, so the chain is x and the RRDB (1 + beta) x:
  // the outer residual adds the chain, it does not replace x.
  const Z = rrdb({ channels: 4, growth: 2, layers: 3, initGain: 0, seed: 2 });
  const z = Z.apply(x);
  const want = tf.mul(x, 1.2);
  assert.ok(maxAbsDiff(z, want) < 1e-6, `zero-kernel RRDB vs 1.2 x: ${maxAbsDiff(z, want)}`);
  tf.dispose([z, want]);
  Z.dispose!();
  // And the defaults (He init x 0.1, beta 0.2) start close to that: the point of ESRGAN's scaling.
  const R = rrdb({ channels: 4, growth: 4, seed: 3 });
  const y = R.apply(x);
  const scaled = tf.mul(x, 1.2);
  const rel = maxAbsDiff(y, scaled) / Math.max(...Array.from(scaled.dataSync()).map(Math.abs));
  assert.ok(rel < 0.05, `default RRDB is ${rel} of its scale away from 1.2 x`);
  tf.dispose([x, y, scaled]);
  R.dispose!();
});

test('weight transforms see every conv, named and indexed in order', async () => {
  await useBackend('cpu');
  const seen: LayerInfo[] = [];
  const R = rrdb({ channels: 2, growth: 2, layers: 2, blocks: 2, index: 10, name: 'G/rrdb0', weightTransform: (w, info) => (seen.push(info), w) });
  R.apply(tf.zeros([1, 3, 3, 2])).dispose();
  assert.deepEqual(seen, [
    { name: 'G/rrdb0/rdb1/conv1', index: 10 },
    { name: 'G/rrdb0/rdb1/conv2', index: 11 },
    { name: 'G/rrdb0/rdb2/conv1', index: 12 },
    { name: 'G/rrdb0/rdb2/conv2', index: 13 },
  ]);
  R.dispose!();
});

test('dense block and RRDB errors name the layer and the argument', () => {
  assert.throws(() => residualDenseBlock({ channels: 0 }), /residualDenseBlock: channels must be a positive integer, got 0/);
  assert.throws(() => residualDenseBlock({ channels: 4, growth: -1, name: 'G/rdb' }), /G\/rdb: growth must be a positive integer, got -1/);
  assert.throws(() => residualDenseBlock({ channels: 4, layers: 1.5 }), /layers must be a positive integer, got 1.5/);
  assert.throws(() => residualDenseBlock({ channels: 4, slope: 2 }), /slope must be in \[0, 1\], got 2/);
  assert.throws(() => residualDenseBlock({ channels: 4, beta: NaN }), /beta must be a finite number, got NaN/);
  assert.throws(() => residualDenseBlock({ channels: 4, blocks: 3 } as never), /residualDenseBlock: unknown option 'blocks'/);
  assert.throws(() => rrdb({ channels: 4, blocks: 0 }), /rrdb: blocks must be a positive integer, got 0/);
  assert.throws(() => rrdb({ channels: 4, grwoth: 8 } as never), /rrdb: unknown option 'grwoth'; known: channels, growth/);
  const B = residualDenseBlock({ channels: 4, growth: 2, layers: 2, seed: 1, name: 'G/rdb' });
  assert.throws(() => B.apply(tf.zeros([1, 4, 4, 3])), /G\/rdb: input must have shape \[batch, \*, \*, 4\], got \[1, 4, 4, 3\]/);
  B.dispose!();
});

/** A small critic on 4x4x1 images with a dense block in the middle. */
function denseCritic(seed: number) {
  return sequential('denseD', [
    conv2d({ inChannels: 1, filters: 3, kernelSize: 3, seed, name: 'c0' }),
    residualDenseBlock({ channels: 3, growth: 2, layers: 3, initGain: 1, beta: 0.5, seed: seed + 1, name: 'rdb' }),
    flattenLayer([4, 4, 3]),
    dense({ inUnits: 48, units: 1, seed: seed + 2 }),
  ]);
}

test('R1 through a dense block: gradient w.r.t. D matches finite differences', async () => {
  await useBackend('cpu');
  const D = denseCritic(4);
  const real = tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 6);
  // Piecewise linear (leaky ReLU): small step, second-order differences, so no kink is crossed.
  const r = gradCheck(() => r1Penalty(D, real, 1), D.variables, { seed: 3, order: 2, h: 1e-3 });
  assert.ok(r.worstRelError < 2e-2, `worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  real.dispose();
  D.dispose!();
});

test('RRDB forward, input gradient and R1 weight gradients match cpu on wasm', async () => {
  await assertSameOnBackends('rrdb', () => {
    const R = rrdb({ channels: 3, growth: 2, layers: 3, initGain: 1, seed: 8 });
    const x = tensor([2, 5, 5, 3], 1);
    const y = R.apply(x);
    const r = tensor(y.shape, 2);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(R.apply(a), r)))(x);
    const D = denseCritic(9);
    const real = tensor([2, 4, 4, 1], 3);
    const { value, grads } = tf.variableGrads(() => r1Penalty(D, real, 1), D.variables);
    const out = [y, dx, value, ...D.variables.map((v) => grads[v.name] ?? tf.zerosLike(v))];
    R.dispose!();
    D.dispose!();
    return out;
  });
});
