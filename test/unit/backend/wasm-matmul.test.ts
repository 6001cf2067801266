import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { assertSameOnBackends, tensor, useBackend } from './backend-compare';

const shapes: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
  { a: [5, 7], b: [7, 3], ta: false, tb: false },
  { a: [7, 5], b: [7, 3], ta: true, tb: false },
  { a: [5, 7], b: [3, 7], ta: false, tb: true },
  { a: [7, 5], b: [3, 7], ta: true, tb: true },
  { a: [64, 33], b: [33, 17], ta: false, tb: false },
  { a: [3, 4, 6], b: [3, 6, 2], ta: false, tb: false },
  { a: [3, 6, 4], b: [3, 2, 6], ta: true, tb: true },
  { a: [2, 3, 4, 5], b: [5, 6], ta: false, tb: false },
  { a: [4, 5, 3], b: [1, 5, 2], ta: true, tb: false },
];

test('matMul forward and gradients, every transpose combination and batching, match cpu', async () => {
  for (const c of shapes) {
    await assertSameOnBackends(`matMul a=[${c.a}] b=[${c.b}] ta=${c.ta} tb=${c.tb}`, () => {
      const a = tensor(c.a, 1);
      const b = tensor(c.b, 2);
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, c.ta, c.tb);
      const out = f(a, b);
      // tfjs's BatchMatMul gradient does not reduce over broadcast batch axes (on any
      // backend), so broadcast cases check the forward product only.
      if (c.a.length !== c.b.length || c.a[0] !== c.b[0]) return [out];
      const r = tensor(out.shape, 3);
      const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), r)))([a, b]);
      return [out, da, db];
    });
  }
});

test('fused matMul keeps bias and activation semantics with transposes', async () => {
  const acts: ('linear' | 'relu' | 'elu' | 'leakyrelu' | 'sigmoid')[] = ['linear', 'relu', 'elu', 'leakyrelu', 'sigmoid'];
  for (const activation of acts) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as [boolean, boolean][]) {
      await assertSameOnBackends(`fused matMul ${activation} ta=${ta} tb=${tb}`, () => {
        const a = tensor(ta ? [6, 4] : [4, 6], 4);
        const b = tensor(tb ? [3, 6] : [6, 3], 5);
        const bias = tensor([3], 6);
        const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
          tf.fused.matMul({ a: x, b: y, transposeA: ta, transposeB: tb, bias: z, activation, leakyreluAlpha: 0.2 });
        const out = f(a, b, bias);
        if (activation !== 'linear' && activation !== 'relu') return [out];
        const r = tensor(out.shape, 7);
        const grads = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(f(x, y, z), r)))([a, b, bias]);
        return [out, ...grads];
      });
    }
  }
});

test('matMul rejects mismatched inner dimensions with a clear error', async () => {
  await useBackend('wasm');
  const a = tf.zeros([4, 5]);
  const b = tf.zeros([3, 6]);
  assert.throws(() => tf.engine().runKernel('BatchMatMul', { a, b }, { transposeA: false, transposeB: true }),
    /BatchMatMul.*inner dimensions differ.*\[4,5\].*5.*\[3,6\].*6/);
  tf.dispose([a, b]);
});
