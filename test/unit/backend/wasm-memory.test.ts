import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, initBackend, memoryReport } from '../../../kernel-helpers/src/backend';
import { tensor } from './backend-compare';

for (const perKernelCheck of [true, false]) {
test(`a conv/convT/dense training step on wasm leaks neither tensors nor wasm heap (${perKernelCheck ? "tfjs's per-kernel check" : 'cached derived filters'})`, async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  // With IS_TEST tfjs checks after every kernel that the backend holds no extra data ids
  // (derived filters are then not cached); without it, the cache must stay bounded.
  tf.env().set('IS_TEST', perKernelCheck);
  try {
    const vars = {
      w1: tf.variable(tf.mul(tensor([3, 3, 1, 4], 1), 0.3)),
      w2: tf.variable(tf.mul(tensor([3, 3, 2, 4], 2), 0.3)),
      d: tf.variable(tf.mul(tensor([8 * 8 * 2, 3], 3), 0.1)),
      b: tf.variable(tf.zeros([3])),
      e: tf.variable(tf.mul(tensor([10, 2], 4), 0.1)),
    };
    const x = tensor([4, 8, 8, 1], 5) as tf.Tensor4D;
    const ids = tf.tensor1d([1, 3, 3, 7], 'int32');
    const step = () => tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        let h = tf.conv2d(x, vars.w1 as tf.Tensor4D, 2, 'same'); // [4,4,4,4]
        h = tf.relu(h);
        h = tf.conv2dTranspose(h as tf.Tensor4D, vars.w2 as tf.Tensor4D, [4, 8, 8, 2], 2, 'same');
        const scale = tf.tile(tf.reshape(tf.gather(vars.e, ids), [4, 1, 1, 2]), [1, 8, 8, 1]);
        h = tf.mul(h, scale);
        const logits = tf.fused.matMul({ a: tf.reshape(h, [4, -1]), b: vars.d, bias: vars.b, activation: 'relu' });
        const dwc = tf.depthwiseConv2d(x, tf.ones([3, 3, 1, 2]) as tf.Tensor4D, 1, 'same');
        return tf.add(tf.mean(tf.square(logits)), tf.mul(1e-3, tf.mean(dwc))) as tf.Scalar;
      });
      for (const v of Object.values(vars)) v.assign(tf.sub(v, tf.mul(0.01, grads[v.name])));
      return value.dataSync()[0];
    });
    const backend = tf.backend();
    for (let i = 0; i < 5; i++) step();
    const before = memoryReport();
    const idsBefore = backend.numDataIds();
    for (let i = 0; i < 60; i++) step();
    const after = memoryReport();
    assert.equal(backend.numDataIds(), idsBefore, 'backend data ids grew');
    assert.equal(after.numTensors, before.numTensors, 'tensor count grew');
    assert.equal(after.numBytes, before.numBytes, 'tensor bytes grew');
    assert.ok(before.wasmHeapBytes != null);
    assert.equal(after.wasmHeapBytes, before.wasmHeapBytes, 'wasm heap grew');
    tf.dispose([x, ids, ...Object.values(vars)]);
  } finally {
    tf.env().set('IS_TEST', false);
  }
});
}
