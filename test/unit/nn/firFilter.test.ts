/**
 * FIR design against closed forms and a dense DFT of the taps; the banded-matrix up-filter-down
 * against a plain-JS direct 2D convolution and against tf.depthwiseConv2d; forward and
 * gradients on wasm against cpu.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import {
  designLowpassFilter, kaiserBeta, kaiserOrder, kaiserAttenuation, besselI0, firAmplitudeResponse, MAX_FIR_TAPS,
} from '../../../kernel-helpers/src/nn/firFilter';
import { upfirdn2d, upfirdn2dLayer, upfirdnMatrix, samePadding } from '../../../kernel-helpers/src/nn/upfirdn';
import { assertSameOnBackends, tensor, useBackend, values } from '../backend/backend-compare';

/** max |H(f)| in dB over a dense grid of [lo, hi], by the DFT sum written out here (not the library's). */
function worstDb(taps: ArrayLike<number>, lo: number, hi: number, fs: number, points = 2000): number {
  let worst = 0;
  for (let p = 0; p <= points; p++) {
    const w = (2 * Math.PI * (lo + ((hi - lo) * p) / points)) / fs;
    let re = 0;
    let im = 0;
    for (let n = 0; n < taps.length; n++) {
      re += taps[n] * Math.cos(w * n);
      im += taps[n] * Math.sin(w * n);
    }
    worst = Math.max(worst, Math.hypot(re, im));
  }
  return 20 * Math.log10(worst);
}

test('Kaiser formulas: closed forms at their breakpoints, and order and attenuation invert each other', () => {
  assert.equal(kaiserBeta(20), 0);
  assert.ok(Math.abs(kaiserBeta(60) - 0.1102 * 51.3) < 1e-12);
  assert.ok(Math.abs(kaiserBeta(40) - (0.5842 * 19 ** 0.4 + 0.07886 * 19)) < 1e-12);
  // I0 series against known values: I0(0) = 1, I0(1) = 1.2660658777520082, I0(5) = 27.239871823604442.
  assert.equal(besselI0(0), 1);
  assert.ok(Math.abs(besselI0(1) - 1.2660658777520082) < 1e-14);
  assert.ok(Math.abs(besselI0(5) / 27.239871823604442 - 1) < 1e-14);
  for (const [a, w] of [[40, 0.05], [60, 0.1], [80, 0.02]]) {
    const n = kaiserOrder(a, w);
    assert.ok(kaiserAttenuation(n, w) >= a && kaiserAttenuation(n - 1, w) < a, `order ${n} for ${a} dB over ${w}`);
  }
});

test('low-pass design: DC gain 1, symmetric taps, and the taps are the windowed sinc', () => {
  for (const opts of [
    { numTaps: 12, cutoff: 0.5, transitionWidth: 0.5, fs: 2 },
    { numTaps: 31, cutoff: 0.2, attenuationDb: 60 },
    { cutoff: 3, transitionWidth: 2, attenuationDb: 50, fs: 16 },
    { numTaps: 9, cutoff: 0.25, window: 'hann' as const },
    { numTaps: 10, cutoff: 0.1, window: 'blackman' as const },
  ]) {
    const f = designLowpassFilter(opts);
    const t = Array.from(f.taps);
    assert.ok(Math.abs(t.reduce((s, v) => s + v, 0) - 1) < 1e-6, `${JSON.stringify(opts)}: DC gain`);
    t.forEach((v, i) => assert.ok(Math.abs(v - t[t.length - 1 - i]) < 1e-7, `${JSON.stringify(opts)}: symmetric at ${i}`));
  }
  // Closed form: beta given, so taps = c * sinc(2 fc (n - M)) * I0(beta sqrt(1 - r^2)) / I0(beta).
  const n = 11;
  const beta = 4;
  const fc = 0.15;
  const f = designLowpassFilter({ numTaps: n, cutoff: fc, beta });
  const raw = Array.from({ length: n }, (_, i) => {
    const x = 2 * fc * (i - 5);
    const s = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const r = (i - 5) / 5;
    return s * besselI0(beta * Math.sqrt(1 - r * r));
  });
  const sum = raw.reduce((a, b) => a + b, 0);
  raw.forEach((v, i) => assert.ok(Math.abs(f.taps[i] - v / sum) < 1e-7, `tap ${i}: ${f.taps[i]} vs ${v / sum}`));
  assert.deepEqual(Array.from(designLowpassFilter({ numTaps: 1, cutoff: 0.3, beta: 0 }).taps), [1]);
});

