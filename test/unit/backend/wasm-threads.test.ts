import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { tf } from '../../../kernel-helpers/src/backend';
import { tensor, useBackend } from './backend-compare';

function child(threads: number): { threads: number; line: string; pools: { active: boolean; note: string }; out: number[][] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'threaded-child.ts')], {
    env: { ...process.env, GAN_COURSE_WASM_THREADS: String(threads) },
    encoding: 'utf8',
    timeout: 120000,
    maxBuffer: 64 << 20,
  });
  assert.equal(r.error, undefined, `child did not finish: ${r.error}`);
  assert.equal(r.status, 0, `child failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]);
}

test('two wasm threads give the cpu results and the process exits by itself', async () => {
  await useBackend('cpu');
  const ref = tf.tidy(() => {
    const x = tensor([4, 12, 12, 8], 1) as tf.Tensor4D;
    const w = tensor([3, 3, 8, 16], 2) as tf.Tensor4D;
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')));
    const [dx, dw] = tf.grads(f)([x, w]);
    const m = tf.matMul(tensor([300, 200], 3), tensor([200, 100], 4));
    const small = tf.add(tf.matMul(tensor([8, 4], 5), tensor([4, 3], 6)), 1);
    return [f(x, w), dx, dw, m, small, m].map((t) => Array.from(t.dataSync()));
  });
  const got = child(2);
  assert.equal(got.threads, 2, `expected 2 threads: ${got.line}`);
  assert.deepEqual(got.pools, { active: true, note: '' }, 'small kernels get a single-thread pool');
  assert.match(got.line, /SIMD, 2 threads/);
  got.out.forEach((arr, k) => {
    const scale = Math.max(1, ...ref[k].map(Math.abs));
    const worst = Math.max(...arr.map((v, i) => Math.abs(v - ref[k][i])));
    assert.ok(worst <= 1e-4 * scale, `output ${k} differs from cpu by ${worst} (scale ${scale})`);
  });
});

test('a bad thread count is refused clearly', async () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'threaded-child.ts')], {
    env: { ...process.env, GAN_COURSE_WASM_THREADS: 'two' }, encoding: 'utf8', timeout: 120000,
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /GAN_COURSE_WASM_THREADS must be an integer from 1 to 8, got 'two'/);
});
