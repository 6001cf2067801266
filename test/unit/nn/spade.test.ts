/**
 * SPADE (nn/spade.ts). The check the chapter shows: for a UNIFORM mask, a conv followed by
 * instance normalisation (or by batch normalisation over a batch of identical uniform masks)
 * outputs zero whatever the class, so the class is lost, while spadeNorm's output depends on
 * it. Then: the mask's resizing, the gradients against finite differences, eval mode and the
 * errors.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { batchNorm, conv2d, instanceNorm, parameterCount, spadeNorm, upsampleNearest2x } from '../../../kernel-helpers/src/nn';
import { tensor, useBackend } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

before(async () => {
  await useBackend('cpu');
});

const K = 4;

/** [n, size, size, K] one-hot map in which every pixel has class k. */
function uniformMask(n: number, size: number, k: number): tf.Tensor4D {
  return tf.tidy(() => tf.oneHot(tf.fill([n, size, size], k, 'int32'), K).toFloat() as tf.Tensor4D);
}

function maxAbs(t: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);
}

test('a uniform mask through conv + instance norm, or batch norm over identical masks, is zero whatever the class; SPADE keeps the class', () => {
  // 'valid' padding: away from the border a conv of a constant map is constant (zero padding
  // would make the border rows differ, and normalisation would then keep that, not the class).
  const conv = conv2d({ inChannels: K, filters: 8, kernelSize: 3, padding: 'valid', seed: 1 });
  const spade = spadeNorm({ channels: 8, classes: K, hidden: 8, seed: 2 });
  const outputs: tf.Tensor[] = [];
  for (let k = 0; k < K; k++) {
    const m = uniformMask(3, 8, k);
    const h = conv.apply(m);
    const scale = maxAbs(h);
    assert.ok(scale > 0.1, `the conv's output carries the class (max |h| = ${scale})`);
    // In exact arithmetic h - mean(h) is 0. With epsilon 1 nothing amplifies float32 rounding,
    // so the output is zero to 1e-6.
    for (const [name, norm] of [
      ['instanceNorm', instanceNorm({ channels: 8, epsilon: 1 })],
      ['batchNorm', batchNorm({ channels: 8, epsilon: 1 })],
    ] as const) {
      const y = norm.apply(h, { training: true });
      assert.ok(maxAbs(y) <= 1e-6, `class ${k}: ${name} output max |y| = ${maxAbs(y)}`);
      tf.dispose(y);
    }
    // With the usual epsilon (1e-5) the division by sqrt(0 + epsilon) amplifies the mean's
    // rounding error (about one float32 ulp of h) some 300 times: still nothing of the class.
    for (const [name, norm] of [
      ['instanceNorm', instanceNorm({ channels: 8 })],
      ['batchNorm', batchNorm({ channels: 8 })],
    ] as const) {
      const y = norm.apply(h, { training: true });
      assert.ok(maxAbs(y) <= 1e-4 * scale, `class ${k}: ${name} (epsilon 1e-5) output max |y| = ${maxAbs(y)}`);
      tf.dispose(y);
    }
    // SPADE on the same features: the normalised part is zero, the mask-driven offset is not.
    outputs.push(spade.apply(h, { training: true, condition: uniformMask(3, 6, k) }));
    tf.dispose([m, h]);
  }
  for (let a = 0; a < K; a++) {
    for (let b = a + 1; b < K; b++) {
      const d = tf.tidy(() => maxAbs(tf.sub(outputs[a], outputs[b])));
      assert.ok(d > 0.05, `spadeNorm's outputs for classes ${a} and ${b} differ by ${d}`);
    }
  }
  tf.dispose(outputs);
  conv.dispose!();
  spade.dispose!();
});

test('spadeNorm reads the mask at any integer multiple of the input size, by nearest picking', () => {
  const spade = spadeNorm({ channels: 3, classes: K, hidden: 4, seed: 3 });
  assert.equal(spade.variables.length, 6);
  assert.equal(spade.state!.length, 3, "batch norm's running statistics");
  assert.equal(parameterCount(spade), 3 * 3 * K * 4 + 4 + 2 * (3 * 3 * 4 * 3 + 3));
  const x = tensor([2, 4, 4, 3], 1);
  const labels = tf.tensor3d(Array.from({ length: 32 }, (_, i) => (i * 7) % K), [2, 4, 4], 'int32');
  const m1 = tf.oneHot(labels, K).toFloat();
  const m2 = upsampleNearest2x(m1);
  const m4 = upsampleNearest2x(m2);
  const opts = { training: true, updateStats: false } as const;
  const y1 = spade.apply(x, { ...opts, condition: m1 });
  for (const m of [m2, m4]) {
    const y = spade.apply(x, { ...opts, condition: m });
    assert.ok(tf.tidy(() => maxAbs(tf.sub(y, y1))) === 0, `a ${m.shape[1]}x${m.shape[2]} mask gives the same output`);
    y.dispose();
  }
  assert.deepEqual(y1.shape, [2, 4, 4, 3]);
  tf.dispose([x, labels, m1, m2, m4, y1]);
  spade.dispose!();
});

