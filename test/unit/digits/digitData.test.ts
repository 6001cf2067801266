import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDigits, averagePool2x, digitImage, sampleStackedDigits, modeId, modeDigits } from '../../../kernel-helpers/src/data';
import { rng } from '../../../kernel-helpers/src/core/random';

test('the mnist package gives ~1,000 digits per class, split 80/20 without overlap', () => {
  const all = loadDigits({ size: 28 });
  const train = loadDigits({ split: 'train' });
  const test = loadDigits({ split: 'test' });
  assert.equal(all.count, 10000);
  assert.equal(train.count + test.count, all.count);
  assert.equal(train.size, 14);
  assert.equal(train.images.length, train.count * 196);
  const counts = new Array(10).fill(0);
  for (const l of test.labels) counts[l]++;
  assert.ok(counts.every((c) => c > 150 && c < 260), `test counts ${counts}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of all.images) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  assert.ok(lo >= 0 && hi <= 1 && hi > 0.9, `range ${lo}..${hi}`);
});

test('2x2 average pooling is the block mean and keeps total intensity / 4', () => {
  const img = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual(Array.from(averagePool2x(img, 1, 4)), [3.5, 5.5, 11.5, 13.5]);
  assert.throws(() => averagePool2x(img, 1, 3), /size must be even/);
  const d28 = loadDigits({ size: 28, split: 'test' });
  const d14 = loadDigits({ size: 14, split: 'test' });
  const s28 = digitImage(d28, 5).reduce((a, b) => a + b, 0);
  const s14 = digitImage(d14, 5).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(s28 / 4 - s14) < 1e-3);
});

test('stacked digits: channels hold the drawn digits, mode ids cover 10^channels uniformly', () => {
  const set = loadDigits({ split: 'test' });
  const b = sampleStackedDigits(set, { n: 4000, channels: 2, r: rng(3) });
  assert.equal(b.pixels.length, 4000 * 196 * 2);
  const seen = new Set(Array.from(b.modes));
  assert.ok(seen.size >= 99, `modes seen ${seen.size}`);
  let lo = Infinity;
  for (const v of b.pixels) lo = Math.min(lo, v);
  assert.equal(lo, -1);
  assert.equal(modeId([3, 7]), 73);
  assert.deepEqual(modeDigits(73, 2), [3, 7]);
  assert.throws(() => modeId([10]), /modeId: digits\[0\] must be an integer in \[0, 9\], got 10/);
  assert.throws(() => sampleStackedDigits(set, { n: 1, channels: 0, r: rng(1) }), /channels must be/);
});
