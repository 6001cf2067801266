/**
 * The LSTM's recurrence as one operation, forward and backward through time in plain loops
 * over the tensors' data, for the CPU backends (wasm, cpu); the reason is the GRU's (see
 * nn/gruRecurrence.ts): an op graph per step spends nearly all its time launching kernels
 * on tensors of a few hundred numbers.
 *
 * Input: the input projections of every step, p = x W + b, [batch, T, 4H] (gates i, f, g, o),
 * and the recurrent kernel U [H, 4H]:
 *   a_t = p_t + h_{t-1} U,  i, f, o = sigmoid(a_i, a_f, a_o),  g = tanh(a_g)
 *   c_t = f c_{t-1} + i g,  h_t = o tanh(c_t),  h_0 = c_0 = 0
 * Output: every state h_1..h_T, [batch, T, H]. The same function as nn/lstm.ts's op graph.
 *
 * First order only, like the fused GRU: the backward pass throws when a gradient tape is
 * recording it (a penalty such as R1 or GP through it would be silently wrong).
 */
import * as tf from '@tensorflow/tfjs-core';
import { recurrenceGemm } from './recurrenceGemm';
import { runFusedRecurrence } from './fusedRecurrence';

const sig = (a: number) => 1 / (1 + Math.exp(-a));

/**
 * One Float32Array for everything the products touch (see gruRecurrence.ts), step-major:
 * U [H, 4H]; per step t, [B, H] blocks at off + t B H of h_{t-1}, c_{t-1}, the four gates and
 * tanh(c_t); scratch rows; and the backward pass's dU and rows.
 */
interface Layout {
  B: number;
  T: number;
  H: number;
  heap: Float32Array;
  u: number;
  hPrev: number;
  cPrev: number;
  i: number;
  f: number;
  g: number;
  o: number;
  tc: number;
  /** [B, 4H] pre-activations (forward) or their gradients (backward). */
  a: number;
  h: number;
  c: number;
  du: number;
  dhNext: number;
  dcNext: number;
}

function layout(B: number, T: number, H: number): Layout {
  const step = T * B * H, BH = B * H;
  let at = 0;
  const take = (n: number) => {
    const o = at;
    at += n;
    return o;
  };
  const l = {
    B, T, H, u: take(4 * H * H), hPrev: take(step), cPrev: take(step), i: take(step), f: take(step), g: take(step), o: take(step), tc: take(step),
    a: take(4 * BH), h: take(BH), c: take(BH), du: take(4 * H * H), dhNext: take(BH), dcNext: take(BH),
  };
  return { ...l, heap: new Float32Array(at) };
}

function forward(p: Float32Array, u: Float32Array, B: number, T: number, H: number): { states: Float32Array; saved: Layout } {
  const H4 = 4 * H, BH = B * H;
  const L = layout(B, T, H);
  const m = L.heap;
  m.set(u, L.u);
  const gemm = recurrenceGemm();
  const states = new Float32Array(B * T * H);
  for (let t = 0; t < T; t++) {
    const st = t * BH;
    for (let b = 0; b < B; b++) m.set(p.subarray((b * T + t) * H4, (b * T + t + 1) * H4), L.a + b * H4);
    m.copyWithin(L.hPrev + st, L.h, L.h + BH);
    m.copyWithin(L.cPrev + st, L.c, L.c + BH);
    gemm(m, L.h, L.u, L.a, B, H4, H, 0, 0, 1);
    for (let b = 0; b < B; b++) {
      const ar = L.a + b * H4;
      for (let j = 0; j < H; j++) {
        const q = b * H + j, x = st + q;
        const ig = sig(m[ar + j]), fg = sig(m[ar + H + j]), gg = Math.tanh(m[ar + 2 * H + j]), og = sig(m[ar + 3 * H + j]);
        m[L.i + x] = ig;
        m[L.f + x] = fg;
        m[L.g + x] = gg;
        m[L.o + x] = og;
        const c = fg * m[L.c + q] + ig * gg;
        m[L.c + q] = c;
        const tc = Math.tanh(c);
        m[L.tc + x] = tc;
        const h = og * tc;
        m[L.h + q] = h;
        states[(b * T + t) * H + j] = h;
      }
    }
  }
  return { states, saved: L };
}

function backward(dStates: Float32Array, L: Layout): { dp: Float32Array; du: Float32Array } {
  const { B, T, H, heap: m } = L;
  const H4 = 4 * H, BH = B * H;
  m.fill(0, L.du, m.length);
  const gemm = recurrenceGemm();
  const dp = new Float32Array(B * T * H4);
  for (let t = T - 1; t >= 0; t--) {
    const st = t * BH;
    for (let b = 0; b < B; b++) {
      const ar = L.a + b * H4;
      for (let j = 0; j < H; j++) {
        const q = b * H + j, x = st + q;
        const dh = dStates[(b * T + t) * H + j] + m[L.dhNext + q];
        const ig = m[L.i + x], fg = m[L.f + x], gg = m[L.g + x], og = m[L.o + x], tc = m[L.tc + x];
        const dc = m[L.dcNext + q] + dh * og * (1 - tc * tc);
        m[ar + j] = dc * gg * ig * (1 - ig);
        m[ar + H + j] = dc * m[L.cPrev + x] * fg * (1 - fg);
        m[ar + 2 * H + j] = dc * ig * (1 - gg * gg);
        m[ar + 3 * H + j] = dh * tc * og * (1 - og);
        m[L.dcNext + q] = dc * fg;
      }
    }
    // a = p + h_{t-1} U
    gemm(m, L.a, L.u, L.dhNext, B, H, H4, 0, 1, 0);
    gemm(m, L.hPrev + st, L.a, L.du, H, H4, B, 1, 0, 1);
    for (let b = 0; b < B; b++) dp.set(m.subarray(L.a + b * H4, L.a + (b + 1) * H4), (b * T + t) * H4);
  }
  return { dp, du: m.slice(L.du, L.du + H * H4) };
}

/**
 * Every state of an LSTM layer from its input projections `p` [batch, T, 4H] and recurrent
 * kernel `u` [H, 4H] (see the file comment): [batch, T, H]. Differentiable once, in `p`
 * and `u`.
 */
export function lstmRecurrence(p: tf.Tensor, u: tf.Tensor): tf.Tensor {
  return runFusedRecurrence({ name: 'lstmRecurrence', layer: 'LSTM', gates: 4, forward, backward }, p, u);
}
