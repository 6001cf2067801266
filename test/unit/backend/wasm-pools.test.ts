import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wantsMultiThread, MULTI_THREAD_FLOPS, MULTI_THREAD_ELEMENTS } from '../../../kernel-helpers/src/backend/wasmPools';
import { nativeBlas, setNativeBlasEnabled } from '../../../kernel-helpers/src/backend/nativeBlas';

const t = (shape: number[]) => ({ shape });

test('large products and convolutions take the whole thread pool, small ones one thread', () => {
  // 256^3 product: 33.5 MFLOP.
  assert.equal(wantsMultiThread('BatchMatMul', { a: t([256, 256]), b: t([256, 256]) }, {}), true);
  // 256x2 by 2x256: 0.26 MFLOP.
  assert.equal(wantsMultiThread('BatchMatMul', { a: t([256, 2]), b: t([2, 256]) }, {}), false);
  // transposeB: N is b's second-to-last axis.
  assert.equal(wantsMultiThread('BatchMatMul', { a: t([256, 256]), b: t([1, 256]) }, { transposeB: true }), false);
  assert.equal(wantsMultiThread('_FusedMatMul', { a: t([256, 256]), b: t([256, 256]) }, { transposeB: true }), true);
  // DCGAN's second conv: 64x14x14x32 input, 5x5x32x64 filter, stride 2 -> 321 MFLOP.
  assert.equal(wantsMultiThread('Conv2D', { x: t([64, 14, 14, 32]), filter: t([5, 5, 32, 64]) }, { strides: 2 }), true);
  assert.equal(wantsMultiThread('Conv2D', { x: t([1, 8, 8, 3]), filter: t([3, 3, 3, 4]) }, { strides: [1, 1] }), false);
  assert.equal(wantsMultiThread('DepthwiseConv2dNative', { x: t([32, 28, 28, 16]), filter: t([3, 3, 16, 1]) }, { strides: 1 }), true);
  assert.ok(MULTI_THREAD_FLOPS > 0);
});

test('other kernels go by the size of their largest input (one thread while OpenBLAS holds the others)', () => {
  const big = Math.ceil(Math.sqrt(MULTI_THREAD_ELEMENTS)) + 1;
  setNativeBlasEnabled(false);
  try {
    assert.equal(wantsMultiThread('Add', { a: t([big, big]), b: t([big]) }, {}), true);
    assert.equal(wantsMultiThread('Add', { a: t([256, 256]), b: t([256]) }, {}), false);
    // Concat passes its inputs as an array.
    assert.equal(wantsMultiThread('Concat', [t([big, big]), t([1, big])] as unknown as Record<string, unknown>, { axis: 0 }), true);
  } finally {
    setNativeBlasEnabled(true);
  }
  if (nativeBlas()) assert.equal(wantsMultiThread('Add', { a: t([big, big]), b: t([big]) }, {}), false);
});
