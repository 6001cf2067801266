import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { useBackend, values } from './backend-compare';

type Pad = 'same' | 'valid' | number;

interface Case { shape: [number, number, number, number]; filter: [number, number]; strides: [number, number]; pad: Pad }

/** Max pooling written out: window origins and extents as TensorFlow defines them. */
function geometry(size: number, k: number, s: number, pad: Pad): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.floor((size - k) / s) + 1, before: 0 };
  if (pad === 'same') {
    const out = Math.ceil(size / s);
    return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
  }
  return { out: Math.floor((size - k + 2 * pad) / s) + 1, before: pad };
}

/** Reference forward and input gradient of sum(maxPool(x) * r): each window's gradient goes to its first maximum. */
function reference(x: Float32Array, r: Float32Array, c: Case): { y: number[]; dx: number[] } {
  const [B, H, W, C] = c.shape;
  const gy = geometry(H, c.filter[0], c.strides[0], c.pad);
  const gx = geometry(W, c.filter[1], c.strides[1], c.pad);
  const at = (b: number, i: number, j: number, ch: number) => ((b * H + i) * W + j) * C + ch;
  const y: number[] = [];
  const dx = new Array<number>(x.length).fill(0);
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let oi = 0; oi < gy.out; oi++) {
      for (let oj = 0; oj < gx.out; oj++) {
        for (let ch = 0; ch < C; ch++, o++) {
          let best = -Infinity;
          let arg = -1;
          for (let di = 0; di < c.filter[0]; di++) {
            for (let dj = 0; dj < c.filter[1]; dj++) {
              const i = oi * c.strides[0] - gy.before + di;
              const j = oj * c.strides[1] - gx.before + dj;
              if (i < 0 || i >= H || j < 0 || j >= W) continue;
              const v = x[at(b, i, j, ch)];
              if (v > best) { best = v; arg = at(b, i, j, ch); }
            }
          }
          y.push(best);
          dx[arg] += r[o];
        }
      }
    }
  }
  return { y, dx };
}

const cases: Case[] = [
  { shape: [2, 4, 4, 3], filter: [2, 2], strides: [2, 2], pad: 'valid' },
  { shape: [2, 5, 6, 2], filter: [3, 3], strides: [1, 1], pad: 'same' },
  { shape: [3, 7, 5, 2], filter: [3, 3], strides: [2, 2], pad: 'same' },
  { shape: [2, 6, 6, 1], filter: [3, 2], strides: [2, 1], pad: 'valid' },
  { shape: [2, 5, 5, 2], filter: [3, 3], strides: [2, 2], pad: 1 },
];

/** Mostly negative values on a coarse grid: many all-negative windows, and ties. */
function inputValues(n: number, seed: number): Float32Array {
  return values(n, seed).map((v) => Math.round((v - 0.7) * 4) / 4 + 0);
}

test('MaxPoolGrad on wasm matches a hand-written reference (all-negative windows, ties, strides, padding) and cpu', async () => {
  for (const [k, c] of cases.entries()) {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const xv = inputValues(n, 10 + k);
    const out = reference(xv, new Float32Array(0), c);
    const rv = values(out.y.length, 50 + k);
    const ref = reference(xv, rv, c);
    const negativeWindows = ref.y.filter((v) => v < 0).length;
    assert.ok(negativeWindows > 0, `case ${k} has all-negative windows`);
    for (const be of ['wasm', 'cpu'] as const) {
      await useBackend(be);
      const [y, dx] = tf.tidy(() => {
        const x = tf.tensor4d(xv, c.shape);
        const r = tf.tensor(rv);
        const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, c.filter, c.strides, c.pad);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reshape(pool(t), [-1]), r)))(x);
        return [pool(x).dataSync(), g.dataSync()];
      });
      const label = `${be}, case ${k} (${JSON.stringify(c)})`;
      assert.deepEqual(Array.from(y), ref.y, `${label}: forward`);
      for (let i = 0; i < ref.dx.length; i++) {
        assert.ok(Math.abs(dx[i] - ref.dx[i]) < 1e-5, `${label}: dx[${i}] = ${dx[i]}, reference ${ref.dx[i]}`);
      }
    }
  }
});

test('MaxPoolGrad on wasm: one all-negative window whose maximum is not its first element', async () => {
  await useBackend('wasm');
  const dx = tf.tidy(() => {
    const x = tf.tensor4d([-4, -3, -2, -1, 1, 5, 2, 3], [2, 2, 2, 1]);
    return tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')))(x).dataSync();
  });
  assert.deepEqual(Array.from(dx), [0, 0, 0, 1, 0, 1, 0, 0]);
});

test('MaxPoolGrad on wasm leaves no tensors behind', async () => {
  await useBackend('wasm');
  const x = tf.tensor4d(inputValues(2 * 6 * 6 * 2, 3), [2, 6, 6, 2]);
  const before = tf.memory().numTensors;
  const bytes = tf.engine().backend.numDataIds();
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 3, 2, 'same')))(x);
  g.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.engine().backend.numDataIds(), bytes);
  x.dispose();
});
