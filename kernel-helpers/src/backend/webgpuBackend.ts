/**
 * The `webgpu` backend: `@tensorflow/tfjs-backend-webgpu` on Dawn's Node bindings (the npm
 * package `webgpu`, prebuilt for Linux, macOS and Windows, no CUDA: it runs on the GPU
 * driver's Vulkan, Metal or D3D12). Both packages are optional dependencies.
 *
 * - `navigator.gpu` must exist before `@tensorflow/tfjs-backend-webgpu` is required (the
 *   package registers its backend only when it sees one); Node has no `navigator` before 21.
 * - The package's own backend factory is replaced by the course's, which requests the
 *   adapter chosen here (named in the backend line), the limits the course needs, and a
 *   backend whose synchronous reads fail with an explanation: in Node, `dataSync()` /
 *   `arraySync()` of a GPU tensor cannot work (tfjs reads through an OffscreenCanvas), and a
 *   tensor on the GPU cannot move to another backend. `await t.data()` works.
 * - Software adapters (Mesa's llvmpipe/lavapipe, SwiftShader, WARP) are refused by the
 *   automatic choice; a forced webgpu (`GAN_COURSE_BACKEND=webgpu`) takes whatever adapter
 *   exists, and on Linux, when Vulkan offers none, Dawn's OpenGL ES backend in compatibility
 *   mode on Mesa (`EGL_PLATFORM=surfaceless`, headless): correct, slow, used by the tests.
 * - After a failed `setBackend('webgpu')` tfjs still reports 'webgpu' as the backend; the
 *   factory is removed again on failure so that `tf.getBackend()` does not lie.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';

/** `GAN_COURSE_WEBGPU_API=<api>`: which of Dawn's backends to ask for an adapter. */
export const WEBGPU_API_ENV = 'GAN_COURSE_WEBGPU_API';
export const WEBGPU_APIS = ['vulkan', 'metal', 'd3d12', 'd3d11', 'opengl', 'opengles'] as const;
export type WebgpuApi = (typeof WEBGPU_APIS)[number];

/**
 * The limits the course's training ops need: WebGPU's core defaults, which every core
 * adapter meets; a compatibility-mode adapter (OpenGL ES) is checked against them.
 */
export const WEBGPU_REQUIRED_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 128 * 1024 * 1024,
  maxBufferSize: 256 * 1024 * 1024,
});

/** What the course knows about the adapter in use. */
export interface WebgpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  /** The driver's description (Vulkan: driver name and version; OpenGL ES: the GL version string). */
  description: string;
  /** The native API Dawn runs on: Vulkan, Metal, D3D12, D3D11, OpenGL, OpenGL ES. */
  api: string;
  featureLevel: 'core' | 'compatibility';
  /** A CPU rasteriser (llvmpipe, lavapipe, SwiftShader, WARP, or flagged as a fallback adapter). */
  software: boolean;
  /** One line: device, vendor/architecture, API, driver. */
  name: string;
  /** The adapter's limits (every numeric limit it reports). */
  limits: Record<string, number>;
  features: string[];
}

export interface WebgpuStart {
  ok: boolean;
  /** Why not (for the backend line), or '' when ok. */
  reason: string;
  adapter?: WebgpuAdapter;
}

// ---- minimal structural types (the packages are optional: no type imports from them)

interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuDeviceLike {
  limits: Record<string, number>;
  features: { has(f: string): boolean };
  lost: Promise<{ reason?: string; message?: string }>;
  onuncapturederror: ((e: { error: { message: string } }) => void) | null;
  pushErrorScope(filter: string): void;
  popErrorScope(): Promise<{ message: string } | null>;
  destroy(): void;
}
interface GpuAdapterLike {
  info: GpuAdapterInfoLike;
  limits: Record<string, number>;
  features: Iterable<string>;
  requestDevice(desc: { requiredLimits?: Record<string, number>; requiredFeatures?: string[] }): Promise<GpuDeviceLike>;
}
interface GpuLike {
  requestAdapter(opts?: Record<string, unknown>): Promise<GpuAdapterLike | null>;
}
interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}
type BackendClass = new (device: GpuDeviceLike, info: GpuAdapterInfoLike) => tf.KernelBackend;

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|softpipe|software rasterizer|microsoft basic render|\bwarp\b/i;

