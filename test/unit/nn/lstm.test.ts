import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { lstm, gru, bidirectional, dense, sequential, Net, LayerInfo } from '../../../kernel-helpers/src/nn';
import { r1Penalty } from '../../../kernel-helpers/src/gan';
import { assertSameOnBackends, tensor, useBackend } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

before(async () => {
  await useBackend('cpu');
});

const sig = (t: number) => 1 / (1 + Math.exp(-t));

/** Plain-number LSTM for one sequence: the equations of lstm.ts, gates i, f, g, o. */
function referenceLstm(x: number[][], W: number[][], U: number[][], b: number[], H: number): number[][] {
  let h = new Array(H).fill(0);
  let c = new Array(H).fill(0);
  const out: number[][] = [];
  for (const xt of x) {
    const a = (j: number) => b[j] + xt.reduce((s, v, i) => s + v * W[i][j], 0) + h.reduce((s, v, i) => s + v * U[i][j], 0);
    const ig = Array.from({ length: H }, (_, k) => sig(a(k)));
    const fg = Array.from({ length: H }, (_, k) => sig(a(H + k)));
    const gg = Array.from({ length: H }, (_, k) => Math.tanh(a(2 * H + k)));
    const og = Array.from({ length: H }, (_, k) => sig(a(3 * H + k)));
    c = c.map((cv, k) => fg[k] * cv + ig[k] * gg[k]);
    h = c.map((cv, k) => og[k] * Math.tanh(cv));
    out.push(h.slice());
  }
  return out;
}

function assertClose(got: number[], want: number[], tol: number, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol, `${label}[${i}]: ${g} vs ${want[i]}`));
}

test('LSTM matches the equations written out in plain numbers (sequence and last state, batch of 2)', () => {
  const H = 3;
  const seqs = [
    [[0.5, -1], [1.5, 0.2], [-0.7, 0.9], [0, 0.3]],
    [[-0.2, 0.4], [0.8, -1.1], [0.3, 0.3], [1.2, -0.5]],
  ];
  for (const returnSequences of [true, false]) {
    const net = lstm({ inputSize: 2, hidden: H, seed: 4, returnSequences });
    const [Wv, Uv, bv] = net.variables;
    // Forget-gate bias starts at 1 (unitForgetBias), the rest at 0.
    assert.deepEqual(Array.from(bv.dataSync()), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    bv.assign(tf.tensor1d([0.1, -0.2, 0.3, 0.9, 1.1, 0.7, 0.2, 0.1, -0.3, 0.05, 0, -0.1]));
    const y = net.apply(tf.tensor3d(seqs));
    assert.deepEqual(y.shape, returnSequences ? [2, 4, H] : [2, H]);
    const got = Array.from(y.dataSync());
    const W = Wv.arraySync() as number[][];
    const U = Uv.arraySync() as number[][];
    const b = bv.arraySync() as number[];
    const want = seqs.flatMap((s) => {
      const hs = referenceLstm(s, W, U, b, H);
      return returnSequences ? hs.flat() : hs[hs.length - 1];
    });
    assertClose(got, want, 1e-5, `lstm returnSequences=${returnSequences}`);
    y.dispose();
    net.dispose!();
  }
  const zeroForget = lstm({ inputSize: 2, hidden: 2, seed: 1, unitForgetBias: false });
  assert.deepEqual(Array.from(zeroForget.variables[2].dataSync()), new Array(8).fill(0));
  zeroForget.dispose!();
});

test('bidirectional: forward outputs, then the backward layer on the reversed sequence, reversed back', () => {
  for (const layer of ['lstm', 'gru'] as const) {
    for (const returnSequences of [true, false]) {
      const net = bidirectional({ layer, inputSize: 2, hidden: 3, returnSequences, seed: 7 });
      const x = tensor([2, 5, 2], 3);
      const y = net.apply(x);
      assert.deepEqual(y.shape, returnSequences ? [2, 5, 6] : [2, 6]);
      // The same computation by hand, from a standalone layer holding each direction's weights.
      const build = layer === 'lstm' ? lstm : gru;
      const fwd = build({ inputSize: 2, hidden: 3, returnSequences, seed: 1 });
      const bwd = build({ inputSize: 2, hidden: 3, returnSequences, seed: 2 });
      const n = fwd.variables.length;
      net.variables.slice(0, n).forEach((v, i) => fwd.variables[i].assign(v));
      net.variables.slice(n).forEach((v, i) => bwd.variables[i].assign(v));
      const want = tf.tidy(() => {
        const yf = fwd.apply(x);
        const yb = bwd.apply(tf.reverse(x, 1));
        return returnSequences ? tf.concat([yf, tf.reverse(yb, 1)], 2) : tf.concat([yf, yb], 1);
      });
      assertClose(Array.from(y.dataSync()), Array.from(want.dataSync()), 1e-6, `bidirectional ${layer} returnSequences=${returnSequences}`);
      // The two directions start from different weights.
      const w0 = net.variables[0].dataSync();
      const w1 = net.variables[n].dataSync();
      assert.ok(w0.some((v, i) => v !== w1[i]), `${layer}: backward weights differ from forward ones`);
      // A clone computes the same function with its own variables.
      const copy = net.clone!('copy');
      const yc = copy.apply(x);
      assertClose(Array.from(yc.dataSync()), Array.from(y.dataSync()), 0, `${layer} clone`);
      assert.ok(copy.variables.every((v, i) => v !== net.variables[i]));
      tf.dispose([x, y, want, yc]);
      for (const m of [net, fwd, bwd, copy]) m.dispose!();
    }
  }
});

test('bidirectional passes weight transforms each kernel with its own name and index', () => {
  for (const layer of ['lstm', 'gru'] as const) {
    const seen: LayerInfo[] = [];
    const net = bidirectional({ layer, inputSize: 2, hidden: 2, index: 3, name: 'enc', seed: 1, weightTransform: (w, info) => (seen.push(info), w) });
    tf.dispose(net.apply(tensor([1, 2, 2], 1)));
    assert.deepEqual(seen, [
      { name: 'enc/forward/input', index: 3 },
      { name: 'enc/forward/recurrent', index: 4 },
      { name: 'enc/backward/input', index: 5 },
      { name: 'enc/backward/recurrent', index: 6 },
    ]);
    net.dispose!();
  }
});

/** Forward, gradients w.r.t. input and every variable, and R1's gradient w.r.t. the variables. */
function forwardAndGradients(build: () => Net, xShape: number[]): () => tf.Tensor[] {
  return () => {
    const net = build();
    const x = tensor(xShape, 5);
    const y = net.apply(x);
    const r = tensor(y.shape, 6);
    const loss = () => tf.sum(tf.mul(net.apply(x), r)) as tf.Scalar;
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(net.apply(a), r)))(x);
    const { grads } = tf.variableGrads(loss, net.variables);
    // A linear read-out of the whole output makes the layer a critic.
    const head = tensor([y.size / y.shape[0], 1], 7);
    const critic = (a: tf.Tensor) => tf.matMul(tf.reshape(net.apply(a), [a.shape[0], -1]), head);
    const r1 = tf.variableGrads(() => r1Penalty(critic, x, 1), net.variables).grads;
    const out = [y, dx, ...net.variables.map((v) => grads[v.name]), ...net.variables.map((v) => r1[v.name])];
    net.dispose!();
    return out;
  };
}