test('Kaiser design: the measured stopband attenuation and passband ripple meet the design', () => {
  const cases = [
    { cutoff: 0.2, transitionWidth: 0.1, attenuationDb: 40 },
    { cutoff: 0.2, transitionWidth: 0.05, attenuationDb: 60 },
    { cutoff: 4, transitionWidth: 2, attenuationDb: 80, fs: 32 },
    // StyleGAN3's shape, 6 taps per sample at 2x: short filters with wide transition bands are
    // where Kaiser's empirical fit is loosest (measured 1.7 dB short of its promise).
    { numTaps: 12, cutoff: 0.5, transitionWidth: 0.5, fs: 2, slackDb: 2 },
  ];
  for (const { slackDb = 1, ...c } of cases) {
    const f = designLowpassFilter(c);
    const fs = f.fs;
    const a = f.attenuationDb!;
    const w = f.transitionWidth!;
    const stop = worstDb(f.taps, c.cutoff + w / 2, fs / 2, fs);
    // Kaiser's formulas are empirical fits (within about a dB for longer filters).
    assert.ok(stop <= -a + slackDb, `${JSON.stringify(c)} (${f.taps.length} taps): stopband peak ${stop.toFixed(2)} dB, design -${a.toFixed(2)} dB`);
    // The window's ripple is the same delta in both bands: |H| <= 1 + delta in the passband.
    const delta = 10 ** (-a / 20);
    const pass = firAmplitudeResponse(f.taps, Array.from({ length: 201 }, (_, i) => ((c.cutoff - w / 2) * i) / 200), fs);
    for (const v of pass) assert.ok(Math.abs(v - 1) <= 1.5 * delta + 1e-6, `${JSON.stringify(c)}: passband |H| = ${v}, ripple bound ${delta}`);
    // -6 dB (half amplitude) at the cutoff.
    const atCut = firAmplitudeResponse(f.taps, [c.cutoff], fs)[0];
    assert.ok(Math.abs(atCut - 0.5) < 0.02, `${JSON.stringify(c)}: |H(cutoff)| = ${atCut}`);
  }
});

test('design errors name the function and the argument', () => {
  const d = designLowpassFilter;
  assert.throws(() => d({ numTaps: 9, cutoff: 0.5, beta: 1 }), /designLowpassFilter: cutoff must be in \(0, fs\/2\) = \(0, 0\.5\), got 0\.5/);
  assert.throws(() => d({ numTaps: 9, cutoff: 9, fs: 16, beta: 1 }), /cutoff must be in \(0, fs\/2\) = \(0, 8\), got 9/);
  assert.throws(() => d({ numTaps: 9, cutoff: 0, beta: 1 }), /cutoff must be in/);
  assert.throws(() => d({ numTaps: 0, cutoff: 0.2, beta: 1 }), new RegExp(`numTaps must be an integer in \\[1, ${MAX_FIR_TAPS}\\], got 0`));
  assert.throws(() => d({ numTaps: 2.5, cutoff: 0.2, beta: 1 }), /numTaps must be an integer/);
  assert.throws(() => d({ cutoff: 0.2, transitionWidth: 1e-4, attenuationDb: 100 }), /needs \d+ taps, more than 1024/);
  assert.throws(() => d({ numTaps: 9, cutoff: 0.2, transitionWidth: -1 }), /transitionWidth must be a finite number > 0, got -1/);
  assert.throws(() => d({ numTaps: 9, cutoff: 0.2, fs: 0, beta: 1 }), /fs must be a finite number > 0, got 0/);
  assert.throws(() => d({ numTaps: 9, cutoff: 0.2 }), /needs exactly two of numTaps, transitionWidth and attenuationDb/);
  assert.throws(() => d({ numTaps: 9, cutoff: 0.2, transitionWidth: 0.1, attenuationDb: 40 }), /exactly two/);
  assert.throws(() => d({ numTaps: 9, cutoff: 0.2, window: 'hann', attenuationDb: 40 }), /attenuationDb only applies to window 'kaiser'/);
  assert.throws(() => d({ numTaps: 9, cutoff: 0.2, window: 'gauss' as 'hann' }), /window must be one of 'kaiser', 'hann'/);
  assert.throws(() => d({ numTaps: 9, cutoff: 0.2, beta: 1, cutof: 1 } as never), /designLowpassFilter: unknown option 'cutof'/);
});

