import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { batchNorm, createEma, dense, sequential, activationLayer, Net } from '../../../kernel-helpers/src/nn';
import { r1Penalty, logitsAndInputGradient } from '../../../kernel-helpers/src/gan/penalties';
import { assertSameOnBackends, tensor, useBackend, values } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

before(async () => {
  await useBackend('cpu');
});

/** Per-channel batch statistics of a [n, C] view, in float64. */
function stats(data: ArrayLike<number>, C: number): { mean: number[]; variance: number[] } {
  const n = data.length / C;
  const mean = Array.from({ length: C }, (_, c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * C + c];
    return s / n;
  });
  const variance = mean.map((m, c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (data[i * C + c] - m) ** 2;
    return s / n;
  });
  return { mean, variance };
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

function setValues(v: tf.Variable, data: ArrayLike<number>): void {
  v.assign(tf.tidy(() => tf.tensor(Array.from(data), v.shape)));
}

test('batchNorm training forward and input/scale/offset gradients match the hand-written formulas', () => {
  for (const shape of [[5, 3], [2, 3, 4, 3]]) {
    const C = 3;
    const bn = batchNorm({ channels: C, epsilon: 1e-3 });
    const [gamma, beta] = bn.variables;
    setValues(gamma, [1.5, -0.5, 2]);
    setValues(beta, [0.1, 0.2, -0.3]);
    const x = tensor(shape, 1);
    const dy = tensor(shape, 2);
    const xs = x.dataSync();
    const dys = dy.dataSync();
    const { mean, variance } = stats(xs, C);
    const g = [1.5, -0.5, 2];
    const b = [0.1, 0.2, -0.3];
    const rstd = variance.map((v) => 1 / Math.sqrt(v + 1e-3));
    const xhat = Array.from(xs, (v, i) => (v - mean[i % C]) * rstd[i % C]);
    const n = xs.length / C;
    // dL/dx = gamma rstd (dy - mean(dy) - xhat mean(dy xhat)), per channel.
    const sumDy = [0, 0, 0];
    const sumDyXhat = [0, 0, 0];
    dys.forEach((d, i) => {
      sumDy[i % C] += d;
      sumDyXhat[i % C] += d * xhat[i];
    });
    const wantY = xhat.map((h, i) => g[i % C] * h + b[i % C]);
    const wantDx = Array.from(dys, (d, i) => g[i % C] * rstd[i % C] * (d - sumDy[i % C] / n - (xhat[i] * sumDyXhat[i % C]) / n));

    const f = () => tf.sum(tf.mul(bn.apply(x, { training: true }), dy)) as tf.Scalar;
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(bn.apply(a, { training: true }), dy)))(x);
    const { grads } = tf.variableGrads(f, bn.variables);
    const y = bn.apply(x, { training: true });
    close(y.dataSync(), wantY, 1e-4, `y ${shape}`);
    close(dx.dataSync(), wantDx, 1e-4, `dx ${shape}`);
    close(grads[gamma.name].dataSync(), sumDyXhat, 1e-4, `dgamma ${shape}`);
    close(grads[beta.name].dataSync(), sumDy, 1e-4, `dbeta ${shape}`);
    tf.dispose([x, dy, dx, y, ...Object.values(grads)]);
    bn.dispose!();
  }
});

