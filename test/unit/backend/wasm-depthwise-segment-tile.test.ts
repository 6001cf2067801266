import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { assertSameOnBackends, tensor, useBackend } from './backend-compare';

test('depthwiseConv2d forward and gradients match cpu', async () => {
  const cases: { x: number[]; f: number[]; s: 1 | 2; pad: 'same' | 'valid' | number }[] = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 1], s: 1, pad: 'same' },
    { x: [2, 8, 8, 2], f: [3, 3, 2, 3], s: 2, pad: 'same' },
    { x: [1, 9, 7, 4], f: [5, 3, 4, 2], s: 2, pad: 'valid' },
    { x: [3, 6, 6, 2], f: [3, 3, 2, 1], s: 1, pad: 1 },
  ];
  for (const c of cases) {
    await assertSameOnBackends(`depthwise x=[${c.x}] f=[${c.f}] s=${c.s} pad=${c.pad}`, () => {
      const x = tensor(c.x, 1) as tf.Tensor4D;
      const w = tensor(c.f, 2) as tf.Tensor4D;
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad);
      const y = f(x, w);
      const r = tensor(y.shape, 3);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), r)))([x, w]);
      return [y, dx, dw];
    });
  }
});

test('depthwise backprop kernels with dilation 2 are the adjoints of the forward conv', async () => {
  // The cpu backend's depthwise backprop kernels ignore dilation, so both gradients are
  // checked against their definition with the (correct) forward conv on cpu:
  // dW[k] = <dy, conv(x, e_k)> and dX[k] = <dy, conv(e_k, w)>.
  const attrs = { strides: [1, 1], dilations: [2, 2], pad: 'same' };
  const xShape: [number, number, number, number] = [1, 7, 7, 2];
  const fShape: [number, number, number, number] = [3, 3, 2, 2];
  await useBackend('wasm');
  const x = tensor(xShape, 4) as tf.Tensor4D;
  const w = tensor(fShape, 5) as tf.Tensor4D;
  const dy = tensor([1, 7, 7, 4], 6);
  const dw = (tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: fShape }) as tf.Tensor).dataSync();
  const dx = (tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: xShape }) as tf.Tensor).dataSync();
  await useBackend('cpu');
  const adjoint = (got: ArrayLike<number>, shape: [number, number, number, number], apply: (e: tf.Tensor4D) => tf.Tensor, what: string) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const e = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      e.fill(0);
      e[k] = 1;
      const ref = tf.tidy(() => tf.sum(tf.mul(dy, apply(tf.tensor4d(e, shape)))).dataSync()[0]);
      assert.ok(Math.abs(ref - got[k]) <= 1e-4 * Math.max(1, Math.abs(ref)), `${what}[${k}] = ${got[k]}, adjoint gives ${ref}`);
    }
  };
  adjoint(dw, fShape, (e) => tf.depthwiseConv2d(x, e, 1, 'same', 'NHWC', 2), 'dW');
  adjoint(dx, xShape, (e) => tf.depthwiseConv2d(e, w, 1, 'same', 'NHWC', 2), 'dX');
  tf.dispose([x, w, dy]);
});

test('unsortedSegmentSum and the gather gradient match cpu', async () => {
  await assertSameOnBackends('unsortedSegmentSum', () => {
    const x = tensor([6, 4], 1);
    const ids = tf.tensor1d([2, 0, 2, 4, 1, 0], 'int32');
    return [tf.unsortedSegmentSum(x, ids, 5)];
  });
  await assertSameOnBackends('gather gradient', () => {
    const table = tensor([10, 3], 2);
    const idx = tf.tensor1d([1, 7, 1, 3, 9, 1, 0], 'int32');
    const r = tensor([7, 3], 3);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), r)))(table);
    return [g];
  });
});

test('tile forward and gradient match cpu, including the BatchNorm-like broadcast case', async () => {
  const cases: { x: number[]; reps: number[] }[] = [
    { x: [1, 1, 1, 8], reps: [4, 5, 5, 1] },
    { x: [2, 3], reps: [3, 2] },
    { x: [3], reps: [4] },
    { x: [2, 1, 3], reps: [1, 3, 2] },
  ];
  for (const c of cases) {
    await assertSameOnBackends(`tile x=[${c.x}] reps=[${c.reps}]`, () => {
      const x = tensor(c.x, 1);
      const y = tf.tile(x, c.reps);
      const r = tensor(y.shape, 2);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, c.reps), r)))(x);
      return [y, g];
    });
  }
  await assertSameOnBackends('tile int32', () => [tf.tile(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), [2, 3]).toFloat()]);
});

test('cast on wasm shares the buffer for the same dtype and converts otherwise', async () => {
  await assertSameOnBackends('cast', () => {
    const x = tf.tensor1d([1.7, -2.2, 0, 3.5]);
    const same = tf.cast(x, 'float32');
    const asInt = tf.cast(x, 'int32');
    const back = tf.cast(asInt, 'float32');
    const relu = tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(x);
    return [same, back, relu];
  }, 0);
});

test('tile and segment sum reject bad arguments clearly', async () => {
  await useBackend('wasm');
  const x = tf.zeros([2, 3]);
  assert.throws(() => tf.engine().runKernel('Tile', { x }, { reps: [2] }), /Tile.*reps \[2\].*one entry per axis/);
  const ids = tf.tensor1d([0, 1, 0], 'int32');
  assert.throws(() => tf.engine().runKernel('UnsortedSegmentSum', { x, segmentIds: ids }, { numSegments: 2 }),
    /UnsortedSegmentSum.*segmentIds shape \[3\].*prefix.*\[2,3\]/);
  tf.dispose([x, ids]);
});