/** Plain-JS reference: a 2D zero-stuff, pad, direct 2D convolution with the outer-product filter, decimate. */
function directUpfirdn2d(x: Float32Array, [n, h, w, c]: number[], f: number[], up: number, down: number, pad: number[], gain: number) {
  const k = f.length;
  const [pt, pb, pl, pr] = pad;
  const hz = h * up + pt + pb;
  const wz = w * up + pl + pr;
  const oh = Math.floor((hz - k) / down) + 1;
  const ow = Math.floor((wz - k) / down) + 1;
  const z = (b: number, i: number, j: number, ch: number) => {
    const si = i - pt;
    const sj = j - pl;
    if (si < 0 || sj < 0 || si % up !== 0 || sj % up !== 0 || si / up >= h || sj / up >= w) return 0;
    return x[((b * h + si / up) * w + sj / up) * c + ch];
  };
  const y = new Float32Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let a = 0; a < k; a++) for (let q = 0; q < k; q++) s += f[a] * f[q] * z(b, i * down + k - 1 - a, j * down + k - 1 - q, ch);
          y[((b * oh + i) * ow + j) * c + ch] = gain * s;
        }
  return { y, shape: [n, oh, ow, c] };
}

const CASES: { name: string; shape: number[]; taps: number[]; up: number; down: number; padding: 'same' | number | number[]; gain?: number }[] = [
  { name: 'plain filter, same', shape: [2, 7, 6, 3], taps: [0.25, 0.5, 0.25], up: 1, down: 1, padding: 'same' },
  { name: 'asymmetric taps, explicit pads', shape: [1, 5, 8, 2], taps: [0.6, 0.3, 0.1, -0.05], up: 1, down: 1, padding: [2, 1, 0, 3] },
  { name: 'upsample 2, 12 taps', shape: [2, 6, 5, 2], taps: Array.from(designLowpassFilter({ numTaps: 12, cutoff: 0.4, transitionWidth: 0.4, fs: 2 }).taps), up: 2, down: 1, padding: 'same' },
  { name: 'downsample 2, odd size', shape: [1, 9, 8, 3], taps: [0.1, 0.2, 0.4, 0.2, 0.1], up: 1, down: 2, padding: 'same' },
  { name: 'up 3 down 2, asymmetric, crop', shape: [2, 5, 7, 1], taps: [0.5, 0.3, 0.15, 0.05, 0.2, 0.1], up: 3, down: 2, padding: [-1, 2, 1, -2], gain: 2 },
];

function resolvedPad(c: (typeof CASES)[number]): number[] {
  if (c.padding === 'same') {
    const [a, b] = samePadding(c.taps.length, c.up, c.down);
    return [a, b, a, b];
  }
  if (typeof c.padding === 'number') return [c.padding, c.padding, c.padding, c.padding];
  return c.padding;
}

test('upfirdn2d (two banded products) equals a direct 2D convolution written in plain JS', async () => {
  await useBackend('cpu');
  for (const c of CASES) {
    const xs = values(c.shape.reduce((a, b) => a * b, 1), 7);
    const gain = c.gain ?? c.up * c.up;
    const ref = directUpfirdn2d(xs, c.shape, c.taps, c.up, c.down, resolvedPad(c), gain);
    const y = upfirdn2d(tf.tensor(xs, c.shape), c.taps, { up: c.up, down: c.down, padding: c.padding as never, gain: c.gain });
    assert.deepEqual(y.shape, ref.shape, `${c.name}: shape`);
    const got = y.dataSync();
    ref.y.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-5, `${c.name}: element ${i} ${got[i]} vs ${v}`));
    y.dispose();
  }
});

test("'same' padding keeps the size (times up / down) and a constant image constant away from the borders", async () => {
  await useBackend('cpu');
  const f = designLowpassFilter({ numTaps: 12, cutoff: 0.4, transitionWidth: 0.4, fs: 2 });
  const y = upfirdn2d(tf.fill([1, 10, 12, 1], 3), f, { up: 2 });
  assert.deepEqual(y.shape, [1, 20, 24, 1]);
  const v = y.arraySync()[0];
  for (let i = 6; i < 14; i++) for (let j = 6; j < 18; j++) assert.ok(Math.abs(v[i][j][0] - 3) < 1e-5, `(${i}, ${j}) = ${v[i][j][0]}`);
  const d = upfirdn2d(tf.fill([1, 20, 24, 1], 3), f, { down: 2 });
  assert.deepEqual(d.shape, [1, 10, 12, 1]);
  assert.ok(Math.abs(d.arraySync()[0][5][6][0] - 3) < 1e-5);
  tf.dispose([y, d]);
});