test('LSTM and bidirectional LSTM/GRU: forward, gradients and R1 gradients match between cpu and wasm', async () => {
  await assertSameOnBackends('lstm sequence', forwardAndGradients(() => lstm({ inputSize: 3, hidden: 4, seed: 2 }), [2, 4, 3]));
  await assertSameOnBackends('lstm last state', forwardAndGradients(() => lstm({ inputSize: 3, hidden: 4, returnSequences: false, seed: 3 }), [3, 5, 3]));
  await assertSameOnBackends('bidirectional lstm', forwardAndGradients(() => bidirectional({ layer: 'lstm', inputSize: 3, hidden: 2, seed: 4 }), [2, 4, 3]));
  await assertSameOnBackends('bidirectional gru', forwardAndGradients(() => bidirectional({ layer: 'gru', inputSize: 3, hidden: 2, returnSequences: false, seed: 5 }), [2, 4, 3]));
  await useBackend('cpu');
});

test('R1 through a bidirectional-LSTM / LSTM / GRU discriminator matches finite differences', () => {
  const cases: [string, Net][] = [
    [
      'bidirectional lstm -> lstm -> dense',
      sequential('D', [
        bidirectional({ layer: 'lstm', inputSize: 2, hidden: 3, seed: 1 }),
        lstm({ inputSize: 6, hidden: 3, returnSequences: false, seed: 2 }),
        dense({ inUnits: 3, units: 1, seed: 3 }),
      ]),
    ],
    [
      'bidirectional gru (last states) -> dense',
      sequential('D', [bidirectional({ layer: 'gru', inputSize: 2, hidden: 3, returnSequences: false, seed: 4 }), dense({ inUnits: 6, units: 1, seed: 5 })]),
    ],
  ];
  const x = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 9);
  for (const [label, D] of cases) {
    const r = gradCheck(() => r1Penalty(D, x, 2), D.variables, { seed: 4 });
    assert.ok(r.worstRelError < 2e-2, `${label}: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
    D.dispose!();
  }
  x.dispose();
});

test('the check has teeth: an LSTM critic built on tf.basicLSTMCell fails it', () => {
  const H = 3;
  const k = tf.variable(tf.randomNormal([2 + H, 4 * H], 0, 0.5, 'float32', 1));
  const b = tf.variable(tf.randomNormal([4 * H], 0, 0.5, 'float32', 2));
  const head = tf.variable(tf.randomNormal([H, 1], 0, 0.5, 'float32', 3));
  const critic = (x: tf.Tensor) => {
    const [B, T] = x.shape;
    let c = tf.zeros([B, H]) as tf.Tensor2D;
    let h = tf.zeros([B, H]) as tf.Tensor2D;
    for (let t = 0; t < T; t++) {
      const xt = tf.reshape(tf.slice(x, [0, t, 0], [B, 1, 2]), [B, 2]) as tf.Tensor2D;
      [c, h] = tf.basicLSTMCell(tf.scalar(1), k as tf.Tensor2D, b as tf.Tensor1D, xt, c, h);
    }
    return tf.matMul(h, head);
  };
  const x = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 9);
  let err = Infinity;
  try {
    err = gradCheck(() => r1Penalty(critic, x, 2), [k, b, head], { seed: 4 }).worstRelError;
  } catch {
    // Throwing is the other way tfjs reports a missing second derivative.
  }
  assert.ok(err > 0.1, `tf.basicLSTMCell's second derivative should be wrong, relative error ${err}`);
  tf.dispose([k, b, head, x]);
});

test('no tensors leak from lstm or bidirectional (forward and R1)', () => {
  for (const net of [lstm({ inputSize: 2, hidden: 3, seed: 1 }), bidirectional({ layer: 'gru', inputSize: 2, hidden: 2, returnSequences: false, seed: 2 })]) {
    const x = tensor([2, 3, 2], 1);
    const run = () => {
      tf.dispose(net.apply(x));
      tf.dispose(r1Penalty((a) => tf.sum(tf.reshape(net.apply(a), [a.shape[0], -1]), 1), x, 1));
    };
    run();
    const before = tf.memory().numTensors;
    run();
    assert.equal(tf.memory().numTensors, before, `${net.name} leaks`);
    x.dispose();
    net.dispose!();
  }
});

test('bad input: the layer names itself and the argument', () => {
  assert.throws(() => lstm({ inputSize: 2, hidden: 0 }), /^Error: lstm: hidden must be a positive integer, got 0$/);
  assert.throws(() => lstm({ inputSize: 1.5, hidden: 2, name: 'enc' }), /enc: inputSize must be a positive integer, got 1.5/);
  assert.throws(() => lstm({ inputSize: 2, hidden: 2, timeSteps: -1 }), /lstm: timeSteps must be a positive integer, got -1/);
  assert.throws(() => lstm({ inputSize: 2, hidden: 2, units: 3 } as never), /lstm: unknown option 'units'; known: inputSize, hidden/);
  const net = lstm({ inputSize: 2, hidden: 2, timeSteps: 3, seed: 1 });
  assert.throws(() => net.apply(tf.zeros([1, 3, 4])), /lstm: input must have shape \[batch, 3, 2\], got \[1, 3, 4\]/);
  assert.throws(() => net.apply(tf.zeros([3, 2])), /lstm: input must have shape \[batch, 3, 2\], got \[3, 2\]/);
  net.dispose!();
  assert.throws(() => bidirectional({ layer: 'rnn', inputSize: 2, hidden: 2 } as never), /bidirectional: layer must be one of 'lstm', 'gru', got "rnn"/);
  assert.throws(() => bidirectional({ layer: 'gru', inputSize: 2, hidden: 2, unitForgetBias: true } as never), /bidirectional: unknown option 'unitForgetBias'/);
  assert.throws(() => bidirectional({ layer: 'lstm', inputSize: 2, hidden: -2, name: 'enc' }), /^Error: enc: hidden must be a positive integer, got -2$/);
  const bi = bidirectional({ layer: 'lstm', inputSize: 2, hidden: 2, seed: 1 });
  assert.throws(() => bi.apply(tf.zeros([1, 4, 3])), /bidirectional: input must have shape \[batch, \*, 2\], got \[1, 4, 3\]/);
  bi.dispose!();
});