test('batchNorm running statistics: the first update takes the batch statistics, later ones blend by momentum', () => {
  const bn = batchNorm({ channels: 2, momentum: 0.75, center: false, scale: false });
  assert.equal(bn.variables.length, 0);
  const [mm, mv, count] = bn.state!;
  assert.ok(bn.state!.every((s) => !s.trainable), 'state variables are not trainable');
  const x1 = tensor([6, 2], 3);
  const x2 = tf.tidy(() => tf.add(tf.mul(tensor([6, 2], 4), 3), 1));
  const s1 = stats(x1.dataSync(), 2);
  const s2 = stats(x2.dataSync(), 2);
  tf.dispose(bn.apply(x1, { training: true }));
  close(mm.dataSync(), s1.mean, 1e-5, 'mean after 1');
  close(mv.dataSync(), s1.variance, 1e-5, 'variance after 1');
  tf.dispose(bn.apply(x2, { training: true }));
  close(mm.dataSync(), s1.mean.map((m, c) => 0.75 * m + 0.25 * s2.mean[c]), 1e-5, 'mean after 2');
  close(mv.dataSync(), s1.variance.map((v, c) => 0.75 * v + 0.25 * s2.variance[c]), 1e-5, 'variance after 2');
  assert.equal(count.dataSync()[0], 2);
  // updateStats: false leaves them alone; eval mode never changes them.
  const before = Array.from(mm.dataSync());
  tf.dispose(bn.apply(x1, { training: true, updateStats: false }));
  tf.dispose(bn.apply(x1));
  close(mm.dataSync(), before, 0, 'mean unchanged');
  assert.equal(count.dataSync()[0], 2);
  tf.dispose([x1, x2]);
  bn.dispose!();
});

test('batchNorm eval mode normalises by the running statistics (momentum 0 reproduces the last training batch)', () => {
  const bn = batchNorm({ channels: 4, momentum: 0, epsilon: 1e-5 });
  setValues(bn.variables[0], [1, 2, 3, 4]);
  setValues(bn.variables[1], [0, -1, 1, 0.5]);
  const x = tensor([3, 2, 2, 4], 5);
  const train = bn.apply(x, { training: true });
  const evalOut = bn.apply(x);
  close(evalOut.dataSync(), train.dataSync(), 1e-5, 'eval vs train');
  const other = tensor([2, 2, 2, 4], 6);
  const { mean, variance } = stats(x.dataSync(), 4);
  const o = other.dataSync();
  const want = Array.from(o, (v, i) => ((v - mean[i % 4]) / Math.sqrt(variance[i % 4] + 1e-5)) * (1 + (i % 4)) + [0, -1, 1, 0.5][i % 4]);
  close(bn.apply(other, { training: false }).dataSync(), want, 1e-4, 'eval on another batch');
  tf.dispose([x, train, evalOut, other]);
  bn.dispose!();
});

test('batchNorm: eval mode before any statistics throws, also for a clone of an untrained net', () => {
  const bn = batchNorm({ channels: 2, name: 'G/bn1' });
  const x = tensor([4, 2], 7);
  const noStats = /batchNorm G\/bn1: eval mode \(training: false\) normalises by running statistics, and there are none yet; apply the net with \{ training: true \}/;
  assert.throws(() => bn.apply(x), noStats);
  assert.throws(() => bn.apply(x, { training: false }), noStats);
  const early = bn.clone!('early');
  assert.throws(() => early.apply(x), /there are none yet/);
  // A training pass that does not update still leaves none.
  tf.dispose(bn.apply(x, { training: true, updateStats: false }));
  assert.throws(() => bn.apply(x), noStats);
  tf.dispose(bn.apply(x, { training: true }));
  tf.dispose(bn.apply(x));
  assert.throws(() => early.apply(x), /there are none yet/, 'the clone has its own (empty) statistics');
  tf.dispose(x);
  bn.dispose!();
  early.dispose!();
});

