/**
 * The fused GRU recurrence (nn/gruRecurrence.ts) against the op-graph GRU of nn/gru.ts: the
 * same weights give the same states and the same gradients for every variable and the
 * input, on cpu and wasm; and a penalty that differentiates through it is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { gru } from '../../../kernel-helpers/src/nn';
import { r1Penalty } from '../../../kernel-helpers/src/gan';
import { useBackend } from '../backend/backend-compare';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const returnSequences of [true, false]) {
    test(`${backend}: fused and op-graph GRU agree in value and in every gradient (returnSequences ${returnSequences})`, async () => {
      await useBackend(backend);
      const cfg = { inputSize: 3, hidden: 5, returnSequences, seed: 7 };
      const plain = gru({ ...cfg, name: 'plain' });
      const fused = gru({ ...cfg, name: 'fused', fused: true });
      // the same weights, and a bias that is not zero so that every gate term is exercised
      plain.variables.forEach((v, i) => (fused.variables[i] as tf.Variable).assign(v));
      (plain.variables[2] as tf.Variable).assign(tf.randomNormal([15], 0, 0.5, 'float32', 3));
      (fused.variables[2] as tf.Variable).assign(plain.variables[2]);
      const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 11);
      const w = tf.randomNormal(returnSequences ? [4, 6, 5] : [4, 5], 0, 1, 'float32', 12);
      const run = (net: typeof plain) => {
        const f = (xi: tf.Tensor, ...vars: tf.Tensor[]) => {
          void vars;
          return tf.sum(tf.mul(net.apply(xi), w)) as tf.Scalar;
        };
        const g = tf.grads(f);
        const value = net.apply(x).dataSync();
        const grads = g([x, ...net.variables]).map((t) => t.dataSync());
        return { value, grads };
      };
      const a = run(plain), b = run(fused);
      assert.ok(maxAbsDiff(a.value, b.value) < 1e-5, `values differ by ${maxAbsDiff(a.value, b.value)}`);
      ['x', 'W', 'U', 'b'].forEach((name, i) => {
        const d = maxAbsDiff(a.grads[i], b.grads[i]);
        assert.ok(d < 1e-4, `gradient in ${name} differs by ${d}`);
      });
      plain.dispose!();
      fused.dispose!();
    });
  }
}

test('the fused GRU refuses a penalty that differentiates through it (R1), naming the way out', async () => {
  await useBackend('cpu');
  const body = gru({ inputSize: 2, hidden: 3, returnSequences: false, fused: true, seed: 1 });
  const x = tf.randomNormal([3, 4, 2]);
  const D = (t: tf.Tensor) => tf.sum(body.apply(t), 1, true);
  assert.throws(
    () => tf.variableGrads(() => r1Penalty(D, x, 10), body.variables as tf.Variable[]),
    /first-order only: build it with fused: false/,
  );
  body.dispose!();
});
