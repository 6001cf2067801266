/**
 * Shared by the webgpu tests: starts the webgpu backend once per test file (a forced
 * webgpu: on a machine without a GPU that is Dawn's OpenGL ES backend on Mesa's llvmpipe,
 * a software GPU), runs computations on cpu (the reference) and on webgpu, and compares.
 *
 * Where no adapter comes up the tests skip, printing why; with GAN_COURSE_REQUIRE_WEBGPU=1
 * (set by CI, whose machines have Mesa) they fail with the reason instead.
 * Reads are asynchronous (`await t.data()`): `dataSync()` cannot work on webgpu in Node.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { tf, initBackend, BackendInfo } from '../../../kernel-helpers/src/backend';

export const REQUIRE_ENV = 'GAN_COURSE_REQUIRE_WEBGPU';

let started: Promise<{ info: BackendInfo | null; reason: string }> | null = null;

/** Starts webgpu (once); throws with the reason when it cannot start and REQUIRE_ENV=1. */
export async function startWebgpu(): Promise<{ info: BackendInfo | null; reason: string }> {
  if (!started) {
    started = (async () => {
      try {
        const info = await initBackend({ backend: 'webgpu', quiet: true });
        console.log(`# ${info.line}`);
        return { info, reason: '' };
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        if (process.env[REQUIRE_ENV] === '1') {
          throw new Error(`${REQUIRE_ENV}=1 but the webgpu backend did not start: ${reason}`);
        }
        console.log(`# webgpu tests skipped: ${reason}`);
        return { info: null, reason };
      }
    })();
  }
  return started;
}

/** In a test: true when webgpu runs; otherwise marks the test skipped (with the reason) and returns false. */
export async function webgpuReady(t: TestContext): Promise<boolean> {
  const s = await startWebgpu();
  if (!s.info) {
    t.skip(`no webgpu adapter: ${s.reason}`);
    return false;
  }
  return true;
}

/** Deterministic values in [-1, 1) (small LCG, the same on every backend). */
export function values(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

export function tensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tensor(values(shape.reduce((a, b) => a * b, 1), seed, scale), shape);
}

export interface Output { shape: number[]; data: Float32Array }

/** Runs `f` on `backend` and reads its outputs asynchronously. `f` may create variables: dispose them in `f`'s cleanup. */
export async function outputsOn(backend: 'cpu' | 'webgpu', f: () => tf.Tensor[]): Promise<Output[]> {
  await tf.setBackend(backend);
  // The cpu backend's banner recommending tfjs-node (initBackend silences it the same way).
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
  const outs = tf.tidy(f);
  const res: Output[] = [];
  for (const t of outs) res.push({ shape: t.shape.slice(), data: Float32Array.from(await t.data()) });
  tf.dispose(outs);
  return res;
}

/** Largest |got - ref| over the largest |ref| (at least 1e-6), per output; the worst of them. */
export function relativeError(ref: Output[], got: Output[]): { worst: number; at: string } {
  let worst = 0;
  let at = '';
  ref.forEach((r, k) => {
    const g = got[k];
    assert.deepEqual(g.shape, r.shape, `output ${k} shape`);
    let scale = 1e-6;
    for (const v of r.data) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < r.data.length; i++) {
      const e = Math.abs(g.data[i] - r.data[i]) / scale;
      if (!(e <= worst)) {
        worst = e;
        at = `output ${k}[${i}]: webgpu ${g.data[i]}, cpu ${r.data[i]}`;
      }
    }
  });
  return { worst, at };
}

/** Runs `f` on cpu and webgpu; asserts agreement to `tol` (relative to each output's largest value); returns the error. */
export async function assertSameOnWebgpu(label: string, f: () => tf.Tensor[], tol = 1e-4): Promise<number> {
  const ref = await outputsOn('cpu', f);
  const got = await outputsOn('webgpu', f);
  assert.equal(got.length, ref.length, `${label}: number of outputs`);
  const { worst, at } = relativeError(ref, got);
  assert.ok(worst <= tol, `${label}: relative difference ${worst.toExponential(2)} > ${tol} (${at})`);
  return worst;
}

/**
 * Finite-difference check of d(value)/d(vars), as test/unit/nn/gradcheck.ts but with
 * asynchronous reads: central differences of order 4 (or 2) along random unit directions
 * and the first coordinate of every variable.
 */
export async function gradCheckAsync(
  value: () => tf.Scalar,
  vars: tf.Variable[],
  opts: { h?: number; order?: 2 | 4; directions?: number; seed?: number; floor?: number } = {},
): Promise<{ worstRelError: number; probes: { fd: number; analytic: number }[] }> {
  const h = opts.h ?? 1e-2;
  const floor = opts.floor ?? 1e-3;
  const { value: v0, grads } = tf.variableGrads(value, vars);
  v0.dispose();
  const g: number[][] = [];
  for (const v of vars) g.push(grads[v.name] ? Array.from(await grads[v.name].data()) : new Array(v.size).fill(0));
  tf.dispose(Object.values(grads));
  const theta: number[][] = [];
  for (const v of vars) theta.push(Array.from(await v.data()));
  const evalAt = async (dir: number[][], t: number): Promise<number> => {
    vars.forEach((v, i) => v.assign(tf.tidy(() => tf.tensor(theta[i].map((x, j) => x + t * dir[i][j]), v.shape))));
    const p = value();
    const out = (await p.data())[0];
    p.dispose();
    return out;
  };
  let seed = opts.seed ?? 1;
  const dirs: number[][][] = [];
  for (let k = 0; k < (opts.directions ?? 3); k++) {
    const d = theta.map((th) => Array.from(values(th.length, seed++)));
    const n = Math.sqrt(d.flat().reduce((s, x) => s + x * x, 0));
    dirs.push(d.map((row) => row.map((x) => x / n)));
  }
  for (let i = 0; i < vars.length; i++) dirs.push(theta.map((th, j) => th.map((_, q) => (j === i && q === 0 ? 1 : 0))));
  const probes: { fd: number; analytic: number }[] = [];
  for (const d of dirs) {
    const fd = opts.order === 2
      ? ((await evalAt(d, h)) - (await evalAt(d, -h))) / (2 * h)
      : (8 * ((await evalAt(d, h)) - (await evalAt(d, -h))) - ((await evalAt(d, 2 * h)) - (await evalAt(d, -2 * h)))) / (12 * h);
    const analytic = g.reduce((s, gi, i) => s + gi.reduce((a, x, j) => a + x * d[i][j], 0), 0);
    probes.push({ fd, analytic });
  }
  vars.forEach((v, i) => v.assign(tf.tidy(() => tf.tensor(theta[i], v.shape))));
  const scale = Math.max(...probes.map((p) => Math.abs(p.analytic)));
  const worstRelError = Math.max(
    ...probes.map((p) => Math.abs(p.fd - p.analytic) / Math.max(Math.abs(p.fd), Math.abs(p.analytic), floor, 1e-3 * scale)),
  );
  return { worstRelError, probes };
}