test('batchNorm: clone copies the running statistics and then evolves independently', () => {
  const bn = batchNorm({ channels: 3 });
  const x = tensor([5, 3], 8);
  tf.dispose(bn.apply(x, { training: true }));
  const copy = bn.clone!('copy');
  assert.equal(copy.name, 'copy');
  assert.equal(copy.state!.length, 3);
  bn.state!.forEach((s, i) => close(copy.state![i].dataSync(), s.dataSync(), 0, `state ${i}`));
  assert.ok(copy.state!.every((s, i) => s !== bn.state![i] && !s.trainable));
  const y1 = bn.apply(x);
  const y2 = copy.apply(x);
  close(y2.dataSync(), y1.dataSync(), 0, 'same eval output');
  const x2 = tensor([5, 3], 9);
  tf.dispose(bn.apply(x2, { training: true }));
  assert.equal(copy.state![2].dataSync()[0], 1, 'the copy did not see the second batch');
  assert.equal(bn.state![2].dataSync()[0], 2);
  tf.dispose([x, x2, y1, y2]);
  bn.dispose!();
  assert.ok(copy.state![0].dataSync().length === 3, 'disposing the original leaves the copy usable');
  copy.dispose!();
  assert.ok(copy.state![0].isDisposed && copy.variables[0].isDisposed, 'dispose frees variables and state');
});

test('batchNorm in an EMA generator: weights are averaged, running statistics copied from the training net', () => {
  const G = sequential('G', [
    dense({ inUnits: 2, units: 4, seed: 1, name: 'l1' }),
    batchNorm({ channels: 4, name: 'bn' }),
    activationLayer('relu'),
    dense({ inUnits: 4, units: 2, seed: 2, name: 'l2' }),
  ]);
  assert.equal(G.state!.length, 3);
  const ema = createEma(G, 0.5, { warmup: false });
  const z = tensor([8, 2], 10);
  assert.throws(() => ema.net.apply(z), /batchNorm bn: eval mode/, 'no statistics were copied yet');
  tf.dispose(G.apply(z, { training: true }));
  G.variables[0].assign(tf.tidy(() => tf.add(G.variables[0], 1)));
  const w0 = Array.from(ema.net.variables[0].dataSync());
  ema.update();
  G.state!.forEach((s, i) => close(ema.net.state![i].dataSync(), s.dataSync(), 0, `state ${i} copied`));
  close(ema.net.variables[0].dataSync(), w0.map((w) => w + 0.5), 1e-6, 'weights averaged');
  const y = ema.net.apply(z);
  assert.deepEqual(y.shape, [8, 2]);
  tf.dispose([z, y]);
  ema.dispose();
  G.dispose!();
});

test('batchNorm inside a penalised discriminator step: one update per training apply, none from the gradient passes', () => {
  const bn = batchNorm({ channels: 3, momentum: 0.5 });
  const D = sequential('D', [dense({ inUnits: 2, units: 3, seed: 3 }), bn, activationLayer('softplus'), dense({ inUnits: 3, units: 1, seed: 4 })]);
  const x = tensor([6, 2], 11);
  const { value, grads } = tf.variableGrads(() => {
    const { logits, grad } = logitsAndInputGradient(D, x);
    const loss = tf.add(tf.mean(logits), tf.mean(tf.square(grad))) as tf.Scalar;
    logits.dispose();
    return loss;
  }, D.variables);
  assert.equal(bn.state![2].dataSync()[0], 1, 'R1 with the logits from the same forward: one update');
  const h = tf.tidy(() => D.parts![0].apply(x));
  close(bn.state![0].dataSync(), stats(h.dataSync(), 3).mean, 1e-5, 'running mean is the batch mean of that forward');
  assert.ok(Object.keys(grads).every((k) => !bn.state!.some((s) => s.name === k)), 'no gradient for the state');
  tf.dispose([value, h, ...Object.values(grads)]);
  tf.dispose(tf.variableGrads(() => r1Penalty(D, x, 1), D.variables).value);
  assert.equal(bn.state![2].dataSync()[0], 2);
  tf.dispose(x);
  D.dispose!();
});

