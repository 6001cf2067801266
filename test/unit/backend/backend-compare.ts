/**
 * Runs the same tensor computation on the `cpu` backend (the reference) and on `wasm` with
 * the course's training kernels, and compares every output element-wise.
 */
import assert from 'node:assert/strict';
import { tf, initBackend, nativeBlasStatus, setNativeBlasEnabled } from '../../../kernel-helpers/src/backend';

/** Deterministic values in [-1, 1) (small LCG; no dependence on tfjs's own RNG). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);
}

let wasmReady = false;

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm' && !wasmReady) {
    await initBackend({ backend: 'wasm', quiet: true });
    wasmReady = true;
  }
  await tf.setBackend(name);
}

async function outputsOn(name: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<{ shape: number[]; data: Float32Array }[]> {
  await useBackend(name);
  const outs = tf.tidy(f);
  const res = outs.map((t) => ({ shape: t.shape, data: Float32Array.from(t.dataSync()) }));
  tf.dispose(outs);
  return res;
}

/**
 * Asserts that `f` gives the same outputs on wasm as on cpu, to `tol` relative to the
 * largest magnitude of each reference output (float32 sums of many terms differ in order).
 */
/**
 * Asserts that `f` gives the same outputs on wasm as on cpu, to `tol` relative to the
 * largest magnitude of each reference output (float32 sums of many terms differ in order).
 * Where the native products are built, wasm runs twice: with them and with the XNNPACK
 * kernels alone, so that both paths are checked.
 */
export async function assertSameOnBackends(label: string, f: () => tf.Tensor[], tol = 1e-4): Promise<void> {
  const ref = await outputsOn('cpu', f);
  const variants: [string, boolean][] = [['', true]];
  await useBackend('wasm');
  if (nativeBlasStatus().active) variants.push([' (XNNPACK kernels, native products off)', false]);
  for (const [suffix, native] of variants) {
    setNativeBlasEnabled(native);
    let got: { shape: number[]; data: Float32Array }[];
    try {
      got = await outputsOn('wasm', f);
    } finally {
      setNativeBlasEnabled(true);
    }
    compare(label + suffix, ref, got, tol);
  }
}

function compare(label: string, ref: { shape: number[]; data: Float32Array }[], got: { shape: number[]; data: Float32Array }[], tol: number): void {
  assert.equal(got.length, ref.length, `${label}: number of outputs`);
  ref.forEach((r, k) => {
    const g = got[k];
    assert.deepEqual(g.shape, r.shape, `${label}: output ${k} shape`);
    let scale = 1;
    for (const v of r.data) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    let at = -1;
    for (let i = 0; i < r.data.length; i++) {
      const d = Math.abs(g.data[i] - r.data[i]);
      if (!(d <= worst)) { worst = d; at = i; }
    }
    assert.ok(worst <= tol * scale,
      `${label}: output ${k} differs by ${worst} at ${at} (wasm ${g.data[at]}, cpu ${r.data[at]}, scale ${scale})`);
  });
}

/** The largest absolute difference between two tensors of the same size. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}
