/**
 * The alias-free nonlinearity: how much aliasing it leaves against a plain leaky ReLU, its
 * sizes and errors, wasm against cpu, and R1 through a discriminator built from it
 * (finite differences).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { conv2d, dense, flattenLayer, leakyRelu, sequential } from '../../../kernel-helpers/src/nn';
import { filteredLeakyRelu, filteredLeakyReluLayer } from '../../../kernel-helpers/src/nn/filteredLeakyRelu';
import { upfirdn2dLayer } from '../../../kernel-helpers/src/nn/upfirdn';
import { designLowpassFilter } from '../../../kernel-helpers/src/nn/firFilter';
import { r1Penalty } from '../../../kernel-helpers/src/gan';
import { assertSameOnBackends, tensor, useBackend } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

/** |DFT|^2 at bins 0..n/2 of a real row. */
function powerSpectrum(row: number[]): number[] {
  const n = row.length;
  return Array.from({ length: n / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      re += row[j] * Math.cos((2 * Math.PI * k * j) / n);
      im -= row[j] * Math.sin((2 * Math.PI * k * j) / n);
    }
    return re * re + im * im;
  });
}

/**
 * A sinusoid of k0 cycles per N pixels along the width, constant along the height. A leaky ReLU of
 * it is (1+a)/2 sin + (1-a)/2 |sin|: the fundamental and even harmonics, all at multiples of k0.
 * Harmonics above Nyquist (N/2 bins) fold to bins that are NOT multiples of k0 (k0 prime to N),
 * so the energy there, as a fraction of the total, is the aliased energy. Measured on N
 * interior columns of a wider image, away from the borders' zero padding, where the
 * shift-invariant layer sees a periodic signal.
 */
function aliasedFraction(k0: number, act: (x: tf.Tensor) => tf.Tensor): { aliased: number; fundamental: number } {
  const n = 64;
  const margin = 24;
  const h = 33;
  const w = n + 2 * margin;
  const row = Array.from({ length: w }, (_, j) => Math.sin((2 * Math.PI * k0 * j) / n + 0.3));
  const y = tf.tidy(() => act(tf.tensor4d(Array.from({ length: h }, () => row).flat(), [1, h, w, 1])));
  const mid = Math.floor(h / 2);
  const out = Array.from(y.dataSync()).slice(mid * w + margin, mid * w + margin + n);
  y.dispose();
  const p = powerSpectrum(out);
  const total = p.reduce((a, b) => a + b, 0);
  const aliased = p.reduce((a, v, k) => (k % k0 === 0 ? a : a + v), 0);
  return { aliased: aliased / total, fundamental: Math.sqrt(p[k0]) / (n / 2) };
}

test('filtered leaky ReLU: far less aliased energy than a plain leaky ReLU, the fundamental kept', async () => {
  await useBackend('cpu');
  for (const k0 of [5, 13]) {
    const plain = aliasedFraction(k0, (x) => leakyRelu(x, 0.2));
    const filtered = aliasedFraction(k0, (x) => filteredLeakyRelu(x));
    console.log(`sinusoid at ${k0}/64 cycles/pixel: aliased energy ${plain.aliased.toExponential(2)} plain, ${filtered.aliased.toExponential(2)} filtered`);
    assert.ok(plain.aliased > 1e-4, `the test signal must alias under a plain leaky ReLU (${plain.aliased})`);
    assert.ok(filtered.aliased < 0.1 * plain.aliased, `k0 = ${k0}: filtered ${filtered.aliased}, plain ${plain.aliased}`);
    // The fundamental's amplitude is (1 + a)/2 = 0.6 in both (it sits in the passband).
    assert.ok(Math.abs(plain.fundamental - 0.6) < 1e-3, `plain fundamental ${plain.fundamental}`);
    assert.ok(Math.abs(filtered.fundamental - 0.6) < 0.05 * 0.6, `filtered fundamental ${filtered.fundamental}`);
  }
});

test('filtered leaky ReLU: output sizes, and a constant input is just leaky-ReLU-ed away from the borders', async () => {
  await useBackend('cpu');
  const x = tf.fill([2, 16, 20, 3], -1.5);
  const same = filteredLeakyRelu(x);
  assert.deepEqual(same.shape, [2, 16, 20, 3]);
  const v = same.arraySync()[1][8][10][2];
  assert.ok(Math.abs(v - -0.3) < 1e-4, `leakyRelu(-1.5) = -0.3, got ${v}`);
  assert.deepEqual(filteredLeakyRelu(x, { down: 1 }).shape, [2, 32, 40, 3]);
  assert.deepEqual(filteredLeakyRelu(x, { up: 1, down: 2 }).shape, [2, 8, 10, 3]);
  assert.deepEqual(filteredLeakyRelu(x, { up: 4, down: 4, gain: Math.SQRT2 }).shape, [2, 16, 20, 3]);
  // No resampling and one-tap filters: exactly a leaky ReLU.
  const id = filteredLeakyRelu(tensor([1, 5, 5, 2], 4), { up: 1, down: 1, slope: 0.1 });
  const ref = leakyRelu(tensor([1, 5, 5, 2], 4), 0.1);
  assert.deepEqual(Array.from(id.dataSync()), Array.from(ref.dataSync()));
  tf.dispose([x, same, id, ref]);
});

