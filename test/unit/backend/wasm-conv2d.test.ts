import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { assertSameOnBackends, tensor, useBackend } from './backend-compare';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

const cases: { x: number[]; f: number[]; s: 1 | 2; pad: Pad }[] = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4], s: 1, pad: 'valid' },
  { x: [1, 8, 6, 2], f: [5, 5, 2, 3], s: 2, pad: 'same' },
  { x: [3, 9, 9, 2], f: [5, 5, 2, 3], s: 2, pad: 'valid' },
  { x: [2, 6, 6, 1], f: [3, 3, 1, 2], s: 2, pad: 1 },
  { x: [2, 6, 5, 2], f: [3, 2, 2, 2], s: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [4, 28, 28, 1], f: [5, 5, 1, 8], s: 2, pad: 'same' },
  { x: [3, 6, 5, 4], f: [1, 1, 4, 6], s: 1, pad: 'same' },
  { x: [3, 6, 5, 4], f: [1, 1, 4, 6], s: 1, pad: 'valid' },
  { x: [2, 7, 7, 4], f: [1, 1, 4, 3], s: 2, pad: 'valid' },
];

test('conv2d forward and gradients (Conv2DBackpropFilter/Input) match cpu', async () => {
  for (const c of cases) {
    await assertSameOnBackends(`conv2d x=[${c.x}] f=[${c.f}] s=${c.s} pad=${JSON.stringify(c.pad)}`, () => {
      const x = tensor(c.x, 1) as tf.Tensor4D;
      const w = tensor(c.f, 2) as tf.Tensor4D;
      const loss = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad);
        return tf.sum(tf.mul(y, tensor(y.shape, 3)));
      };
      const y = tf.conv2d(x, w, c.s, c.pad);
      const [dx, dw] = tf.grads(loss)([x, w]);
      return [y, dx, dw];
    });
  }
});

const tcases: { x: number[]; f: number[]; out: number[]; s: 1 | 2; pad: 'same' | 'valid' | number }[] = [
  { x: [2, 7, 7, 6], f: [5, 5, 4, 6], out: [2, 14, 14, 4], s: 2, pad: 'same' },
  { x: [3, 4, 4, 3], f: [3, 3, 2, 3], out: [3, 9, 9, 2], s: 2, pad: 'valid' },
  { x: [2, 5, 5, 3], f: [3, 3, 2, 3], out: [2, 5, 5, 2], s: 1, pad: 'same' },
  { x: [2, 5, 5, 3], f: [3, 3, 2, 3], out: [2, 7, 7, 2], s: 1, pad: 'valid' },
  { x: [1, 3, 3, 2], f: [4, 4, 1, 2], out: [1, 6, 6, 1], s: 2, pad: 1 },
];

test('conv2dTranspose forward and gradients match cpu', async () => {
  for (const c of tcases) {
    await assertSameOnBackends(`conv2dTranspose x=[${c.x}] f=[${c.f}] s=${c.s} pad=${c.pad}`, () => {
      const x = tensor(c.x, 4) as tf.Tensor4D;
      const w = tensor(c.f, 5) as tf.Tensor4D;
      const shape = c.out as [number, number, number, number];
      const fwd = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, shape, c.s, c.pad);
      const y = fwd(x, w);
      const r = tensor(y.shape, 6);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fwd(a, b), r)))([x, w]);
      return [y, dx, dw];
    });
  }
});

test('conv backprop kernels called directly with rounding and odd sizes match cpu', async () => {
  await assertSameOnBackends('Conv2DBackpropFilter ceil rounding', () => {
    const x = tensor([2, 9, 8, 3], 7);
    const dy = tensor([2, 5, 5, 2], 8);
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
      { strides: [2, 2], pad: 1, dataFormat: 'NHWC', dimRoundingMode: 'ceil', filterShape: [3, 3, 3, 2] }) as tf.Tensor;
    return [dw];
  });
  await assertSameOnBackends('Conv2DBackpropInput, stride 2 with pads larger than the filter (col2im path)', () => {
    const dy = tensor([2, 6, 6, 3], 9);
    const w = tensor([3, 3, 2, 3], 10);
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w },
      { strides: [2, 2], pad: [[0, 0], [4, 4], [4, 4], [0, 0]], dataFormat: 'NHWC', inputShape: [2, 6, 6, 2] }) as tf.Tensor;
    return [dx];
  });
  await assertSameOnBackends('Conv2DBackpropFilter, many channels, stride 2 (conv path)', () => {
    const x = tensor([2, 9, 9, 6], 11);
    const dy = tensor([2, 5, 5, 4], 12);
    return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 6, 4] }) as tf.Tensor];
  });
});

test('conv backprop kernels reject shape mismatches with a clear error', async () => {
  await useBackend('wasm');
  const x = tf.zeros([1, 8, 8, 2]);
  const dy = tf.zeros([1, 3, 3, 4]);
  assert.throws(
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 4] }),
    /Conv2DBackpropFilter.*dy has shape \[1,3,3,4\].*\[1,4,4,4\]/);
  const w = tf.zeros([3, 3, 5, 4]);
  assert.throws(
    () => tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.zeros([1, 4, 4, 4]), filter: w }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 8, 8, 2] }),
    /Conv2DBackpropInput.*in-channels 5.*input channels 2/);
  assert.throws(
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 4] }),
    /only dataFormat 'NHWC'/);
  tf.dispose([x, dy, w]);
});

// (tfjs itself has no gradient for dilated convolutions, so only the forward pass.)
test('dilated conv2d forward matches cpu', async () => {
  for (const pad of ['same', 'valid'] as const) {
    await assertSameOnBackends(`conv2d dilation 2 pad ${pad}`, () => {
      const x = tensor([2, 9, 8, 3], 51) as tf.Tensor4D;
      const w = tensor([3, 3, 3, 4], 52) as tf.Tensor4D;
      return [tf.conv2d(x, w, 1, pad, 'NHWC', 2), tf.conv2d(x, w, 1, pad, 'NHWC', [2, 1])];
    });
  }
});
