/**
 * Low-resolution digits: average pooling (constants, exact block means), the Gaussian blur
 * (keeps the mean, has the requested spread, also with a kernel wider than the image), the
 * noise's std, seeded reproducibility, and the argument errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowResolutionDigits } from '../../../kernel-helpers/src/data';
import { rng } from '../../../kernel-helpers/src/core/random';

function randomImages(n: number, size: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n * size * size }, () => 2 * r.uniform() - 1);
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

test('pooling a constant image gives the constant, with or without blur', () => {
  const img = new Float32Array(2 * 28 * 28).fill(-0.75);
  for (const blurSigma of [0, 1.2]) {
    const low = lowResolutionDigits(img, 2, { blurSigma });
    assert.equal(low.length, 2 * 7 * 7);
    for (const v of low) assert.ok(Math.abs(v + 0.75) < 1e-6, `blur ${blurSigma}: ${v}`);
  }
});

test('each output pixel is exactly the mean of its 4x4 block', () => {
  // Block (by, bx) holds by * 7 + bx plus a zero-mean checkerboard of +-0.25 (exact in float32).
  const img = new Float32Array(28 * 28);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) img[y * 28 + x] = Math.floor(y / 4) * 7 + Math.floor(x / 4) + ((x + y) % 2 ? 0.25 : -0.25);
  const low = lowResolutionDigits(img, 1);
  assert.deepEqual(Array.from(low), Array.from({ length: 49 }, (_, i) => i));
  // Other sizes and factors: 4x4 -> 2x2.
  const two = lowResolutionDigits(Float32Array.from([1, 3, 0, 0, 5, 7, 0, 4, 0, 0, 2, 2, 0, 0, 2, 2]), 1, { size: 4, factor: 2 });
  assert.deepEqual(Array.from(two), [4, 1, 0, 2]);
});

test('the blur keeps each image\'s mean, and spreads an impulse with variance sigma^2', () => {
  const img = randomImages(3, 28, 1);
  for (const blurSigma of [0.8, 2, 20]) {
    const low = lowResolutionDigits(img, 3, { blurSigma });
    for (let i = 0; i < 3; i++) {
      const m0 = mean(img.subarray(i * 784, (i + 1) * 784));
      const m1 = mean(low.subarray(i * 49, (i + 1) * 49));
      assert.ok(Math.abs(m1 - m0) < 1e-6, `sigma ${blurSigma}, image ${i}: mean ${m0} -> ${m1}`);
    }
  }
  assert.notDeepEqual(Array.from(lowResolutionDigits(img, 3, { blurSigma: 1 })), Array.from(lowResolutionDigits(img, 3)));
  // factor 1: the blur alone. An impulse in the middle of a 41x41 image keeps to the inside.
  const size = 41;
  const impulse = new Float32Array(size * size);
  impulse[20 * size + 20] = 1;
  const sigma = 1.5;
  const b = lowResolutionDigits(impulse, 1, { size, factor: 1, blurSigma: sigma });
  let total = 0;
  let varX = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    total += b[y * size + x];
    varX += b[y * size + x] * (x - 20) ** 2;
  }
  assert.ok(Math.abs(total - 1) < 1e-6);
  assert.ok(Math.abs(varX - sigma * sigma) < 0.01 * sigma * sigma, `impulse variance ${varX} vs ${sigma * sigma}`);
  assert.ok(Math.abs(b[20 * size + 21] - b[20 * size + 19]) < 1e-9 && Math.abs(b[21 * size + 20] - b[20 * size + 21]) < 1e-9, 'isotropic');
});

test('the noise has the requested std and zero mean, and is reproducible by seed', () => {
  const n = 60;
  const img = new Float32Array(n * 784);
  const noisy = lowResolutionDigits(img, n, { noiseStd: 0.3, seed: 5 });
  const m = mean(noisy);
  const sd = Math.sqrt(mean(Array.from(noisy, (v) => (v - m) ** 2)));
  // 2940 samples: the sample std is within about 1.3% (one standard error) of 0.3.
  assert.ok(Math.abs(sd - 0.3) < 0.015, `std ${sd}`);
  assert.ok(Math.abs(m) < 0.02, `mean ${m}`);
  const digits = randomImages(4, 28, 2);
  const a = lowResolutionDigits(digits, 4, { blurSigma: 1, noiseStd: 0.1, seed: 7 });
  const b = lowResolutionDigits(digits, 4, { blurSigma: 1, noiseStd: 0.1, seed: 7 });
  const c = lowResolutionDigits(digits, 4, { blurSigma: 1, noiseStd: 0.1, seed: 8 });
  assert.deepEqual(Array.from(a), Array.from(b));
  assert.notDeepEqual(Array.from(a), Array.from(c));
  // Without noise the seed plays no part.
  assert.deepEqual(Array.from(lowResolutionDigits(digits, 4, { seed: 1 })), Array.from(lowResolutionDigits(digits, 4, { seed: 2 })));
  assert.equal(lowResolutionDigits(new Float32Array(0), 0).length, 0);
});

test('errors', () => {
  const img = new Float32Array(784);
  assert.throws(() => lowResolutionDigits(img, 1, { factor: 3 }), /lowResolutionDigits: opts.factor must be a divisor of size = 28, got 3/);
  assert.throws(() => lowResolutionDigits(img, 1, { factor: 0 }), /opts.factor must be a positive integer, got 0/);
  assert.throws(() => lowResolutionDigits(img, 1, { noiseStd: -0.1 }), /opts.noiseStd must be a finite number >= 0, got -0.1/);
  assert.throws(() => lowResolutionDigits(img, 1, { blurSigma: -1 }), /opts.blurSigma must be a finite number >= 0, got -1/);
  assert.throws(() => lowResolutionDigits(img, 2), /images must hold n\*size\*size = 2\*28\*28 = 1568 values, got 784/);
  assert.throws(() => lowResolutionDigits(img, -1), /n must be an integer >= 0, got -1/);
  assert.throws(() => lowResolutionDigits(img, 1, { sigma: 1 } as object), /unknown option 'sigma'/);
  assert.throws(() => lowResolutionDigits(Array.from(img) as unknown as Float32Array, 1), /images must be a Float32Array/);
});
