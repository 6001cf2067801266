import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, initBackend, describeBackend, BACKEND_NAMES, wasmTrainingKernels } from '../../../kernel-helpers/src/backend';

test('an unknown backend name is refused with the list of valid names', async () => {
  await assert.rejects(initBackend({ backend: 'gpu' as never, quiet: true }),
    /unknown backend 'gpu'\. Valid names: tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu/);
  const saved = process.env.GAN_COURSE_BACKEND;
  process.env.GAN_COURSE_BACKEND = 'webgl';
  try {
    await assert.rejects(initBackend({ quiet: true }), /GAN_COURSE_BACKEND: unknown backend 'webgl'/);
  } finally {
    if (saved === undefined) delete process.env.GAN_COURSE_BACKEND;
    else process.env.GAN_COURSE_BACKEND = saved;
  }
});

test('forcing wasm gives the training kernels and a one-line report; a second call is cached', async () => {
  const info = await initBackend({ backend: 'wasm', quiet: true });
  assert.equal(info.name, 'wasm');
  assert.equal(info.tfBackend, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(info.gpu, false);
  assert.ok((info.threads ?? 0) >= 1);
  assert.match(info.line, /^backend: wasm \((SIMD|no SIMD), \d+ threads?(: [^)]*)?\)/);
  assert.ok(!info.line.includes('\n'));
  for (const k of wasmTrainingKernels) {
    assert.equal(tf.getKernel(k.kernelName, 'wasm')?.kernelFunc, k.kernelFunc, `${k.kernelName} is the course's kernel`);
  }
  // The stock kernels the replacements call still work after a plain setBackend.
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]), true, false).arraySync());
  assert.deepEqual(y, [[26, 30], [38, 44]]);
  const t0 = Date.now();
  const again = await initBackend({ backend: 'wasm', quiet: true });
  assert.equal(again, info);
  assert.ok(Date.now() - t0 < 50);
  assert.equal(describeBackend(), info);
});

test('a forced native backend that is not installed is an error, not a silent fallback', async (t) => {
  let installed = true;
  try { require.resolve('@tensorflow/tfjs-node'); } catch { installed = false; }
  if (installed) { t.skip('@tensorflow/tfjs-node is installed here'); return; }
  await assert.rejects(initBackend({ backend: 'tfjs-node', quiet: true }), /backend 'tfjs-node' was requested but cannot be used: tfjs-node not installed/);
  assert.equal(BACKEND_NAMES.length, 5);
});

test('automatic choice prints the reason for skipping the faster backends', async () => {
  const saved = process.env.GAN_COURSE_BACKEND;
  delete process.env.GAN_COURSE_BACKEND;
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    await tf.setBackend('cpu'); // so the cached choice does not apply
    const info = await initBackend();
    assert.equal(lines.length, 1);
    assert.equal(lines[0], info.line);
    if (info.name === 'wasm') assert.match(info.reason, /tfjs-node-gpu .*tfjs-node /);
  } finally {
    console.log = log;
    if (saved !== undefined) process.env.GAN_COURSE_BACKEND = saved;
  }
});
