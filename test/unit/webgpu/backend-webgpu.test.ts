/**
 * The webgpu backend in initBackend(): adapter classification, the limits check, the
 * automatic choice refusing a software adapter, a forced webgpu naming its adapter, clear
 * errors for a missing adapter, a synchronous read and a tensor moved across backends.
 * On a machine without a GPU the adapter is Mesa's llvmpipe through Dawn's OpenGL ES backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tf, initBackend, BACKEND_NAMES, isSoftwareAdapter, webgpuLimitProblems, WEBGPU_REQUIRED_LIMITS, WEBGPU_API_ENV, webgpuAdapter,
} from '../../../kernel-helpers/src/backend';
import { REQUIRE_ENV, startWebgpu, webgpuReady } from './harness';

function withEnv<T>(vars: Record<string, string | undefined>, f: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(vars)) {
    saved[k] = process.env[k];
    if (vars[k] === undefined) delete process.env[k];
    else process.env[k] = vars[k];
  }
  return f().finally(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

test('webgpu sits between tfjs-node-gpu and tfjs-node in the order', () => {
  assert.deepEqual([...BACKEND_NAMES], ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);
});

test('software adapters are recognised by name or the fallback flag; hardware ones are not', () => {
  const software = [
    { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' },
    { vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 19.1.7, 256 bits)', description: 'Mesa 25.0.7 (lavapipe)' },
    { vendor: 'google', architecture: 'swiftshader', device: 'SwiftShader Device (Subzero)', description: 'SwiftShader driver' },
    { vendor: 'microsoft', architecture: '', device: 'Microsoft Basic Render Driver', description: 'D3D12 driver' },
    { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 550.90.07', isFallbackAdapter: true },
  ];
  for (const s of software) assert.equal(isSoftwareAdapter(s), true, JSON.stringify(s));
  const hardware = [
    { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 550.90.07 550.90.7.0' },
    { vendor: 'apple', architecture: 'metal-3', device: 'Apple M2', description: 'Metal driver on macOS 14' },
    { vendor: 'intel', architecture: 'gen-12lp', device: 'Intel(R) UHD Graphics 770', description: 'Intel open-source Mesa driver: Mesa 23.2.1' },
    { vendor: 'amd', architecture: 'rdna-3', device: 'AMD Radeon RX 7900 XTX (RADV NAVI31)', description: 'radv: Mesa 24.0' },
  ];
  for (const h of hardware) assert.equal(isSoftwareAdapter(h), false, JSON.stringify(h));
});

test('the limits check names each limit that falls short, with what the adapter has', () => {
  assert.deepEqual(webgpuLimitProblems({ ...WEBGPU_REQUIRED_LIMITS }), []);
  const problems = webgpuLimitProblems({ ...WEBGPU_REQUIRED_LIMITS, maxStorageBuffersPerShaderStage: 4, maxComputeInvocationsPerWorkgroup: undefined });
  assert.deepEqual(problems, ['maxStorageBuffersPerShaderStage: has 4, needs 8', 'maxComputeInvocationsPerWorkgroup: has none, needs 256']);
});

test('a forced webgpu without an adapter, or with an unknown API, is an error naming what is missing', async () => {
  // Dawn has no D3D12 on Linux or macOS; on Windows Vulkan stands in (no loader is checked there).
  const missing = process.platform === 'win32' ? 'metal' : 'd3d12';
  await withEnv({ [WEBGPU_API_ENV]: missing, GAN_COURSE_BACKEND: undefined }, async () => {
    await assert.rejects(initBackend({ backend: 'webgpu', quiet: true }),
      /backend 'webgpu' was requested but cannot be used: webgpu: no adapter \(no (D3D12|Metal) adapter\); a GPU needs its vendor's driver/);
    assert.notEqual(tf.getBackend(), 'webgpu');
  });
  await withEnv({ [WEBGPU_API_ENV]: 'glide' }, async () => {
    await assert.rejects(initBackend({ backend: 'webgpu', quiet: true }), /GAN_COURSE_WEBGPU_API: unknown API 'glide'\. Valid names: vulkan, metal, d3d12, d3d11, opengl, opengles/);
  });
});

test('the automatic choice never takes a software adapter, and says why it skipped webgpu', async () => {
  // Point Dawn at OpenGL ES, where this machine's adapter (if any) is Mesa's llvmpipe.
  await withEnv({ [WEBGPU_API_ENV]: process.platform === 'linux' ? 'opengles' : undefined, GAN_COURSE_BACKEND: undefined }, async () => {
    await tf.setBackend('cpu');
    const info = await initBackend({ quiet: true });
    console.log(`# automatic: ${info.line}`);
    if (info.name === 'webgpu') {
      assert.equal(info.adapter?.software, false, `the automatic choice took a software adapter: ${info.line}`);
      assert.equal(info.gpu, true);
    } else {
      assert.match(info.reason, /webgpu: /);
      if (process.env[REQUIRE_ENV] === '1') assert.match(info.reason, /webgpu: only a software adapter \(.+\), not chosen automatically \(GAN_COURSE_BACKEND=webgpu uses it\)/);
    }
  });
});

test('a forced webgpu uses the adapter there is and names it in the backend line', async (t) => {
  if (!(await webgpuReady(t))) return;
  const info = (await startWebgpu()).info!;
  assert.equal(info.name, 'webgpu');
  assert.equal(info.tfBackend, 'webgpu');
  assert.equal(tf.getBackend(), 'webgpu');
  const a = info.adapter!;
  assert.equal(webgpuAdapter(), a);
  assert.ok(a.name.length > 0 && info.line.includes(a.name), info.line);
  assert.ok(!info.line.includes('\n'));
  if (a.software) {
    assert.equal(info.gpu, false);
    assert.match(info.line, /^backend: webgpu \(software adapter .+: a CPU rasteriser, correct but slow, not a GPU\)/);
  } else {
    assert.equal(info.gpu, true);
    assert.match(info.line, /^backend: webgpu \(GPU: /);
  }
  for (const [k, need] of Object.entries(WEBGPU_REQUIRED_LIMITS)) assert.ok(a.limits[k] >= need, `${k} ${a.limits[k]}`);
  const again = await initBackend({ backend: 'webgpu', quiet: true });
  assert.equal(again, info);
});

test('dataSync of a GPU tensor is a clear error; await data() works; values already read are served', async (t) => {
  if (!(await webgpuReady(t))) return;
  await tf.setBackend('webgpu');
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const y = tf.matMul(a, a);
  assert.throws(() => y.dataSync(), /webgpu: this tensor lives on the GPU, and Node cannot read GPU memory synchronously .*await t\.data\(\)/);
  assert.throws(() => y.arraySync(), /cannot read GPU memory synchronously/);
  assert.deepEqual(Array.from(await y.data()), [7, 10, 15, 22]);
  assert.deepEqual(Array.from(y.dataSync()), [7, 10, 15, 22]);
  tf.dispose([a, y]);
});

test('a GPU tensor used on another backend: a clear error, not an OffscreenCanvas one', async (t) => {
  if (!(await webgpuReady(t))) return;
  await tf.setBackend('webgpu');
  const y = tf.tidy(() => tf.relu(tf.matMul(tf.ones([3, 3]), tf.ones([3, 3]))));
  await tf.setBackend('cpu');
  assert.throws(() => tf.add(y, 1), /a tensor on the webgpu backend cannot move to the 'cpu' backend: Node cannot read GPU memory synchronously.*tf\.tensor\(values, t\.shape\)/);
  await tf.setBackend('webgpu');
  assert.deepEqual(Array.from(await y.data()), new Array(9).fill(3));
  y.dispose();
});
