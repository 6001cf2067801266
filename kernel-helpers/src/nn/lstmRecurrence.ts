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

const sig = (a: number) => 1 / (1 + Math.exp(-a));

interface Saved {
  B: number;
  T: number;
  H: number;
  u: Float32Array;
  /** h_{t-1}, c_{t-1}, the four gates and tanh(c_t) per step, each [T, B, H]. */
  hPrev: Float32Array;
  cPrev: Float32Array;
  i: Float32Array;
  f: Float32Array;
  g: Float32Array;
  o: Float32Array;
  tc: Float32Array;
}

function forward(p: Float32Array, u: Float32Array, B: number, T: number, H: number): { states: Float32Array; saved: Saved } {
  const H4 = 4 * H;
  const size = T * B * H;
  const buf = () => new Float32Array(size);
  const s: Saved = { B, T, H, u, hPrev: buf(), cPrev: buf(), i: buf(), f: buf(), g: buf(), o: buf(), tc: buf() };
  const states = new Float32Array(B * T * H);
  const h = new Float64Array(H);
  const c = new Float64Array(H);
  const a = new Float64Array(H4);
  for (let b = 0; b < B; b++) {
    h.fill(0);
    c.fill(0);
    for (let t = 0; t < T; t++) {
      const pRow = (b * T + t) * H4;
      const at = (t * B + b) * H;
      s.hPrev.set(h, at);
      s.cPrev.set(c, at);
      for (let j = 0; j < H4; j++) a[j] = p[pRow + j];
      for (let k = 0; k < H; k++) {
        const hk = h[k];
        if (hk === 0) continue;
        const row = k * H4;
        for (let j = 0; j < H4; j++) a[j] += hk * u[row + j];
      }
      const out = (b * T + t) * H;
      for (let j = 0; j < H; j++) {
        const ig = sig(a[j]), fg = sig(a[H + j]), gg = Math.tanh(a[2 * H + j]), og = sig(a[3 * H + j]);
        s.i[at + j] = ig;
        s.f[at + j] = fg;
        s.g[at + j] = gg;
        s.o[at + j] = og;
        c[j] = fg * c[j] + ig * gg;
        const tc = Math.tanh(c[j]);
        s.tc[at + j] = tc;
        h[j] = og * tc;
        states[out + j] = h[j];
      }
    }
  }
  return { states, saved: s };
}

function backward(dStates: Float32Array, s: Saved): { dp: Float32Array; du: Float32Array } {
  const { B, T, H, u } = s;
  const H4 = 4 * H;
  const dp = new Float32Array(B * T * H4);
  const du = new Float64Array(H * H4);
  const dhNext = new Float64Array(H);
  const dcNext = new Float64Array(H);
  const da = new Float64Array(H4);
  for (let b = 0; b < B; b++) {
    dhNext.fill(0);
    dcNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const at = (t * B + b) * H;
      const out = (b * T + t) * H;
      for (let j = 0; j < H; j++) {
        const dh = dStates[out + j] + dhNext[j];
        const ig = s.i[at + j], fg = s.f[at + j], gg = s.g[at + j], og = s.o[at + j], tc = s.tc[at + j];
        const dc = dcNext[j] + dh * og * (1 - tc * tc);
        da[j] = dc * gg * ig * (1 - ig);
        da[H + j] = dc * s.cPrev[at + j] * fg * (1 - fg);
        da[2 * H + j] = dc * ig * (1 - gg * gg);
        da[3 * H + j] = dh * tc * og * (1 - og);
        dcNext[j] = dc * fg;
      }
      // a = p + h_{t-1} U
      for (let k = 0; k < H; k++) {
        const row = k * H4;
        const hp = s.hPrev[at + k];
        let acc = 0;
        for (let j = 0; j < H4; j++) {
          acc += da[j] * u[row + j];
          du[row + j] += hp * da[j];
        }
        dhNext[k] = acc;
      }
      dp.set(da, (b * T + t) * H4);
    }
  }
  return { dp, du: Float32Array.from(du) };
}

/**
 * Every state of an LSTM layer from its input projections `p` [batch, T, 4H] and recurrent
 * kernel `u` [H, 4H] (see the file comment): [batch, T, H]. Differentiable once, in `p`
 * and `u`.
 */
export function lstmRecurrence(p: tf.Tensor, u: tf.Tensor): tf.Tensor {
  if (p.rank !== 3 || u.rank !== 2 || u.shape[1] !== 4 * u.shape[0] || p.shape[2] !== u.shape[1]) {
    throw new Error(`lstmRecurrence: needs p [batch, T, 4H] and u [H, 4H], got p [${p.shape.join(', ')}] and u [${u.shape.join(', ')}]`);
  }
  const [B, T] = p.shape as [number, number, number];
  const H = u.shape[0];
  const f = tf.customGrad(((pi: tf.Tensor, ui: tf.Tensor) => {
    const { states, saved } = forward(pi.dataSync() as Float32Array, Float32Array.from(ui.dataSync()), B, T, H);
    return {
      value: tf.tensor3d(states, [B, T, H]),
      gradFunc: (dy: tf.Tensor) => {
        if (tf.engine().isTapeOn()) {
          throw new Error('lstmRecurrence: a gradient of its gradient was asked for (a penalty such as R1 or GP through an LSTM built with fused: true); the fused LSTM is first-order only: build it with fused: false');
        }
        const { dp, du } = backward(dy.dataSync() as Float32Array, saved);
        return [tf.tensor3d(dp, [B, T, 4 * H]), tf.tensor2d(du, [H, 4 * H])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(p, u) as tf.Tensor;
}