/** True for a CPU rasteriser: llvmpipe/lavapipe, SwiftShader, WARP, or an adapter flagged as fallback. */
export function isSoftwareAdapter(info: GpuAdapterInfoLike): boolean {
  if (info.isFallbackAdapter === true) return true;
  return SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' '));
}

/** The needed limits the adapter falls short of, as "name: has X, needs Y" (empty when none). */
export function webgpuLimitProblems(limits: Record<string, number | undefined>): string[] {
  const out: string[] = [];
  for (const [k, need] of Object.entries(WEBGPU_REQUIRED_LIMITS)) {
    const has = limits[k];
    if (typeof has !== 'number' || !(has >= need)) out.push(`${k}: has ${has ?? 'none'}, needs ${need}`);
  }
  return out;
}

/** "NVIDIA H200 (nvidia hopper), Vulkan, driver NVIDIA 550.90" style summary. */
export function adapterName(info: GpuAdapterInfoLike, api: string): string {
  const device = (info.device || '').trim() || 'unnamed device';
  const va = [info.vendor, info.architecture].map((s) => (s ?? '').trim()).filter(Boolean).join(' ');
  const driver = (info.description ?? '').trim();
  return `${device}${va ? ` (${va})` : ''}, ${api}${driver ? `, driver "${driver}"` : ''}`;
}

function defaultApi(): string {
  if (process.platform === 'darwin') return 'Metal';
  if (process.platform === 'win32') return 'D3D12';
  return 'Vulkan';
}

const API_LABEL: Record<WebgpuApi, string> = {
  vulkan: 'Vulkan', metal: 'Metal', d3d12: 'D3D12', d3d11: 'D3D11', opengl: 'OpenGL', opengles: 'OpenGL ES',
};

function requestedApi(): WebgpuApi | null {
  const v = process.env[WEBGPU_API_ENV];
  if (v == null || v.trim() === '') return null;
  const api = v.trim().toLowerCase();
  if ((WEBGPU_APIS as readonly string[]).includes(api)) return api as WebgpuApi;
  throw new Error(`${WEBGPU_API_ENV}: unknown API '${v}'. Valid names: ${WEBGPU_APIS.join(', ')}.`);
}

/** Whether the dynamic loader can find `lib` (Linux; elsewhere true). */
function linuxLibraryFound(lib: string): boolean {
  if (process.platform !== 'linux') return true;
  let listing = '';
  try {
    listing = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    listing = '';
  }
  if (listing.includes(lib)) return true;
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu'];
  return dirs.some((d) => fs.existsSync(`${d}/${lib}`));
}

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

let dawn: DawnModule | null = null;
const gpus = new Map<string, GpuLike>();
let active: { adapter: WebgpuAdapter; device: GpuDeviceLike } | null = null;

