/**
 * The GRU's recurrence as one operation, forward and backward through time in plain loops
 * over the tensors' data, for the CPU backends (wasm, cpu).
 *
 * Why: a GRU layer written with tfjs ops launches about 14 kernels per time step forward and
 * twice that backward, each on a [batch, hidden] tensor of a few hundred numbers, so at the
 * course's sequence sizes (batch 32, hidden 12-24, 24 steps) the engine's per-kernel cost is
 * nearly all of the time (about 2,000 kernels and 20 us each for one layer's forward and
 * backward pass). Here the whole recurrence is one kernel each way.
 *
 * Input: the input projections of every step, p = x W + b, [batch, T, 3H] (gates z, r, n in
 * that order; the projection stays a tfjs matmul), and the recurrent kernel U [H, 3H]:
 *   z_t = sigmoid(p_z + h_{t-1} U_z),  r_t = sigmoid(p_r + h_{t-1} U_r)
 *   n_t = tanh(p_n + (r_t * h_{t-1}) U_n),  h_t = h_{t-1} + z_t (n_t - h_{t-1}),  h_0 = 0
 * Output: every state h_1..h_T, [batch, T, H]. The same function as nn/gru.ts's op graph.
 *
 * First order only: its gradient is computed, not built from differentiable ops, so it
 * cannot itself be differentiated. A gradient penalty through it (R1, GP) would be silently
 * wrong, so the backward pass throws when a gradient tape is recording it.
 */
import * as tf from '@tensorflow/tfjs-core';

const sig = (a: number) => 1 / (1 + Math.exp(-a));

interface Saved {
  B: number;
  T: number;
  H: number;
  u: Float32Array;
  /** h_{t-1}, z, r, n per step, each [T, B, H]. */
  hPrev: Float32Array;
  z: Float32Array;
  r: Float32Array;
  n: Float32Array;
}

function forward(p: Float32Array, u: Float32Array, B: number, T: number, H: number): { states: Float32Array; saved: Saved } {
  const H3 = 3 * H;
  const states = new Float32Array(B * T * H);
  const size = T * B * H;
  const saved: Saved = { B, T, H, u, hPrev: new Float32Array(size), z: new Float32Array(size), r: new Float32Array(size), n: new Float32Array(size) };
  const h = new Float64Array(H);
  const rh = new Float64Array(H);
  for (let b = 0; b < B; b++) {
    h.fill(0);
    for (let t = 0; t < T; t++) {
      const pRow = (b * T + t) * H3;
      const at = (t * B + b) * H;
      saved.hPrev.set(h, at);
      for (let j = 0; j < H; j++) {
        let az = p[pRow + j];
        let ar = p[pRow + H + j];
        for (let k = 0; k < H; k++) {
          const hk = h[k];
          az += hk * u[k * H3 + j];
          ar += hk * u[k * H3 + H + j];
        }
        saved.z[at + j] = sig(az);
        saved.r[at + j] = sig(ar);
      }
      for (let k = 0; k < H; k++) rh[k] = saved.r[at + k] * h[k];
      for (let j = 0; j < H; j++) {
        let an = p[pRow + 2 * H + j];
        for (let k = 0; k < H; k++) an += rh[k] * u[k * H3 + 2 * H + j];
        saved.n[at + j] = Math.tanh(an);
      }
      const out = (b * T + t) * H;
      for (let j = 0; j < H; j++) {
        // the float32 values saved above, so that backward sees exactly the forward's numbers
        h[j] = h[j] + saved.z[at + j] * (saved.n[at + j] - h[j]);
        states[out + j] = h[j];
      }
    }
  }
  return { states, saved };
}

function backward(dStates: Float32Array, s: Saved): { dp: Float32Array; du: Float32Array } {
  const { B, T, H, u } = s;
  const H3 = 3 * H;
  const dp = new Float32Array(B * T * H3);
  const du = new Float64Array(H * H3);
  const dhNext = new Float64Array(H);
  const dh = new Float64Array(H);
  const da = new Float64Array(H3);
  const drh = new Float64Array(H);
  for (let b = 0; b < B; b++) {
    dhNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const at = (t * B + b) * H;
      const out = (b * T + t) * H;
      for (let j = 0; j < H; j++) dh[j] = dStates[out + j] + dhNext[j];
      // h_t = h_{t-1} + z (n - h_{t-1})
      for (let j = 0; j < H; j++) {
        const z = s.z[at + j], n = s.n[at + j], hp = s.hPrev[at + j];
        da[2 * H + j] = dh[j] * z * (1 - n * n); // through n = tanh(a_n)
        da[j] = dh[j] * (n - hp) * z * (1 - z); // through z = sigmoid(a_z)
        dhNext[j] = dh[j] * (1 - z);
      }
      // a_n = p_n + (r h_{t-1}) U_n
      for (let k = 0; k < H; k++) {
        let acc = 0;
        for (let j = 0; j < H; j++) acc += da[2 * H + j] * u[k * H3 + 2 * H + j];
        drh[k] = acc;
      }
      for (let k = 0; k < H; k++) {
        const r = s.r[at + k], hp = s.hPrev[at + k];
        da[H + k] = drh[k] * hp * r * (1 - r); // through r = sigmoid(a_r)
        dhNext[k] += drh[k] * r;
        const rhk = r * hp;
        for (let j = 0; j < H; j++) du[k * H3 + 2 * H + j] += rhk * da[2 * H + j];
      }
      // a_z, a_r = p_zr + h_{t-1} U_zr
      for (let k = 0; k < H; k++) {
        const hp = s.hPrev[at + k];
        let acc = 0;
        for (let j = 0; j < 2 * H; j++) {
          acc += da[j] * u[k * H3 + j];
          du[k * H3 + j] += hp * da[j];
        }
        dhNext[k] += acc;
      }
      dp.set(da, (b * T + t) * H3);
    }
  }
  return { dp, du: Float32Array.from(du) };
}

/**
 * Every state of a GRU layer from its input projections `p` [batch, T, 3H] and recurrent
 * kernel `u` [H, 3H] (see the file comment): [batch, T, H]. Differentiable once, in `p`
 * and `u`.
 */
export function gruRecurrence(p: tf.Tensor, u: tf.Tensor): tf.Tensor {
  if (p.rank !== 3 || u.rank !== 2 || u.shape[1] !== 3 * u.shape[0] || p.shape[2] !== u.shape[1]) {
    throw new Error(`gruRecurrence: needs p [batch, T, 3H] and u [H, 3H], got p [${p.shape.join(', ')}] and u [${u.shape.join(', ')}]`);
  }
  const [B, T] = p.shape as [number, number, number];
  const H = u.shape[0];
  const f = tf.customGrad(((pi: tf.Tensor, ui: tf.Tensor) => {
    const { states, saved } = forward(pi.dataSync() as Float32Array, Float32Array.from(ui.dataSync()), B, T, H);
    return {
      value: tf.tensor3d(states, [B, T, H]),
      gradFunc: (dy: tf.Tensor) => {
        if (tf.engine().isTapeOn()) {
          throw new Error('gruRecurrence: a gradient of its gradient was asked for (a penalty such as R1 or GP through a GRU built with fused: true); the fused GRU is first-order only: build it with fused: false');
        }
        const { dp, du } = backward(dy.dataSync() as Float32Array, saved);
        return [tf.tensor3d(dp, [B, T, 3 * H]), tf.tensor2d(du, [H, 3 * H])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(p, u) as tf.Tensor;
}
