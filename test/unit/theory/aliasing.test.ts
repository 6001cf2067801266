/**
 * Aliasing in plain numbers: the DFT power spectra (a cosine's single bin, Parseval, the 2-D
 * centring), folded energy (none for the identity, far less for the filtered nonlinearity than
 * for a pointwise one), measured stopband attenuation, and the errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dftBinFrequencies,
  dftPower1d,
  dftPower2d,
  filteredNonlinearity1d,
  foldedEnergy,
  pointwiseNonlinearity1d,
  sampleSinusoids,
  stopbandAttenuationDb,
} from '../../../kernel-helpers/src/theory';
import { designLowpassFilter, firAmplitudeResponse } from '../../../kernel-helpers/src/nn/firFilter';

const energy = (x: ArrayLike<number>) => Array.from(x).reduce((a, v) => a + v * v, 0);
const sum = (x: ArrayLike<number>) => Array.from(x).reduce((a, v) => a + v, 0);

/** Deterministic values in [-1, 1). */
function noise(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

test('dftPower1d: a cosine at an integer bin puts all its energy, A^2 N / 2, in that bin', () => {
  for (const [n, k0, amp, phase] of [[64, 5, 1.5, 0.7], [63, 20, 0.3, -2], [256, 127, 1, 1]] as const) {
    const x = Array.from({ length: n }, (_, j) => amp * Math.cos((2 * Math.PI * k0 * j) / n + phase));
    const p = dftPower1d(x);
    assert.equal(p.length, Math.floor(n / 2) + 1);
    const expected = (amp * amp * n) / 2;
    assert.ok(Math.abs(p[k0] - expected) < 1e-9 * expected, `n ${n}, bin ${k0}: ${p[k0]} vs ${expected}`);
    const rest = sum(p) - p[k0];
    assert.ok(rest < 1e-20 * n * n + 1e-12 * expected, `energy outside bin ${k0}: ${rest}`);
  }
  // DC and, for even N, Nyquist are counted once.
  assert.ok(Math.abs(dftPower1d([2, 2, 2, 2])[0] - 16) < 1e-12);
  const nyq = dftPower1d([1, -1, 1, -1]);
  assert.ok(Math.abs(nyq[2] - 4) < 1e-12 && Math.abs(nyq[0]) < 1e-24);
});

test('dftPower1d and dftPower2d: Parseval, the bins sum to the energy', () => {
  for (const n of [1, 2, 7, 64, 100]) {
    const x = noise(n, n);
    const p = dftPower1d(x);
    assert.ok(Math.abs(sum(p) - energy(x)) < 1e-10 * Math.max(1, energy(x)), `n ${n}`);
  }
  for (const [h, w] of [[8, 8], [5, 12], [1, 9]]) {
    const img = noise(h * w, h + 31 * w);
    const p = dftPower2d(img, h, w);
    assert.equal(p.length, h * w);
    assert.ok(Math.abs(sum(p) - energy(img)) < 1e-10 * energy(img), `${h}x${w}`);
  }
});

test('dftPower2d is centred: a plane wave lands at (floor(h/2) + ky, floor(w/2) + kx) and its mirror', () => {
  const [h, w, ky, kx] = [9, 16, 2, -3];
  const img = Array.from({ length: h * w }, (_, q) => Math.cos(2 * Math.PI * ((ky * Math.floor(q / w)) / h + (kx * (q % w)) / w)));
  const p = dftPower2d(img, h, w);
  const at = (r: number, c: number) => p[r * w + c];
  const [r0, c0] = [Math.floor(h / 2), Math.floor(w / 2)];
  const half = (h * w) / 4;
  assert.ok(Math.abs(at(r0 + ky, c0 + kx) - half) < 1e-9 && Math.abs(at(r0 - ky, c0 - kx) - half) < 1e-9);
  assert.ok(sum(p) - at(r0 + ky, c0 + kx) - at(r0 - ky, c0 - kx) < 1e-9);
  // A constant is all DC.
  const dc = dftPower2d(new Array(h * w).fill(1), h, w);
  assert.ok(Math.abs(dc[r0 * w + c0] - h * w) < 1e-9);
  assert.deepEqual(Array.from(dftBinFrequencies(4, { centred: true })), [-0.5, -0.25, 0, 0.25]);
  assert.deepEqual(Array.from(dftBinFrequencies(5, { fs: 10 })), [0, 2, 4]);
});

const SIGNALS = [
  { length: 256, frequencies: [13 / 256] },
  // Bins 15, 21 and 33 (g = 3, coprime to 256), all below fs/4.
  { length: 256, frequencies: [15 / 256, 21 / 256, 33 / 256], amplitudes: [1, 0.7, 0.5], phases: [0.3, 1.1, 2] },
  // In units of a sampling rate of 64 samples per second.
  { length: 64, fs: 64, frequencies: [5, 15], amplitudes: [1, 0.4] },
];

test('foldedEnergy: the identity of a band-limited signal has no folded and no out-of-band energy', () => {
  for (const sig of SIGNALS) {
    const id = foldedEnergy(sig, (x) => x);
    assert.ok(id.aliased < 1e-25 && id.outOfBand < 1e-25, JSON.stringify({ aliased: id.aliased, outOfBand: id.outOfBand }));
    assert.ok(Math.abs(id.energy - energy(sampleSinusoids(sig))) < 1e-9 * id.energy);
  }
});

test('foldedEnergy: the filtered nonlinearity folds at least 10x less than the pointwise one (Kaiser, 24 taps)', () => {
  const filter = designLowpassFilter({ numTaps: 24, cutoff: 0.45, transitionWidth: 0.2, fs: 2 });
  const atEdge = designLowpassFilter({ numTaps: 24, cutoff: 0.25, transitionWidth: 0.2, fs: 2 });
  for (const sig of SIGNALS) {
    const plain = foldedEnergy(sig, (x) => pointwiseNonlinearity1d(x, { slope: 0.2 }));
    const filtered = foldedEnergy(sig, (x) => filteredNonlinearity1d(x, { up: 2, taps: filter, slope: 0.2 }));
    assert.ok(plain.aliased > 1e-5, `the pointwise leaky ReLU must fold something: ${plain.aliased}`);
    assert.ok(filtered.aliased < 0.1 * plain.aliased, `filtered ${filtered.aliased.toExponential(2)} vs pointwise ${plain.aliased.toExponential(2)}`);
    // With the low-pass cut at the band edge fs/4 instead, the harmonics above it go too.
    const banded = foldedEnergy(sig, (x) => filteredNonlinearity1d(x, { taps: atEdge }));
    assert.ok(banded.outOfBand < 0.2 * plain.outOfBand, `out of band: ${banded.outOfBand.toExponential(2)} vs ${plain.outOfBand.toExponential(2)}`);
  }
  // A 6-tap filter with a wide band (the 12-tap default of filteredLeakyRelu at half length) helps less.
  const short = designLowpassFilter({ numTaps: 6, cutoff: 0.45, transitionWidth: 0.4, fs: 2 });
  const plain = foldedEnergy(SIGNALS[0], (x) => pointwiseNonlinearity1d(x));
  const rough = foldedEnergy(SIGNALS[0], (x) => filteredNonlinearity1d(x, { taps: short }));
  const good = foldedEnergy(SIGNALS[0], (x) => filteredNonlinearity1d(x, { taps: filter }));
  assert.ok(good.aliased < rough.aliased && rough.aliased < plain.aliased, `${good.aliased} ${rough.aliased} ${plain.aliased}`);
});

test('filteredNonlinearity1d: a linear fn passes a passband signal unshifted; a constant stays constant', () => {
  const filter = designLowpassFilter({ numTaps: 24, cutoff: 0.45, transitionWidth: 0.2, fs: 2 });
  const sig = { length: 64, frequencies: [3 / 64, 7 / 64] };
  const x = sampleSinusoids(sig);
  const y = filteredNonlinearity1d(x, { taps: filter, fn: (v) => v });
  // The passband ripple of a 24-tap Kaiser filter is well under 1%; a half-sample shift would cost ~30%.
  const err = Math.sqrt(energy(y.map((v, i) => v - x[i])) / energy(x));
  assert.ok(err < 0.01, `relative error ${err}`);
  const c = filteredNonlinearity1d(new Array(32).fill(-2), { taps: filter, up: 2, slope: 0.1 });
  c.forEach((v) => assert.ok(Math.abs(v - -0.2) < 1e-3, `${v}`));
  // Odd lengths and up 3 work too.
  const odd = designLowpassFilter({ numTaps: 37, cutoff: 0.45, transitionWidth: 0.3, fs: 3 });
  const y3 = filteredNonlinearity1d(x, { taps: odd, up: 3, fn: (v) => v });
  assert.ok(Math.sqrt(energy(y3.map((v, i) => v - x[i])) / energy(x)) < 0.01);
  assert.deepEqual(Array.from(pointwiseNonlinearity1d([-1, 2], { slope: 0.5 })), [-0.5, 2]);
});

test('stopbandAttenuationDb: what the Kaiser design promises, and more for longer filters', () => {
  for (const a of [40, 60, 80]) {
    const f = designLowpassFilter({ cutoff: 0.25, transitionWidth: 0.1, attenuationDb: a });
    const measured = stopbandAttenuationDb(f.taps, { stopbandStart: 0.3 });
    assert.ok(measured > a - 2 && measured < a + 5, `designed ${a} dB (${f.taps.length} taps), measured ${measured.toFixed(1)} dB`);
  }
  // Fixed window parameter and band: attenuation grows with the length.
  const byLength = [8, 16, 32].map((n) => stopbandAttenuationDb(designLowpassFilter({ cutoff: 0.25, numTaps: n, beta: 6 }), { stopbandStart: 0.35 }));
  assert.ok(byLength[0] < byLength[1] && byLength[1] < byLength[2], JSON.stringify(byLength));
  // The same number as a dense grid of firAmplitudeResponse (the nn layer's response).
  const f = designLowpassFilter({ numTaps: 12, cutoff: 0.4, transitionWidth: 0.4, fs: 2 });
  const grid = Array.from({ length: 2048 }, (_, p) => 0.6 + (0.4 * p) / 2047);
  const worst = Math.max(...firAmplitudeResponse(f.taps, grid, 2));
  const expected = 20 * Math.log10(sum(f.taps) / worst);
  assert.ok(Math.abs(stopbandAttenuationDb(f, { stopbandStart: 0.6, fs: 2 }) - expected) < 1e-4);
  assert.equal(stopbandAttenuationDb([1], { stopbandStart: 0.1 }), 0);
});

test('aliasing helpers: errors name the function and the argument', () => {
  const taps = designLowpassFilter({ numTaps: 12, cutoff: 0.4, transitionWidth: 0.4, fs: 2 });
  assert.throws(() => dftPower1d([]), /dftPower1d: signal must be a non-empty list of finite numbers/);
  assert.throws(() => dftPower1d([1, NaN]), /dftPower1d: signal\[1\] must be a finite number, got NaN/);
  assert.throws(() => dftPower2d([1, 2, 3], 2, 2), /dftPower2d: image.length must be h \* w = 4, got 3/);
  assert.throws(() => dftPower2d([1], 0, 1), /dftPower2d: h must be an integer in \[1, 512\], got 0/);
  assert.throws(() => stopbandAttenuationDb(taps, { stopbandStart: 0.5 }), /stopbandAttenuationDb: stopbandStart must be in \(0, fs\/2\) = \(0, 0.5\), got 0.5/);
  assert.throws(() => stopbandAttenuationDb([], { stopbandStart: 0.2 }), /stopbandAttenuationDb: taps must be a non-empty list/);
  assert.throws(() => stopbandAttenuationDb([1, -1], { stopbandStart: 0.2 }), /stopbandAttenuationDb: taps must be a low-pass filter \(non-zero DC gain\)/);
  assert.throws(() => filteredNonlinearity1d([1, 2], { taps, up: 0 }), /filteredNonlinearity1d: up must be an integer in \[1, 16\], got 0/);
  assert.throws(() => filteredNonlinearity1d([1, 2], { taps: [] }), /filteredNonlinearity1d: taps must be a non-empty list/);
  assert.throws(() => filteredNonlinearity1d([1, 2], { taps, slope: 2 }), /filteredNonlinearity1d: slope must be in \[0, 1\], got 2/);
  assert.throws(() => filteredNonlinearity1d([1, 2], { taps, factor: 2 } as never), /filteredNonlinearity1d: unknown option 'factor'/);
  const id = (x: Float64Array) => x;
  assert.throws(() => foldedEnergy({ length: 64, frequencies: [0.6] }, id), /foldedEnergy: signal.frequencies\[0\] must be in \(0, fs\/2\) = \(0, 0.5\), got 0.6/);
  assert.throws(() => foldedEnergy({ length: 64, frequencies: [0.1] }, id), /foldedEnergy: signal.frequencies\[0\] must be a multiple of fs \/ length = 0.015625/);
  assert.throws(() => foldedEnergy({ length: 64, frequencies: [5 / 64, 7 / 64] }, id), /foldedEnergy: signal.frequencies must be multiples of a common bin spacing g >= 2 coprime to length 64.*g = 1/);
  assert.throws(() => foldedEnergy({ length: 64, frequencies: [4 / 64] }, id), /coprime to length 64.*g = 4/);
  assert.throws(() => foldedEnergy(SIGNALS[0], id, { bandEdge: 0 }), /foldedEnergy: bandEdge must be in \(0, fs\/2\)/);
  assert.throws(() => foldedEnergy(SIGNALS[0], (x) => x.slice(1)), /foldedEnergy: f\(x\).length must be the signal's length 256, got 255/);
  assert.throws(() => foldedEnergy({ ...SIGNALS[0], amplitudes: [1, 2] }, id), /foldedEnergy: signal.amplitudes must be 1 finite numbers/);
});
