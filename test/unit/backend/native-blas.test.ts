/** The native products (OpenBLAS on the wasm heap): present where they can be built, and safe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tf, nativeBlasStatus } from '../../../kernel-helpers/src/backend';
import { nativeBlas, nativeBlasFile } from '../../../kernel-helpers/src/backend/nativeBlas';
import { useBackend } from './backend-compare';

function openBlasInstalled(): boolean {
  const ld = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  return /libopenblas\w*\.so/.test(ld.stdout ?? '');
}

test('where a C compiler and OpenBLAS exist, the build made the native module and wasm uses it', async (t) => {
  if (process.env.GAN_COURSE_NATIVE_BLAS === '0') {
    t.skip('GAN_COURSE_NATIVE_BLAS=0 turns the native module off');
    return;
  }
  const cc = spawnSync(process.env.CC || 'cc', ['--version'], { encoding: 'utf8' });
  if (cc.error || !openBlasInstalled()) {
    t.skip(`no ${cc.error ? 'C compiler' : 'OpenBLAS library'} on this machine: the XNNPACK kernels run alone`);
    return;
  }
  assert.ok(fs.existsSync(nativeBlasFile()), `${nativeBlasFile()} was not built: run \`npm run build\` and read its 'native BLAS kernels' line`);
  await useBackend('wasm');
  assert.deepEqual(nativeBlasStatus(), { active: true, reason: '' });
});

test('the native module refuses offsets outside the heap and wrong arguments', async (t) => {
  const lib = nativeBlas();
  if (!lib) {
    t.skip(`native module not in use: ${nativeBlasStatus().reason}`);
    return;
  }
  const heap = new Float32Array(64);
  assert.throws(() => lib.sgemm(heap, 0, 0, 60, 4, 4, 4, 0, 0, 0), /sgemm: operand outside the heap/);
  assert.throws(() => lib.sgemm(heap, -1, 0, 0, 2, 2, 2, 0, 0, 0), /must be >= 0/);
  assert.throws(() => lib.sgemm(new Float64Array(8) as unknown as Float32Array, 0, 0, 0, 1, 1, 1, 0, 0, 0), /must be the wasm heap as a Float32Array/);
  assert.throws(() => lib.im2col(heap, 0, 16, 1, 4, 4, 1, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1), /im2col: operand outside the heap/);
  assert.throws(() => lib.im2col(heap, 0, 0, 1, 2, 2, 1, 2, 2, 1, 1, 0, 1, 0, 0, 1, 1), /strides and dilations must be >= 1/);
  assert.throws(() => lib.copyRuns(heap, 0, 4, 60, 4, 3, 4), /copy_runs: operand outside the heap/);
  assert.throws(() => lib.copyRuns(heap, 0, 2, 32, 4, 3, 4), /source runs overlap/);
  heap.set([1, 2, 3, 4, 5, 6]);
  lib.copyRuns(heap, 1, 3, 40, 2, 2, 2); // [2,3] and [5,6]
  assert.deepEqual(Array.from(heap.subarray(40, 44)), [2, 3, 5, 6]);
  // A correct small product: [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]], and its transposes.
  heap.set([1, 2, 3, 4, 5, 6, 7, 8]);
  lib.sgemm(heap, 0, 4, 8, 2, 2, 2, 0, 0, 0);
  assert.deepEqual(Array.from(heap.subarray(8, 12)), [19, 22, 43, 50]);
  lib.sgemm(heap, 0, 4, 8, 2, 2, 2, 1, 1, 0);
  assert.deepEqual(Array.from(heap.subarray(8, 12)), [23, 31, 34, 46]);
  await useBackend('wasm');
  assert.ok(tf.getBackend() === 'wasm');
});
