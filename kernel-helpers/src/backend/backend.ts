/**
 * `initBackend()`: picks the fastest compute backend that really works on this machine,
 * in the order tfjs-node-gpu (only with a GPU in use) > webgpu (only on a hardware adapter)
 * > tfjs-node > wasm (with the course's training kernels) > cpu, and says in one line what
 * it chose and why.
 * `GAN_COURSE_BACKEND=<name>` (or `initBackend({ backend })`) forces one; a forced backend
 * that cannot start is an error, never a silent fallback. A forced webgpu takes whatever
 * adapter exists, software ones included, and names it.
 */
import { BACKEND_NAMES, BackendName } from './backendNames';

export { BACKEND_NAMES };
export type { BackendName };
import * as tf from '@tensorflow/tfjs-core';
import { loadNative } from './nativeBackends';
import { startWasm } from './wasmBackend';
import { startWebgpu, WebgpuAdapter } from './webgpuBackend';
import { ensureCourseGradients } from './courseGradients';



export interface BackendInfo {
  /** The course's name for the backend. */
  name: BackendName;
  /** The tfjs backend name (`tf.getBackend()`): 'tensorflow', 'webgpu', 'wasm' or 'cpu'. */
  tfBackend: string;
  /** True only when a GPU really computes: TensorFlow reports a GPU device, or webgpu runs on a hardware adapter. */
  gpu: boolean;
  /** webgpu: the adapter in use (vendor, architecture, driver, limits). */
  adapter?: WebgpuAdapter;
  /** wasm: XNNPACK threads. */
  threads?: number;
  /** wasm: SIMD build in use. */
  simd?: boolean;
  /** wasm: products and convolutions run natively (OpenBLAS) on the wasm heap. */
  nativeBlas?: boolean;
  /** Why the backends before it in the order were not used (empty when it was the first choice). */
  reason: string;
  /** The one-line summary printed by `initBackend()`. */
  line: string;
}

export interface InitBackendOptions {
  /** Force a backend (overrides GAN_COURSE_BACKEND). */
  backend?: BackendName;
  /** Do not print the backend line. */
  quiet?: boolean;
}

export const BACKEND_ENV = 'GAN_COURSE_BACKEND';

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

function parseName(v: string, source: string): BackendName {
  const name = v.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new Error(`${source}: unknown backend '${v}'. Valid names: ${BACKEND_NAMES.join(', ')}.`);
}

function requested(opts: InitBackendOptions): BackendName | null {
  if (opts.backend != null) return parseName(String(opts.backend), 'initBackend({ backend })');
  const env = process.env[BACKEND_ENV];
  if (env != null && env.trim() !== '') return parseName(env, BACKEND_ENV);
  return null;
}

function describe(name: BackendName, extra: Partial<BackendInfo>, skipped: string[], threadNote = ''): BackendInfo {
  const tfBackend = name === 'wasm' || name === 'cpu' || name === 'webgpu' ? name : 'tensorflow';
  let detail = '';
  if (name === 'wasm') {
    const t = extra.threads ?? 1;
    const notes = [threadNote, extra.nativeBlas ? 'products and convolutions on OpenBLAS' : ''].filter(Boolean).join('; ');
    detail = ` (${extra.simd ? 'SIMD' : 'no SIMD'}, ${t} thread${t === 1 ? '' : 's'}${notes ? `: ${notes}` : ''})`;
  } else if (name === 'tfjs-node-gpu') {
    detail = ' (GPU)';
  } else if (name === 'webgpu' && extra.adapter) {
    const a = extra.adapter;
    detail = a.software
      ? ` (software adapter ${a.name}${a.featureLevel === 'compatibility' ? ', compatibility mode' : ''}: a CPU rasteriser, correct but slow, not a GPU)`
      : ` (GPU: ${a.name}${a.featureLevel === 'compatibility' ? ', compatibility mode' : ''})`;
  } else if (name === 'cpu') {
    detail = ' (pure JavaScript: far too slow to train conv nets)';
  }
  const reason = skipped.join(', ');
  const line = `backend: ${name}${detail}${reason ? ` — ${reason}` : ''}`;
  return { name, tfBackend, gpu: false, reason, line, ...extra };
}