test('R1 through a batch-norm discriminator: gradient w.r.t. the weights matches finite differences', () => {
  const D: Net = sequential('bnD', [
    dense({ inUnits: 3, units: 5, seed: 5 }),
    batchNorm({ channels: 5 }),
    activationLayer('softplus'),
    dense({ inUnits: 5, units: 4, seed: 6 }),
    batchNorm({ channels: 4, center: false }),
    activationLayer('tanh'),
    dense({ inUnits: 4, units: 1, seed: 7 }),
  ]);
  // Non-trivial scale and offset, so their second derivatives are exercised.
  setValues(D.variables[2], [1.2, 0.7, -0.9, 1.5, 0.4]);
  setValues(D.variables[3], [0.1, -0.2, 0.3, 0, 0.5]);
  const real = tf.tensor(values(18, 12), [6, 3]);
  const r = gradCheck(() => r1Penalty(D, real, 2), D.variables, { seed: 3 });
  assert.ok(r.worstRelError < 2e-2, `worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  real.dispose();
  D.dispose!();
});

test('batchNorm forward (training and eval) and gradients: wasm matches cpu', async () => {
  for (const shape of [[6, 5], [2, 4, 4, 3], [3, 5, 4]]) {
    await assertSameOnBackends(`batchNorm [${shape}]`, () => {
      const C = shape[shape.length - 1];
      const bn = batchNorm({ channels: C, momentum: 0.8 });
      try {
        setValues(bn.variables[0], values(C, 20));
        setValues(bn.variables[1], values(C, 21));
        const x = tensor(shape, 22);
        const dy = tensor(shape, 23);
        const loss = (a: tf.Tensor) => tf.sum(tf.mul(bn.apply(a, { training: true }), dy));
        const y = bn.apply(x, { training: true });
        const dx = tf.grad(loss)(x);
        const { grads } = tf.variableGrads(() => loss(x) as tf.Scalar, bn.variables);
        const evalOut = bn.apply(tensor(shape, 24));
        return [y, dx, grads[bn.variables[0].name], grads[bn.variables[1].name], evalOut, tf.clone(bn.state![0]), tf.clone(bn.state![1])];
      } finally {
        bn.dispose!();
      }
    });
  }
  await useBackend('cpu');
});

test('batchNorm: bad configurations and inputs name the layer and the argument', () => {
  assert.throws(() => batchNorm({ channels: 0 }), /batchNorm: channels must be a positive integer, got 0/);
  assert.throws(() => batchNorm({} as never), /batchNorm: channels must be a positive integer, got undefined/);
  assert.throws(() => batchNorm({ channels: 2, momentum: 1 }), /batchNorm: momentum must be in \[0, 1\), got 1/);
  assert.throws(() => batchNorm({ channels: 2, epsilon: 0, name: 'D/bn' }), /batchNorm D\/bn: epsilon must be a finite number > 0, got 0/);
  assert.throws(() => batchNorm({ channels: 2, mommentum: 0.9 } as never), /batchNorm: unknown option 'mommentum'; known: channels, momentum/);
  assert.throws(() => batchNorm({ channels: 2, inputShape: [4, 3] }), /batchNorm: inputShape must have 1 to 3 entries ending in channels \(2\), got \[4, 3\]/);
  const bn = batchNorm({ channels: 2 });
  const bad: [number[], RegExp][] = [
    [[4, 3], /batchNorm: input must have shape \[batch, 2\], \[batch, T, 2\] or \[batch, H, W, 2\], got \[4, 3\]/],
    [[4], /got \[4\]/],
    [[1, 1, 1, 1, 2], /got \[1, 1, 1, 1, 2\]/],
    [[1, 2], /batchNorm: a training batch needs more than one value per channel to normalise, got input shape \[1, 2\]/],
  ];
  for (const [shape, re] of bad) {
    const x = tf.zeros(shape);
    assert.throws(() => bn.apply(x, { training: true }), re);
    x.dispose();
  }
  const fixed = batchNorm({ channels: 2, inputShape: [3, 2], name: 'bn3' });
  const x = tf.zeros([4, 5, 2]);
  assert.throws(() => fixed.apply(x, { training: true }), /bn3: input must have shape \[batch, 3, 2\], got \[4, 5, 2\]/);
  tf.dispose(x);
  bn.dispose!();
  fixed.dispose!();
});