test('spadeNorm gradients with respect to x and to its weights match finite differences', () => {
  const spade = spadeNorm({ channels: 3, classes: 3, hidden: 4, seed: 4 });
  const x = tf.variable(tensor([2, 4, 4, 3], 5));
  const labels = tf.tensor3d(Array.from({ length: 128 }, (_, i) => Math.floor(i / 5) % 3), [2, 8, 8], 'int32');
  const m = tf.oneHot(labels, 3).toFloat();
  const dy = tensor([2, 4, 4, 3], 6);
  const f = () => tf.sum(tf.mul(spade.apply(x, { training: true, updateStats: false, condition: m }), dy)) as tf.Scalar;
  // The shared conv's ReLU has kinks: second-order differences with a step too small to cross one.
  const r = gradCheck(f, [x, ...spade.variables], { order: 2, h: 1e-3, directions: 4, seed: 7 });
  assert.ok(r.worstRelError < 2e-2, `worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  tf.dispose([x, labels, m, dy]);
  spade.dispose!();
});

test('spadeNorm in eval mode uses the running statistics, which exist only after a training pass', () => {
  const spade = spadeNorm({ channels: 2, classes: K, seed: 8 });
  const x = tensor([4, 4, 4, 2], 9);
  const m = uniformMask(4, 4, 1);
  assert.throws(() => spade.apply(x, { condition: m }), /eval mode \(training: false\) normalises by running statistics, and there are none yet/);
  tf.dispose(spade.apply(x, { training: true, condition: m }));
  const a = spade.apply(x, { training: true, updateStats: false, condition: m });
  const b = spade.apply(x, { condition: m });
  // One training batch: the running statistics are that batch's, so eval equals training mode.
  assert.ok(tf.tidy(() => maxAbs(tf.sub(a, b))) < 1e-5);
  tf.dispose([x, m, a, b]);
  spade.dispose!();
});

test('spadeNorm refuses a missing mask, the wrong classes, batch or size, with opts.condition named', () => {
  const spade = spadeNorm({ channels: 2, classes: K, name: 'G/block0/norm0', seed: 10 });
  const x = tensor([2, 4, 4, 2], 11);
  const opts = { training: true };
  assert.throws(() => spade.apply(x, opts), /spadeNorm G\/block0\/norm0: opts.condition is missing; pass the one-hot semantic map \[batch, H, W, 4\]/);
  const bad: [number[], RegExp][] = [
    [[2, 4, 4, 3], /opts.condition must have shape \[2, H, W, 4\] \(batch 2, one channel per class\), got \[2, 4, 4, 3\]/],
    [[1, 4, 4, 4], /opts.condition must have shape \[2, H, W, 4\].*got \[1, 4, 4, 4\]/],
    [[2, 6, 6, 4], /opts.condition must be an integer multiple of the input's 4x4 in height and width, got 6x6/],
    [[2, 2, 2, 4], /opts.condition must be an integer multiple of the input's 4x4 in height and width, got 2x2/],
  ];
  for (const [shape, re] of bad) {
    const m = tf.zeros(shape);
    assert.throws(() => spade.apply(x, { ...opts, condition: m }), re);
    m.dispose();
  }
  assert.throws(() => spadeNorm({ channels: 2, classes: 0 }), /spadeNorm spade: classes must be a positive integer, got 0/);
  assert.throws(() => spadeNorm({ channels: 2, classes: 2, hiddden: 3 } as never), /spadeNorm spade: unknown option 'hiddden'/);
  const wrongX = tensor([2, 4, 4, 3], 12);
  assert.throws(() => spade.apply(wrongX, { ...opts, condition: uniformMask(2, 4, 0) }), /G\/block0\/norm0: input must have shape \[batch, \*, \*, 2\]/);
  tf.dispose([x, wrongX]);
  spade.dispose!();
});
