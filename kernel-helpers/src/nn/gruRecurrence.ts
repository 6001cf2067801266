/**
 * The GRU's recurrence as one operation, forward and backward through time in plain loops
 * over the tensors' data, for the CPU backends (wasm, cpu).
 *
 * Why: a GRU layer written with tfjs ops launches about 14 kernels per time step forward and
 * twice that backward, each on a [batch, hidden] tensor of a few hundred numbers, so at the
 * course's sequence sizes (batch 32, hidden 12-24, 24 steps) the engine's per-kernel cost is
 * nearly all of the time (about 2,000 kernels and 20 us each for one layer's forward and
 * backward pass). Here the whole recurrence is one kernel each way: per step, two matrix
 * products each way (OpenBLAS where the native module is built, recurrenceGemm.ts) and the
 * gates in plain loops.
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
import { recurrenceGemm } from './recurrenceGemm';
import { runFusedRecurrence } from './fusedRecurrence';

const sig = (a: number) => 1 / (1 + Math.exp(-a));

/**
 * One Float32Array holds everything the products touch (the native product reads operands by
 * offset in a single array): the recurrent kernel split in two, the states and gates saved per
 * step for the backward pass, and scratch rows. Step-major, so that each step's [batch, ...]
 * block is contiguous.
 */
interface Layout {
  B: number;
  T: number;
  H: number;
  heap: Float32Array;
  /** U_zr [H, 2H] and U_n [H, H]. */
  uzr: number;
  un: number;
  /** Per step t, [B, H] blocks at off + t B H: h_{t-1}, z, r, n and r * h_{t-1}. */
  hPrev: number;
  z: number;
  r: number;
  n: number;
  rh: number;
  /** Scratch: a [B, 2H] and a [B, H] row, and the state h. */
  w2: number;
  w1: number;
  h: number;
}

function layout(B: number, T: number, H: number, extra: number): Layout {
  const step = T * B * H;
  let at = 0;
  const take = (n: number) => {
    const o = at;
    at += n;
    return o;
  };
  const l = { B, T, H, uzr: take(2 * H * H), un: take(H * H), hPrev: take(step), z: take(step), r: take(step), n: take(step), rh: take(step), w2: take(2 * B * H), w1: take(B * H), h: take(B * H) };
  return { ...l, heap: new Float32Array(at + extra) };
}

function forward(p: Float32Array, u: Float32Array, B: number, T: number, H: number): { states: Float32Array; saved: Layout } {
  const H3 = 3 * H, BH = B * H;
  // room after the layout for the backward pass's gradients: dU_zr, dU_n and a [B, H] row
  const L = layout(B, T, H, 3 * H * H + 2 * BH);
  const m = L.heap;
  for (let k = 0; k < H; k++) {
    for (let j = 0; j < 2 * H; j++) m[L.uzr + k * 2 * H + j] = u[k * H3 + j];
    for (let j = 0; j < H; j++) m[L.un + k * H + j] = u[k * H3 + 2 * H + j];
  }
  const gemm = recurrenceGemm();
  const states = new Float32Array(B * T * H);
  m.fill(0, L.h, L.h + BH);
  for (let t = 0; t < T; t++) {
    const st = t * BH;
    for (let b = 0; b < B; b++) {
      const pr = (b * T + t) * H3;
      for (let j = 0; j < 2 * H; j++) m[L.w2 + b * 2 * H + j] = p[pr + j];
      for (let j = 0; j < H; j++) m[L.w1 + b * H + j] = p[pr + 2 * H + j];
    }
    m.copyWithin(L.hPrev + st, L.h, L.h + BH);
    gemm(m, L.h, L.uzr, L.w2, B, 2 * H, H, 0, 0, 1);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const i = st + b * H + j;
        const zt = sig(m[L.w2 + b * 2 * H + j]);
        const rt = sig(m[L.w2 + b * 2 * H + H + j]);
        m[L.z + i] = zt;
        m[L.r + i] = rt;
        m[L.rh + i] = rt * m[L.h + b * H + j];
      }
    }
    gemm(m, L.rh + st, L.un, L.w1, B, H, H, 0, 0, 1);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const i = st + b * H + j;
        const nt = Math.tanh(m[L.w1 + b * H + j]);
        m[L.n + i] = nt;
        const hp = m[L.h + b * H + j];
        const hv = hp + m[L.z + i] * (nt - hp);
        m[L.h + b * H + j] = hv;
        states[(b * T + t) * H + j] = hv;
      }
    }
  }
  return { states, saved: L };
}

function backward(dStates: Float32Array, L: Layout): { dp: Float32Array; du: Float32Array } {
  const { B, T, H, heap: m } = L;
  const H3 = 3 * H, BH = B * H;
  const base = m.length - (3 * H * H + 2 * BH);
  const duzr = base, dun = base + 2 * H * H, dhNext = base + 3 * H * H, drh = dhNext + BH;
  // scratch reused: w2 = [da_z | da_r] per row, w1 = da_n
  m.fill(0, base, m.length);
  const gemm = recurrenceGemm();
  const dp = new Float32Array(B * T * H3);
  for (let t = T - 1; t >= 0; t--) {
    const st = t * BH;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const i = st + b * H + j, q = b * H + j;
        const dh = dStates[(b * T + t) * H + j] + m[dhNext + q];
        const z = m[L.z + i], n = m[L.n + i], hp = m[L.hPrev + i];
        m[L.w1 + q] = dh * z * (1 - n * n); // da_n, through n = tanh(a_n)
        m[L.w2 + b * 2 * H + j] = dh * (n - hp) * z * (1 - z); // da_z, through z = sigmoid(a_z)
        m[dhNext + q] = dh * (1 - z);
      }
    }
    // a_n = p_n + (r h_{t-1}) U_n
    gemm(m, L.w1, L.un, drh, B, H, H, 0, 1, 0);
    gemm(m, L.rh + st, L.w1, dun, H, H, B, 1, 0, 1);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const i = st + b * H + j, q = b * H + j;
        const r = m[L.r + i];
        m[L.w2 + b * 2 * H + H + j] = m[drh + q] * m[L.hPrev + i] * r * (1 - r); // da_r
        m[dhNext + q] += m[drh + q] * r;
      }
    }
    // [a_z, a_r] = p_zr + h_{t-1} U_zr
    gemm(m, L.w2, L.uzr, dhNext, B, H, 2 * H, 0, 1, 1);
    gemm(m, L.hPrev + st, L.w2, duzr, H, 2 * H, B, 1, 0, 1);
    for (let b = 0; b < B; b++) {
      const o = (b * T + t) * H3;
      for (let j = 0; j < 2 * H; j++) dp[o + j] = m[L.w2 + b * 2 * H + j];
      for (let j = 0; j < H; j++) dp[o + 2 * H + j] = m[L.w1 + b * H + j];
    }
  }
  const du = new Float32Array(H * H3);
  for (let k = 0; k < H; k++) {
    for (let j = 0; j < 2 * H; j++) du[k * H3 + j] = m[duzr + k * 2 * H + j];
    for (let j = 0; j < H; j++) du[k * H3 + 2 * H + j] = m[dun + k * H + j];
  }
  return { dp, du };
}

/**
 * Every state of a GRU layer from its input projections `p` [batch, T, 3H] and recurrent
 * kernel `u` [H, 3H] (see the file comment): [batch, T, H]. Differentiable once, in `p`
 * and `u`.
 */
export function gruRecurrence(p: tf.Tensor, u: tf.Tensor): tf.Tensor {
  return runFusedRecurrence({ name: 'gruRecurrence', layer: 'GRU', gates: 3, forward, backward }, p, u);
}