function loadDawn(): { ok: true; mod: DawnModule } | { ok: false; reason: string } {
  if (dawn) return { ok: true, mod: dawn };
  if (!installed('webgpu')) {
    return { ok: false, reason: 'webgpu not installed (an optional dependency: `npm install` puts it in on Linux x64/arm64, macOS and Windows x64/arm64)' };
  }
  try {
    const name = 'webgpu';
    dawn = require(name) as DawnModule;
  } catch (e) {
    const msg = firstLine(e);
    const hint = /ERR_REQUIRE_ESM|require\(\) of ES Module/i.test(msg) ? '; the webgpu package is an ES module: it needs Node >= 20.19' : '';
    return { ok: false, reason: `webgpu failed to load (${msg}${hint})` };
  }
  // GPUBufferUsage, GPUMapMode, GPUBuffer, ... as browser globals (tfjs uses them).
  for (const [k, v] of Object.entries(dawn.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  return { ok: true, mod: dawn };
}

function gpuFor(mod: DawnModule, api: WebgpuApi | null): GpuLike {
  const key = api ?? 'default';
  let g = gpus.get(key);
  if (!g) {
    g = mod.create(api ? [`backend=${api}`] : []);
    gpus.set(key, g);
  }
  return g;
}

/** `navigator.gpu`, created on Node's `navigator` (Node >= 21) or a plain object (Node 20). */
function exposeNavigatorGpu(gpu: GpuLike): void {
  const g = globalThis as { navigator?: Record<string, unknown> };
  if (g.navigator && typeof g.navigator === 'object') {
    if (g.navigator.gpu !== gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
}

interface Found {
  adapter: GpuAdapterLike;
  gpu: GpuLike;
  api: string;
  featureLevel: 'core' | 'compatibility';
}

/** Dawn's OpenGL ES backend on Mesa, headless, in compatibility mode (Linux). */
async function openGlesAdapter(mod: DawnModule): Promise<Found | null> {
  const saved = process.env.EGL_PLATFORM;
  if (saved === undefined) process.env.EGL_PLATFORM = 'surfaceless';
  try {
    const gpu = gpuFor(mod, 'opengles');
    const adapter = await gpu.requestAdapter({ featureLevel: 'compatibility', powerPreference: 'high-performance' });
    return adapter ? { adapter, gpu, api: 'OpenGL ES', featureLevel: 'compatibility' } : null;
  } finally {
    if (saved === undefined) delete process.env.EGL_PLATFORM;
  }
}

async function findAdapter(mod: DawnModule, forced: boolean, skipped: string[]): Promise<Found | null> {
  const api = requestedApi();
  if (api === 'opengles' || api === 'opengl') {
    if (api === 'opengles') return openGlesAdapter(mod);
    const gpu = gpuFor(mod, api);
    const adapter = await gpu.requestAdapter({ featureLevel: 'compatibility', powerPreference: 'high-performance' });
    return adapter ? { adapter, gpu, api: API_LABEL[api], featureLevel: 'compatibility' } : null;
  }
  const label = api ? API_LABEL[api] : defaultApi();
  // On Linux, Dawn's default (Vulkan) needs the Vulkan loader; without it Dawn only prints a warning.
  if ((api === null || api === 'vulkan') && !linuxLibraryFound('libvulkan.so.1')) {
    skipped.push('no Vulkan loader (libvulkan.so.1: install libvulkan1 and the GPU\'s Vulkan driver)');
  } else {
    const gpu = gpuFor(mod, api);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) return { adapter, gpu, api: label, featureLevel: 'core' };
    skipped.push(`no ${label} adapter`);
  }
  // A forced webgpu on Linux falls back to OpenGL ES (Mesa), which is how the tests run headless.
  if (forced && api === null && process.platform === 'linux') {
    const gl = await openGlesAdapter(mod);
    if (gl) return gl;
    skipped.push('no OpenGL ES adapter (Mesa\'s EGL: libegl-mesa0, libgles2)');
  }
  return null;
}

function summarize(found: Found): WebgpuAdapter {
  const info = found.adapter.info ?? {};
  const limits: Record<string, number> = {};
  for (const k in found.adapter.limits) {
    const v = (found.adapter.limits as Record<string, unknown>)[k];
    if (typeof v === 'number') limits[k] = v;
  }
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    api: found.api,
    featureLevel: found.featureLevel,
    software: isSoftwareAdapter(info),
    name: adapterName(info, found.api),
    limits,
    features: [...found.adapter.features].sort(),
  };
}

/** Thrown by the webgpu backend's synchronous read of a tensor that lives on the GPU. */
export class WebgpuSyncReadError extends Error {
  constructor() {
    super(
      'webgpu: this tensor lives on the GPU, and Node cannot read GPU memory synchronously ' +
        '(dataSync(), arraySync(), bufferSync(), print(), or moving the tensor to another backend). ' +
        'Read it with `await t.data()` / `await t.array()`, or run this code on wasm (GAN_COURSE_BACKEND=wasm).',
    );
    this.name = 'WebgpuSyncReadError';
  }
}

let engineWrapped = false;

/** A tensor moved from webgpu to another backend: say so, instead of tfjs's OffscreenCanvas error. */
function wrapEngineMoves(): void {
  if (engineWrapped) return;
  engineWrapped = true;
  const engine = tf.engine() as unknown as { moveData(backend: unknown, dataId: unknown): void; backendName: string };
  const move = engine.moveData;
  engine.moveData = function (this: typeof engine, backend: unknown, dataId: unknown) {
    try {
      return move.call(this, backend, dataId);
    } catch (e) {
      if (e instanceof WebgpuSyncReadError) {
        throw new Error(
          `a tensor on the webgpu backend cannot move to the '${this.backendName}' backend: Node cannot read GPU memory ` +
            'synchronously. Keep one backend per session, or copy it explicitly: ' +
            '`const values = await t.data();` then `tf.tensor(values, t.shape)` on the other backend.',
        );
      }
      throw e;
    }
  };
}

function courseBackendClass(Base: BackendClass): BackendClass {
  class CourseWebGPUBackend extends (Base as unknown as new (d: GpuDeviceLike, i: GpuAdapterInfoLike) => tf.KernelBackend & {
    tensorMap: { get(id: unknown): { values?: unknown; dtype: string } | undefined };
  }) {
    readSync(dataId: object): tf.BackendValues {
      const d = this.tensorMap.get(dataId);
      if (d && (d.values != null || d.dtype === 'string' || d.dtype === 'complex64')) return super.readSync(dataId);
      if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'undefined') throw new WebgpuSyncReadError();
      return super.readSync(dataId);
    }
  }
  return CourseWebGPUBackend as unknown as BackendClass;
}

let uncaptured = 0;

/**
 * Starts the webgpu backend. `forced`: take a software adapter too (and, on Linux, Dawn's
 * OpenGL ES backend when Vulkan has none). Never throws: failures come back as `ok: false`
 * with the reason, which names what is missing and what to do.
 */
export async function startWebgpu(opts: { forced: boolean }): Promise<WebgpuStart> {
  if (active && (opts.forced || !active.adapter.software) && tf.findBackend('webgpu')) {
    const ok = await tf.setBackend('webgpu');
    if (ok) return { ok: true, reason: '', adapter: active.adapter };
  }
  if (!installed('@tensorflow/tfjs-backend-webgpu')) {
    return { ok: false, reason: 'webgpu: @tensorflow/tfjs-backend-webgpu not installed (an optional dependency: run `npm install`)' };
  }
  const d = loadDawn();
  if (!d.ok) return { ok: false, reason: d.reason };
  const skipped: string[] = [];
  let found: Found | null;
  try {
    found = await findAdapter(d.mod, opts.forced, skipped);
  } catch (e) {
    return { ok: false, reason: `webgpu: ${firstLine(e)}` };
  }
  if (!found) {
    const what = skipped.length ? skipped.join('; ') : 'Dawn found no adapter';
    return { ok: false, reason: `webgpu: no adapter (${what}); a GPU needs its vendor's driver with Vulkan (Linux), Metal (macOS) or D3D12 (Windows)` };
  }
  const adapter = summarize(found);
  if (adapter.software && !opts.forced) {
    return {
      ok: false, adapter,
      reason: `webgpu: only a software adapter (${adapter.name}), not chosen automatically (GAN_COURSE_BACKEND=webgpu uses it)`,
    };
  }
  const short = webgpuLimitProblems(adapter.limits);
  if (short.length) {
    return {
      ok: false, adapter,
      reason: `webgpu: the adapter ${adapter.name} lacks limits the course's ops need (${short.join('; ')}); update the GPU driver, or use another backend`,
    };
  }
  let device: GpuDeviceLike;
  try {
    const requiredLimits: Record<string, number> = {};
    for (const k of Object.keys(WEBGPU_REQUIRED_LIMITS)) requiredLimits[k] = adapter.limits[k];
    device = await found.adapter.requestDevice({ requiredLimits });
  } catch (e) {
    return { ok: false, adapter, reason: `webgpu: the adapter ${adapter.name} refused a device (${firstLine(e)})` };
  }
  device.lost.then((info) => {
    if (info?.reason === 'destroyed') return;
    console.error(`webgpu: the GPU device was lost (${info?.reason ?? 'unknown'}: ${info?.message ?? ''}); restart the kernel, or use GAN_COURSE_BACKEND=wasm`);
  }, () => undefined);
  device.onuncapturederror = (e) => {
    uncaptured++;
    if (uncaptured <= 3) console.error(`webgpu error: ${e.error.message.split('\n')[0]}${uncaptured === 3 ? ' (further errors not shown)' : ''}`);
  };
  exposeNavigatorGpu(found.gpu);
  let Base: BackendClass;
  try {
    const name = '@tensorflow/tfjs-backend-webgpu';
    Base = (require(name) as { WebGPUBackend: BackendClass }).WebGPUBackend;
  } catch (e) {
    device.destroy();
    return { ok: false, adapter, reason: `webgpu: @tensorflow/tfjs-backend-webgpu failed to load (${firstLine(e)})` };
  }
  if (tf.getKernel(tf.BatchMatMul, 'webgpu') == null) {
    device.destroy();
    return {
      ok: false, adapter,
      reason: `webgpu: @tensorflow/tfjs-backend-webgpu registered its kernels on another copy of @tensorflow/tfjs-core (run \`npm dedupe\`; it needs tfjs-core ${tf.version_core})`,
    };
  }
  const Course = courseBackendClass(Base);
  if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
  const info = found.adapter.info;
  // Priority 0: tfjs never picks it by itself; initBackend() does.
  tf.registerBackend('webgpu', () => new Course(device, info), 0);
  const fail = (why: string): WebgpuStart => {
    try { tf.removeBackend('webgpu'); } catch { /* already gone */ }
    try { device.destroy(); } catch { /* ignore */ }
    return { ok: false, adapter, reason: `webgpu: the backend failed to start on ${adapter.name} (${why})` };
  };
  try {
    const ok = await tf.setBackend('webgpu');
    if (!ok) return fail('setBackend returned false');
  } catch (e) {
    return fail(firstLine(e));
  }
  // A smoke test, so that a broken driver is an error here and not wrong numbers later.
  try {
    device.pushErrorScope('validation');
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([1, 0, -1, 2, 0.5, 1], [3, 2])));
    const v = Array.from(await y.data());
    y.dispose();
    const err = await device.popErrorScope();
    const want = [0.5, 7, 2, 16];
    if (err) return fail(`a test product raised a validation error: ${err.message.split('\n')[0]}`);
    if (v.some((x, i) => Math.abs(x - want[i]) > 1e-4)) return fail(`a test product gave [${v}], expected [${want}]`);
  } catch (e) {
    return fail(`a test product failed: ${firstLine(e)}`);
  }
  wrapEngineMoves();
  active = { adapter, device };
  return { ok: true, reason: '', adapter };
}

/** The adapter of the running webgpu backend, or null. */
export function webgpuAdapter(): WebgpuAdapter | null {
  return active ? active.adapter : null;
}

/**
 * Looks for an adapter without starting the backend (for `doctor`): the adapter a forced
 * webgpu would use and its limits, or the reason there is none.
 */
export async function probeWebgpu(): Promise<WebgpuStart> {
  if (active) return { ok: true, reason: '', adapter: active.adapter };
  const d = loadDawn();
  if (!d.ok) return { ok: false, reason: d.reason };
  const skipped: string[] = [];
  try {
    const found = await findAdapter(d.mod, true, skipped);
    if (!found) return { ok: false, reason: `no adapter (${skipped.join('; ') || 'Dawn found none'})` };
    const adapter = summarize(found);
    const short = webgpuLimitProblems(adapter.limits);
    return { ok: short.length === 0, adapter, reason: short.length ? `lacks limits: ${short.join('; ')}` : '' };
  } catch (e) {
    return { ok: false, reason: firstLine(e) };
  }
}