/** tfjs-node-gpu was loaded but computes on the CPU: it then serves as tfjs-node. */
let nativeGpuPackageOnCpu = false;

async function tryBackend(name: BackendName, skipped: string[], forced: boolean): Promise<BackendInfo | null> {
  switch (name) {
    case 'tfjs-node-gpu': {
      const r = await loadNative('@tensorflow/tfjs-node-gpu');
      if (!r.ok) { skipped.push(r.reason); return null; }
      if (!r.gpu) {
        // The GPU package holds libtensorflow now, so it also serves as tfjs-node, after webgpu.
        skipped.push(r.reason);
        nativeGpuPackageOnCpu = true;
        return forced ? describe('tfjs-node', { gpu: false }, skipped) : null;
      }
      return describe('tfjs-node-gpu', { gpu: true }, skipped);
    }
    case 'webgpu': {
      const r = await startWebgpu({ forced });
      if (!r.ok) { skipped.push(r.reason); return null; }
      return describe('webgpu', { gpu: !r.adapter!.software, adapter: r.adapter }, skipped);
    }
    case 'tfjs-node': {
      if (nativeGpuPackageOnCpu) {
        const ok = await tf.setBackend('tensorflow').catch(() => false);
        if (!ok) { skipped.push('tfjs-node-gpu backend failed to initialise'); return null; }
        return describe('tfjs-node', { gpu: false }, skipped);
      }
      const r = await loadNative('@tensorflow/tfjs-node');
      if (!r.ok) { skipped.push(r.reason); return null; }
      return describe('tfjs-node', { gpu: r.gpu }, skipped);
    }
    case 'wasm': {
      const r = await startWasm();
      if (!r.ok) { skipped.push(r.reason); return null; }
      return describe('wasm', { simd: r.simd, threads: r.threads, nativeBlas: r.nativeBlas }, skipped, r.threadNote);
    }
    case 'cpu': {
      const ok = await tf.setBackend('cpu');
      // The cpu backend prints a banner recommending tfjs-node on its first tensor; the
      // backend line already says that.
      const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
      if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
      if (!ok) { skipped.push('cpu backend failed to initialise'); return null; }
      return describe('cpu', {}, skipped);
    }
  }
}

async function select(force: BackendName | null): Promise<BackendInfo> {
  const skipped: string[] = [];
  if (force) {
    const info = await tryBackend(force, skipped, true);
    if (!info || (force === 'tfjs-node-gpu' && !info.gpu)) {
      throw new Error(
        `backend '${force}' was requested but cannot be used: ${skipped.join('; ')}. ` +
        `Unset ${BACKEND_ENV} (or pass another backend) to choose automatically; valid names: ${BACKEND_NAMES.join(', ')}.`);
    }
    return info;
  }
  for (const name of BACKEND_NAMES) {
    const info = await tryBackend(name, skipped, false);
    if (info) return info;
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.join('; ')}`);
}

/**
 * Chooses and activates the compute backend; prints one line saying which and why (unless
 * `quiet`). Calling it again returns the same choice at once, unless another backend is
 * requested.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const force = requested(opts);
  ensureCourseGradients();
  if (pending) await pending.catch(() => undefined);
  if (current && (force == null || force === current.name) && tf.getBackend() === current.tfBackend) {
    if (!opts.quiet) console.log(current.line);
    return current;
  }
  pending = select(force);
  try {
    current = await pending;
  } finally {
    pending = null;
  }
  if (!opts.quiet) console.log(current.line);
  return current;
}

/** The backend chosen by the last `initBackend()`, or null if it was not called yet. */
export function describeBackend(): BackendInfo | null {
  return current;
}