test('filtered leaky ReLU errors name the layer and the argument', async () => {
  await useBackend('cpu');
  const x = tf.zeros([1, 8, 8, 1]);
  assert.throws(() => filteredLeakyRelu(x, { slope: 2 }), /filteredLeakyRelu: slope must be in \[0, 1\], got 2/);
  assert.throws(() => filteredLeakyRelu(x, { up: 0 }), /filteredLeakyRelu: up must be an integer in \[1, 16\], got 0/);
  assert.throws(() => filteredLeakyRelu(x, { cutoff: 1.5 }), /filteredLeakyRelu: the default upFilter \(cutoff 1\.5, transitionWidth 0\.4, fs 2\) cannot be designed: designLowpassFilter: cutoff must be in \(0, fs\/2\) = \(0, 1\), got 1\.5/);
  assert.throws(() => filteredLeakyRelu(x, { upFilter: [] }), /filteredLeakyRelu: upFilter must be a FirFilter or a list/);
  assert.throws(() => filteredLeakyRelu(x, { alpha: 0.2 } as never), /filteredLeakyRelu: unknown option 'alpha'/);
  assert.throws(() => filteredLeakyReluLayer({ name: 'G/act3', gain: NaN }), /G\/act3: gain must be a finite number, got NaN/);
  assert.throws(() => filteredLeakyReluLayer({ name: 'G/act3' }).apply(tf.zeros([8, 8])), /G\/act3: x must be an NHWC tensor/);
  x.dispose();
});

test('filtered leaky ReLU forward and input gradient match cpu on wasm', async () => {
  for (const opts of [{}, { up: 2, down: 1 }, { up: 1, down: 2 }, { up: 2, down: 2, gain: Math.SQRT2, slope: 0.1 }]) {
    await assertSameOnBackends(`filteredLeakyRelu ${JSON.stringify(opts)}`, () => {
      const x = tensor([2, 9, 8, 3], 1);
      const y = filteredLeakyRelu(x, opts);
      const r = tensor(y.shape, 2);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(filteredLeakyRelu(a, opts), r)))(x);
      return [y, dx];
    });
  }
});

/** A small critic on 8x8x1 images: conv, filtered leaky ReLU, FIR downsampling, conv, dense. */
function firCritic(seed: number) {
  const blur = designLowpassFilter({ numTaps: 4, cutoff: 0.25, beta: 2 });
  return sequential('firD', [
    conv2d({ inChannels: 1, filters: 2, kernelSize: 3, seed, name: 'c0' }),
    filteredLeakyReluLayer({ name: 'act0' }),
    upfirdn2dLayer({ filter: blur, down: 2, name: 'down0' }),
    conv2d({ inChannels: 2, filters: 2, kernelSize: 3, seed: seed + 1, name: 'c1' }),
    filteredLeakyReluLayer({ name: 'act1', gain: Math.SQRT2 }),
    flattenLayer([4, 4, 2]),
    dense({ inUnits: 32, units: 1, seed: seed + 2 }),
  ]);
}

test('R1 through filtered leaky ReLU and FIR downsampling: gradient w.r.t. D matches finite differences', async () => {
  await useBackend('cpu');
  const D = firCritic(5);
  const real = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 5);
  // Piecewise linear, so R1 jumps wherever one of the ~1000 leaky ReLUs (at the 2x rate) flips:
  // a small net, a small step and second-order differences, so that no kink is crossed. (The
  // biases' coordinate probes read 0 on both sides: R1 of a piecewise-linear net does not
  // depend on them away from kinks.)
  const r = gradCheck(() => r1Penalty(D, real, 1), D.variables, { seed: 2, order: 2, h: 2e-4 });
  assert.ok(r.worstRelError < 2e-2, `worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  real.dispose();
  D.dispose!();
});

test('R1 through the FIR critic: its weight gradients match cpu on wasm', async () => {
  await assertSameOnBackends('R1 gradient, FIR critic', () => {
    const D = firCritic(7);
    const real = tensor([2, 8, 8, 1], 9);
    const { value, grads } = tf.variableGrads(() => r1Penalty(D, real, 1), D.variables);
    // No gradient reaches the biases (see above): tfjs leaves them out; compare zeros.
    const out = [value, ...D.variables.map((v) => grads[v.name] ?? tf.zerosLike(v))];
    D.dispose!();
    return out;
  });
});
