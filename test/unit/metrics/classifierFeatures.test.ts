/**
 * The classifier's features as a perceptual loss: built from the shipped classifier's own
 * weights (dense1 after the ReLU is its `features`), 28x28 inputs pooled in tf as
 * `toClassifierSize` pools on the host, pre- vs post-activation, a frozen copy (no new
 * trainable variables), the loss's zero, its input gradient against a finite difference, errors.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { loadDigits } from '../../../kernel-helpers/src/data';
import { classifierFeatureExtractor, DigitClassifier, loadDigitClassifier, perceptualLoss, toClassifierSize } from '../../../kernel-helpers/src/metrics';
import { maxAbsDiff, useBackend } from '../backend/backend-compare';

let clf: DigitClassifier;
/** Four test digits, 28x28 in [-1, 1], and the same at 14x14. */
let x28: tf.Tensor4D;
let x14: tf.Tensor4D;

before(async () => {
  await useBackend('cpu');
  clf = loadDigitClassifier();
  const d = loadDigits({ size: 28, split: 'test' });
  const n = 4;
  const px = d.images.slice(0, n * 784).map((v) => 2 * v - 1);
  x28 = tf.tensor4d(px, [n, 28, 28, 1]);
  x14 = tf.tensor4d(toClassifierSize(px, n, 28), [n, 14, 14, 1]);
});

test('shapes; 28x28 inputs are pooled as toClassifierSize pools; dense1 after the ReLU is the classifier\'s features', () => {
  const conv2 = classifierFeatureExtractor(clf, { layer: 'conv2' });
  const dense1 = classifierFeatureExtractor(clf, { layer: 'dense1', preActivation: false });
  assert.equal(conv2.dim, 1568);
  assert.equal(dense1.dim, 64);
  const [a, b, c, ref] = [conv2(x28), conv2(x14), dense1(x14), clf.features(x14)];
  assert.deepEqual(a.shape, [4, 1568]);
  assert.deepEqual(c.shape, [4, 64]);
  assert.ok(maxAbsDiff(a, b) < 1e-5, `28x28 vs pooled 14x14: ${maxAbsDiff(a, b)}`);
  assert.ok(maxAbsDiff(c, ref) < 1e-4, `dense1 vs DigitClassifier.features: ${maxAbsDiff(c, ref)}`);
  tf.dispose([a, b, c, ref]);
  conv2.dispose();
  dense1.dispose();
});

test('pre- and post-activation features differ: post is relu(pre), zero exactly where pre is negative', () => {
  for (const layer of ['conv2', 'dense1'] as const) {
    const pre = classifierFeatureExtractor(clf, { layer, preActivation: true });
    const post = classifierFeatureExtractor(clf, { layer, preActivation: false });
    const p = pre(x14).dataSync();
    const q = post(x14).dataSync();
    let negatives = 0;
    for (let i = 0; i < p.length; i++) {
      if (p[i] < 0) {
        negatives++;
        assert.equal(q[i], 0);
      } else assert.ok(Math.abs(q[i] - p[i]) <= 1e-6 * Math.max(1, Math.abs(p[i])));
    }
    // Enough negatives that the post-activation loss is blind to a real share of the features.
    assert.ok(negatives > 0.1 * p.length, `${layer}: ${negatives} of ${p.length} pre-activation features are negative`);
    pre.dispose();
    post.dispose();
  }
});

test('the extractor is a frozen copy: no new trainable variable, and dispose frees its tensors', () => {
  const vars = Object.keys(tf.engine().registeredVariables).length;
  const tensors = tf.memory().numTensors;
  const f = classifierFeatureExtractor(clf);
  assert.equal(Object.keys(tf.engine().registeredVariables).length, vars);
  const before = f(x14);
  // Changing the classifier afterwards does not change the extractor.
  const saved = tf.clone(clf.vars.c1w);
  const zeros = tf.zerosLike(clf.vars.c1w);
  clf.vars.c1w.assign(zeros);
  const after = f(x14);
  clf.vars.c1w.assign(saved);
  assert.equal(maxAbsDiff(before, after), 0);
  tf.dispose([before, after, saved, zeros]);
  f.dispose();
  assert.equal(tf.memory().numTensors, tensors);
  assert.throws(() => f(x14), /has been disposed/);
});

test('perceptual loss: zero for identical images, positive otherwise; the input gradient is finite, nonzero and matches a finite difference', () => {
  for (const layer of ['conv2', 'dense1'] as const) {
    const f = classifierFeatureExtractor(clf, { layer });
    const target = tf.reverse(x28, 0) as tf.Tensor4D; // other digits
    const same = perceptualLoss(f, x28, x28);
    assert.equal(same.dataSync()[0], 0);
    const loss = (x: tf.Tensor4D) => perceptualLoss(f, x, target);
    const l0 = loss(x28);
    assert.ok(l0.dataSync()[0] > 0.05, `${layer}: loss between different digits ${l0.dataSync()[0]}`);
    const g = tf.grad((x: tf.Tensor) => loss(x as tf.Tensor4D))(x28);
    const gv = g.dataSync();
    assert.ok(gv.every(Number.isFinite), 'finite gradient');
    let p = 0;
    for (let i = 0; i < gv.length; i++) if (Math.abs(gv[i]) > Math.abs(gv[p])) p = i;
    assert.ok(Math.abs(gv[p]) > 0, 'nonzero gradient');
    const h = 1e-2;
    const at = (t: number) =>
      tf.tidy(() => {
        const e = new Float32Array(gv.length);
        e[p] = t;
        return loss(tf.add(x28, tf.tensor4d(e, x28.shape)) as tf.Tensor4D).dataSync()[0];
      });
    const fd = (at(h) - at(-h)) / (2 * h);
    assert.ok(Math.abs(fd - gv[p]) < 0.03 * Math.abs(gv[p]), `${layer}: pixel ${p}: finite difference ${fd} vs gradient ${gv[p]}`);
    tf.dispose([target, same, l0, g]);
    f.dispose();
  }
});

test('errors', () => {
  assert.throws(() => classifierFeatureExtractor(clf, { layer: 'conv3' as 'conv2' }), /classifierFeatureExtractor: layer must be one of 'conv2', 'dense1', got "conv3"/);
  assert.throws(() => classifierFeatureExtractor(clf, { preactivation: true } as object), /unknown option 'preactivation'/);
  const f = classifierFeatureExtractor(clf);
  assert.throws(() => f(tf.zeros([2, 7, 7, 1]) as tf.Tensor4D), /input must have shape \[batch, 14, 14, 1\] or \[batch, 28, 28, 1\], got \[2, 7, 7, 1\]/);
  assert.throws(() => f(tf.zeros([2, 28, 28, 3]) as tf.Tensor4D), /got \[2, 28, 28, 3\]/);
  assert.throws(() => perceptualLoss(f, x28, x14), /a and b must have the same shape, got \[4, 28, 28, 1\] and \[4, 14, 14, 1\]/);
  f.dispose();
});
