/**
 * Loading the native TensorFlow backends (`@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`).
 * Both are optional dependencies: they download libtensorflow at install time and are absent
 * where that fails. Both register the backend 'tensorflow' on the tfjs-core they import,
 * which must be the course's own instance (npm dedupes it at the same version).
 *
 * tfjs-node-gpu 4.22 needs CUDA 11.2 and cuDNN 8.1; with other CUDA versions it starts
 * anyway and silently computes on the CPU. The binding knows whether TensorFlow found a
 * GPU device, and the presence of the CUDA 11 / cuDNN 8 libraries explains why not.
 */
import { execFileSync } from 'child_process';
import * as tf from '@tensorflow/tfjs-core';

export type NativePackage = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';

export interface NativeLoad {
  /** The package is loaded and the 'tensorflow' backend is active. */
  ok: boolean;
  /** True when TensorFlow reports a GPU device in use. */
  gpu: boolean;
  /** Short explanation, for the backend line ("not installed", "no GPU device: ..."). */
  reason: string;
}

let loadedPackage: NativePackage | null = null;

function installed(pkg: NativePackage): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** Which CUDA 11 / cuDNN 8 libraries the dynamic loader can find (Linux only). */
export function cudaLibraries(): { cudart: boolean; cudnn: boolean } | null {
  if (process.platform !== 'linux') return null;
  let listing = '';
  try {
    listing = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    listing = '';
  }
  const fs = require('fs') as typeof import('fs');
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  const has = (lib: string) => listing.includes(lib) || dirs.some((d) => fs.existsSync(`${d}/${lib}`));
  return { cudart: has('libcudart.so.11.0'), cudnn: has('libcudnn.so.8') };
}

/** Asks the active 'tensorflow' backend whether it placed ops on a GPU. */
function usingGpu(): boolean {
  const be = tf.findBackend('tensorflow') as unknown as {
    isUsingGpuDevice?: boolean | (() => boolean);
    binding?: { isUsingGpuDevice?: () => boolean };
  } | null;
  if (!be) return false;
  if (typeof be.isUsingGpuDevice === 'boolean') return be.isUsingGpuDevice;
  if (typeof be.isUsingGpuDevice === 'function') return !!be.isUsingGpuDevice();
  if (be.binding && typeof be.binding.isUsingGpuDevice === 'function') return !!be.binding.isUsingGpuDevice();
  return false;
}

/**
 * Loads `pkg` and activates its backend. Never throws: failures come back as `ok: false`
 * with the reason.
 */
export async function loadNative(pkg: NativePackage): Promise<NativeLoad> {
  const short = pkg.replace('@tensorflow/', '');
  if (loadedPackage && loadedPackage !== pkg) {
    return { ok: false, gpu: false, reason: `${short} not loaded (${loadedPackage.replace('@tensorflow/', '')} already holds libtensorflow)` };
  }
  if (!installed(pkg)) return { ok: false, gpu: false, reason: `${short} not installed` };
  try {
    require(pkg);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return { ok: false, gpu: false, reason: `${short} failed to load (${msg})` };
  }
  loadedPackage = pkg;
  if (tf.findBackendFactory('tensorflow') == null) {
    return {
      ok: false, gpu: false,
      reason: `${short} registered its backend on another copy of @tensorflow/tfjs-core (run \`npm dedupe\`; it needs tfjs-core ${tf.version_core})`,
    };
  }
  try {
    const ok = await tf.setBackend('tensorflow');
    if (!ok) return { ok: false, gpu: false, reason: `${short} backend failed to initialise` };
  } catch (e) {
    return { ok: false, gpu: false, reason: `${short} backend failed to initialise (${e instanceof Error ? e.message : String(e)})` };
  }
  const gpu = usingGpu();
  if (pkg === '@tensorflow/tfjs-node-gpu' && !gpu) {
    const libs = cudaLibraries();
    const missing = libs ? [libs.cudart ? '' : 'libcudart.so.11.0', libs.cudnn ? '' : 'libcudnn.so.8'].filter(Boolean) : [];
    const why = missing.length ? `${missing.join(', ')} not found; tfjs-node-gpu 4.22 needs CUDA 11.2 + cuDNN 8.1` : 'TensorFlow found no usable GPU device';
    return { ok: true, gpu: false, reason: `tfjs-node-gpu runs on the CPU: ${why}` };
  }
  return { ok: true, gpu, reason: '' };
}
