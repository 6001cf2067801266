/**
 * The fused recurrences (nn/gruRecurrence.ts, nn/lstmRecurrence.ts) against the op-graph GRU
 * and LSTM of nn/gru.ts and nn/lstm.ts: the same weights give the same states and the same
 * gradients for every variable and the input, on cpu and wasm; and a penalty that
 * differentiates through them is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeBlasStatus, setNativeBlasEnabled, tf } from '../../../kernel-helpers/src/backend';
import { loopRecurrenceGemm, recurrenceGemm } from '../../../kernel-helpers/src/nn/recurrenceGemm';
import { bidirectional, gru, lstm, Net } from '../../../kernel-helpers/src/nn';
import { cRnnGanDiscriminator, r1Penalty, rcganDiscriminator, timeGanNets } from '../../../kernel-helpers/src/gan';
import { useBackend } from '../backend/backend-compare';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const builders: Record<string, (fused: boolean, returnSequences: boolean) => Net> = {
  gru: (fused, returnSequences) => gru({ inputSize: 3, hidden: 5, returnSequences, seed: 7, fused }),
  lstm: (fused, returnSequences) => lstm({ inputSize: 3, hidden: 5, returnSequences, seed: 7, fused }),
  'bidirectional lstm': (fused, returnSequences) => bidirectional({ layer: 'lstm', inputSize: 3, hidden: 4, returnSequences, seed: 7, fused }),
};

// The products inside the fused recurrences: OpenBLAS where the native module is built, else loops; both are tested.
const products = nativeBlasStatus().active ? ['OpenBLAS', 'loops'] : ['loops'];
for (const backend of ['cpu', 'wasm'] as const) {
  for (const [kind, build] of Object.entries(builders)) {
    for (const returnSequences of [true, false]) {
      for (const product of products) test(`${backend}, products by ${product}: fused and op-graph ${kind} agree in value and in every gradient (returnSequences ${returnSequences})`, async (t) => {
        await useBackend(backend);
        setNativeBlasEnabled(product === 'OpenBLAS');
        t.after(() => setNativeBlasEnabled(true));
        const plain = build(false, returnSequences);
        const fused = build(true, returnSequences);
        // the same weights, with biases that are not zero so that every gate term is exercised
        plain.variables.forEach((v, i) => {
          if (v.rank === 1) (v as tf.Variable).assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 3 + i));
          (fused.variables[i] as tf.Variable).assign(v);
        });
        const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 11);
        const out = plain.apply(x);
        const w = tf.randomNormal(out.shape, 0, 1, 'float32', 12);
        const run = (net: Net) => {
          const g = tf.grads((xi: tf.Tensor, ...vars: tf.Tensor[]) => {
            void vars;
            return tf.sum(tf.mul(net.apply(xi), w)) as tf.Scalar;
          });
          return { value: net.apply(x).dataSync(), grads: g([x, ...net.variables]).map((t) => t.dataSync()) };
        };
        const a = run(plain), b = run(fused);
        assert.ok(maxAbsDiff(a.value, b.value) < 1e-5, `values differ by ${maxAbsDiff(a.value, b.value)}`);
        a.grads.forEach((ga, i) => {
          const d = maxAbsDiff(ga, b.grads[i]);
          assert.ok(d < 1e-4, `gradient ${i === 0 ? 'in x' : `in variable ${i - 1}`} differs by ${d}`);
        });
        plain.dispose!();
        fused.dispose!();
      });
    }
  }
}

test('the loop product matches OpenBLAS for every transpose and accumulate flag', { skip: nativeBlasStatus().active ? false : `the native module is not active (${nativeBlasStatus().reason})` }, () => {
  const M = 5, N = 7, K = 3;
  for (const [ta, tb, acc] of [[0, 0, 0], [1, 0, 1], [0, 1, 0], [1, 1, 1]]) {
    const make = () => Float32Array.from({ length: M * K + K * N + M * N }, (_, i) => Math.sin(1.7 * i + ta + 2 * tb));
    const a = make(), b = make();
    recurrenceGemm()(a, 0, M * K, M * K + K * N, M, N, K, ta, tb, acc);
    loopRecurrenceGemm(b, 0, M * K, M * K + K * N, M, N, K, ta, tb, acc);
    assert.ok(maxAbsDiff(a, b) < 1e-5, `transA ${ta}, transB ${tb}, accumulate ${acc}: ${maxAbsDiff(a, b)}`);
  }
});

test('the fused GRU and LSTM refuse a penalty that differentiates through them (R1), naming the way out', async () => {
  await useBackend('cpu');
  for (const body of [gru({ inputSize: 2, hidden: 3, returnSequences: false, fused: true, seed: 1 }), lstm({ inputSize: 2, hidden: 3, returnSequences: false, fused: true, seed: 1 })]) {
    const x = tf.randomNormal([3, 4, 2]);
    const D = (t: tf.Tensor) => tf.sum(body.apply(t), 1, true);
    assert.throws(
      () => tf.variableGrads(() => r1Penalty(D, x, 10), body.variables as tf.Variable[]),
      /first-order only: build it with fused: false/,
    );
    body.dispose!();
  }
});

test('the sequence models pass fused on: RCGAN, C-RNN-GAN and TimeGAN nets give the same outputs either way', async () => {
  await useBackend('wasm');
  const x = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 4);
  const labels = tf.tensor1d([0, 2, 1], 'int32');
  const pairs: Array<[string, (fused: boolean) => Net, object]> = [
    ['rcganDiscriminator', (fused) => rcganDiscriminator({ features: 2, hidden: 4, length: 5, classes: 3, fused, seed: 1 }), { labels }],
    ['cRnnGanDiscriminator', (fused) => cRnnGanDiscriminator({ features: 2, hidden: 3, layers: 1, length: 5, fused, seed: 1 }), {}],
    ['timeGanNets embedder', (fused) => timeGanNets({ features: 2, length: 5, hidden: 4, layers: 2, fused, seed: 1 }).embedder, {}],
  ];
  for (const [name, build, opts] of pairs) {
    const a = build(false).apply(x, opts).dataSync();
    const b = build(true).apply(x, opts).dataSync();
    assert.ok(maxAbsDiff(a, b) < 1e-5, `${name}: fused and op-graph outputs differ by ${maxAbsDiff(a, b)}`);
  }
});