test('upfirdn2d equals tf.depthwiseConv2d on the zero-stuffed, padded input (cpu)', async () => {
  await useBackend('cpu');
  for (const c of CASES) {
    const [n, h, w, ch] = c.shape;
    const [pt, pb, pl, pr] = resolvedPad(c);
    const xs = values(n * h * w * ch, 11);
    const gain = c.gain ?? c.up * c.up;
    // Zero-stuff and pad in JS (crop where a pad is negative), then let depthwise do the rest.
    const hz = h * c.up + pt + pb;
    const wz = w * c.up + pl + pr;
    const z = new Float32Array(n * hz * wz * ch);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) {
          const zi = i * c.up + pt;
          const zj = j * c.up + pl;
          if (zi < 0 || zj < 0 || zi >= hz || zj >= wz) continue;
          for (let q = 0; q < ch; q++) z[((b * hz + zi) * wz + zj) * ch + q] = xs[((b * h + i) * w + j) * ch + q];
        }
    const k = c.taps.length;
    // depthwiseConv2d correlates: flip the taps for a convolution.
    const kern = new Float32Array(k * k * ch);
    for (let a = 0; a < k; a++) for (let q = 0; q < k; q++) for (let m = 0; m < ch; m++) kern[(a * k + q) * ch + m] = gain * c.taps[k - 1 - a] * c.taps[k - 1 - q];
    const ref = tf.depthwiseConv2d(tf.tensor4d(z, [n, hz, wz, ch]), tf.tensor4d(kern, [k, k, ch, 1]), c.down, 'valid');
    const y = upfirdn2d(tf.tensor(xs, c.shape), c.taps, { up: c.up, down: c.down, padding: c.padding as never, gain: c.gain });
    assert.deepEqual(y.shape, ref.shape, `${c.name}: shape`);
    const a = y.dataSync();
    const b = ref.dataSync();
    b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) < 1e-5, `${c.name}: element ${i} ${a[i]} vs depthwise ${v}`));
    tf.dispose([ref, y]);
  }
});

test('upfirdn2d forward, input gradient and a second-order product match cpu on wasm', async () => {
  for (const c of CASES) {
    await assertSameOnBackends(`upfirdn2d ${c.name}`, () => {
      const x = tensor(c.shape, 1);
      const opts = { up: c.up, down: c.down, padding: c.padding as never, gain: c.gain };
      const y = upfirdn2d(x, c.taps, opts);
      const r = tensor(y.shape, 3);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(upfirdn2d(a, c.taps, opts), r)))(x);
      // d/dx of sum(y^2 * r): exercises the products' gradients with a non-constant upstream.
      const d2 = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.square(upfirdn2d(a, c.taps, opts)), r)))(x);
      return [y, dx, d2];
    });
  }
});

test('the banded matrix is banded: each column holds at most ceil(taps / up) non-zeros', () => {
  const m = upfirdnMatrix('t', 16, [1, 2, 3, 4, 5, 6, 7, 8], 2, 1, 4, 3);
  assert.equal(m.outLength, 32);
  for (let o = 0; o < m.outLength; o++) {
    let nz = 0;
    for (let i = 0; i < m.inLength; i++) if (m.data[i * m.outLength + o] !== 0) nz++;
    assert.ok(nz <= 4, `column ${o}: ${nz} non-zeros`);
  }
});

test('upfirdn2d errors name the function or layer and the argument', async () => {
  await useBackend('cpu');
  const x = tf.zeros([1, 4, 4, 1]);
  assert.throws(() => upfirdn2d(x, [1, 2], { up: 0 }), /upfirdn2d: up must be an integer in \[1, 64\], got 0/);
  assert.throws(() => upfirdn2d(x, [1, 2], { down: 1.5 }), /upfirdn2d: down must be an integer/);
  assert.throws(() => upfirdn2d(x, [], {}), /upfirdn2d: filter must be a FirFilter or a list of 1\.\.1024 finite taps, got \[\]/);
  assert.throws(() => upfirdn2d(x, [1, NaN]), /filter must be a FirFilter/);
  assert.throws(() => upfirdn2d(x, [1], { padding: [1, 2, 3] as never }), /padding must be 'same', an integer/);
  assert.throws(() => upfirdn2d(x, [1], { stride: 2 } as never), /upfirdn2d: unknown option 'stride'; known: up, down, padding, gain/);
  assert.throws(() => upfirdn2d(tf.zeros([4, 4]), [1]), /upfirdn2d: x must be an NHWC tensor \(rank 4\), got \[4, 4\]/);
  assert.throws(() => upfirdn2d(x, [1, 1, 1, 1, 1, 1, 1], { padding: 0 }), /upfirdn2d \(height\): the output would be empty/);
  assert.throws(() => upfirdn2dLayer({ filter: [1], down: -2, name: 'D/blur' }), /D\/blur: down must be an integer/);
  const layer = upfirdn2dLayer({ filter: [1, 1, 1, 1, 1, 1, 1], padding: 0, name: 'D/blur' });
  assert.throws(() => layer.apply(x), /D\/blur \(height\): the output would be empty/);
  x.dispose();
});
