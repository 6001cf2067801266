import { test } from 'node:test';
import assert from 'node:assert/strict';
import { psnr, ssim, gradientSharpness } from '../../../kernel-helpers/src/metrics';
import { rng, Rng } from '../../../kernel-helpers/src/core/random';

const uniform = (r: Rng, len: number) => Float32Array.from({ length: len }, () => r.uniform());
const close = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: ${got} vs ${want}`);

test('psnr: 10 log10(R^2 / MSE) per image, Infinity for an exact copy, dataRange required, sizes checked', () => {
  const hw = 14 * 14;
  const a = new Float64Array(2 * hw); // image 0 all 0, image 1 all 0.5
  a.fill(0.5, hw);
  const b = new Float64Array(2 * hw).fill(0.5);
  for (let i = 0; i < hw; i++) b[i] = i % 2 ? 0.2 : -0.2; // image 0: MSE 0.04; image 1: MSE 0
  const res = psnr(a, b, { n: 2, height: 14, width: 14, dataRange: 1 });
  close(res.perImage[0], 10 * Math.log10(1 / 0.04), 1e-12, 'image 0');
  assert.equal(res.perImage[1], Infinity);
  assert.equal(res.mean, Infinity);
  // [-1, 1] pixels: the range doubles, 20 log10(2) dB more for the same error
  const wide = psnr(a.subarray(0, hw), b.subarray(0, hw), { n: 1, height: 14, width: 14, dataRange: 2 });
  close(wide.perImage[0] - res.perImage[0], 20 * Math.log10(2), 1e-12, 'range');
  assert.equal(wide.mean, wide.perImage[0]);
  // colour: the MSE runs over every channel
  const rgbA = new Float32Array(2 * 3 * 3).fill(0);
  const rgbB = Float32Array.from(rgbA, (_, i) => (i % 3 === 0 ? 0.25 : 0));
  close(psnr(rgbA, rgbB, { n: 1, height: 2, width: 3, channels: 3, dataRange: 1 }).mean, 10 * Math.log10(1 / (0.0625 / 3)), 1e-6, 'rgb');

  const one = new Float32Array(hw);
  assert.throws(() => psnr(one, new Float32Array(2 * hw), { n: 1, height: 14, width: 14, dataRange: 1 }), { message: 'psnr: b has 392 values, expected 196 (n 1 x 14 x 14 x 1)' });
  assert.throws(() => psnr(one, one, { n: 1, height: 14, width: 14 } as never), /psnr: opts.dataRange must be a finite number > 0, got undefined/);
  assert.throws(() => psnr(one, one, { n: 1, height: 14, width: 14, dataRange: 0 }), /dataRange must be a finite number > 0, got 0/);
  const nan = one.slice();
  nan[5] = NaN;
  assert.throws(() => psnr(one, nan, { n: 1, height: 14, width: 14, dataRange: 1 }), /psnr: b\[5\] must be a finite number, got NaN/);
  assert.throws(() => psnr(one, one, { n: 1, height: 14, width: 14, dataRange: 1, range: 1 } as never), /psnr: unknown option 'range'/);
});

/**
 * SSIM the slow way: the 2-D Gaussian weights summed directly over each window, the variance
 * and covariance as weighted sums of centred products (not E[x^2] - mu^2).
 */
function bruteSsim(x: ArrayLike<number>, y: ArrayLike<number>, h: number, w: number, c: number, win: number, sigma: number, R: number): number {
  const r = (win - 1) / 2;
  const wts: number[][] = [];
  let tot = 0;
  for (let u = 0; u < win; u++) {
    wts.push([]);
    for (let v = 0; v < win; v++) {
      const e = Math.exp(-((u - r) ** 2 + (v - r) ** 2) / (2 * sigma * sigma));
      wts[u].push(e);
      tot += e;
    }
  }
  const C1 = (0.01 * R) ** 2;
  const C2 = (0.03 * R) ** 2;
  const px = (img: ArrayLike<number>, i: number, j: number, ch: number) => img[(i * w + j) * c + ch];
  let sum = 0;
  let count = 0;
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i + win <= h; i++) {
      for (let j = 0; j + win <= w; j++) {
        let mx = 0;
        let my = 0;
        for (let u = 0; u < win; u++) for (let v = 0; v < win; v++) {
          mx += (wts[u][v] / tot) * px(x, i + u, j + v, ch);
          my += (wts[u][v] / tot) * px(y, i + u, j + v, ch);
        }
        let vx = 0;
        let vy = 0;
        let cxy = 0;
        for (let u = 0; u < win; u++) for (let v = 0; v < win; v++) {
          const g = wts[u][v] / tot;
          const dx = px(x, i + u, j + v, ch) - mx;
          const dy = px(y, i + u, j + v, ch) - my;
          vx += g * dx * dx;
          vy += g * dy * dy;
          cxy += g * dx * dy;
        }
        sum += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
        count++;
      }
    }
  }
  return sum / count;
}

test('ssim matches a brute-force implementation on random 9x9 pairs with a 7-window, one and two channels', () => {
  const r = rng(3);
  for (const c of [1, 2]) {
    const a = uniform(r, 2 * 81 * c);
    const b = Float32Array.from(a, (v) => v + 0.3 * (r.uniform() - 0.5));
    const res = ssim(a, b, { n: 2, height: 9, width: 9, channels: c, dataRange: 1, windowSize: 7 });
    for (let i = 0; i < 2; i++) {
      const size = 81 * c;
      const want = bruteSsim(a.subarray(i * size, (i + 1) * size), b.subarray(i * size, (i + 1) * size), 9, 9, c, 7, 1.5, 1);
      close(res.perImage[i], want, 1e-12, `channels ${c} image ${i}`);
    }
    close(res.mean, (res.perImage[0] + res.perImage[1]) / 2, 1e-15, 'mean');
  }
  // a non-square image, the default sigma changed, pixels on a byte scale
  const a = Float64Array.from({ length: 8 * 11 }, () => Math.round(255 * r.uniform()));
  const b = Float64Array.from(a, (v) => v + Math.round(40 * (r.uniform() - 0.5)));
  close(ssim(a, b, { n: 1, height: 8, width: 11, dataRange: 255, windowSize: 5, sigma: 1 }).mean, bruteSsim(a, b, 8, 11, 1, 5, 1, 255), 1e-12, 'bytes');
});

test('ssim: exactly 1 for identical images, exactly symmetric, falls as noise grows', () => {
  const r = rng(4);
  const a = uniform(r, 3 * 28 * 28 * 3);
  const same = ssim(a, a.slice(), { n: 3, height: 28, width: 28, channels: 3, dataRange: 1 });
  assert.deepEqual(Array.from(same.perImage), [1, 1, 1]);
  assert.equal(same.mean, 1);

  const noise = Float32Array.from(a, () => r.normal());
  let last = 1;
  for (const s of [0.01, 0.03, 0.1, 0.3, 1]) {
    const b = Float32Array.from(a, (v, i) => v + s * noise[i]);
    const opts = { n: 3, height: 28, width: 28, channels: 3, dataRange: 1 };
    const ab = ssim(a, b, opts);
    const ba = ssim(b, a, opts);
    assert.deepEqual(Array.from(ab.perImage), Array.from(ba.perImage), 'symmetric');
    assert.ok(ab.mean < last, `noise ${s}: ${ab.mean} should be below ${last}`);
    for (const v of ab.perImage) assert.ok(v <= 1 && v > -1);
    last = ab.mean;
  }
  // white-noise images of variance 1/12 under noise of variance 1: about 2/12 / (2/12 + 1)
  assert.ok(last > 0.1 && last < 0.2, `heavy noise scores ${last}`);
});

test('ssim of two constant images is the luminance term (2 mu1 mu2 + C1) / (mu1^2 + mu2^2 + C1)', () => {
  for (const [m1, m2, R] of [[0.2, 0.7, 1], [-0.5, 0.25, 2], [0, 0.1, 1], [30, 200, 255]]) {
    const a = new Float32Array(12 * 10).fill(m1);
    const b = new Float32Array(12 * 10).fill(m2);
    const C1 = (0.01 * R) ** 2;
    const want = (2 * Math.fround(m1) * Math.fround(m2) + C1) / (Math.fround(m1) ** 2 + Math.fround(m2) ** 2 + C1);
    const got = ssim(a, b, { n: 1, height: 12, width: 10, dataRange: R });
    close(got.mean, want, 1e-12, `${m1} vs ${m2}`);
  }
});

test('ssim window: default 11, or the largest odd size that fits; even or oversized windows are refused', () => {
  const r = rng(5);
  const a9 = uniform(r, 81);
  const b9 = uniform(r, 81);
  assert.equal(ssim(a9, b9, { n: 1, height: 9, width: 9, dataRange: 1 }).mean, ssim(a9, b9, { n: 1, height: 9, width: 9, dataRange: 1, windowSize: 9 }).mean);
  const a = uniform(r, 28 * 28);
  const b = uniform(r, 28 * 28);
  const opts = { n: 1, height: 28, width: 28, dataRange: 1 };
  assert.equal(ssim(a, b, opts).mean, ssim(a, b, { ...opts, windowSize: 11 }).mean);
  assert.notEqual(ssim(a, b, { ...opts, windowSize: 7 }).mean, ssim(a, b, opts).mean);
  // a 1x6 image: a one-pixel window, the luminance term only (sigma_x = 0)
  assert.ok(Number.isFinite(ssim(a.subarray(0, 6), b.subarray(0, 6), { n: 1, height: 1, width: 6, dataRange: 1 }).mean));
  assert.throws(() => ssim(a, b, { ...opts, windowSize: 8 }), /ssim: opts.windowSize must be an odd integer in \[1, 27\] \(the window must fit in 28 x 28\), got 8/);
  assert.throws(() => ssim(a9, b9, { n: 1, height: 9, width: 9, dataRange: 1, windowSize: 11 }), /windowSize must be an odd integer in \[1, 9\].*got 11/);
  assert.throws(() => ssim(a, b, { ...opts, sigma: 0 }), /ssim: opts.sigma must be a finite number > 0, got 0/);
  assert.throws(() => ssim(a, b, { n: 1, height: 28, width: 28 } as never), /ssim: opts.dataRange must be a finite number > 0/);
  assert.throws(() => ssim(a, b9, opts), { message: 'ssim: b has 81 values, expected 784 (n 1 x 28 x 28 x 1)' });
});

/** 3x3 binomial blur with wrap-around borders. */
function blur(x: Float64Array, h: number, w: number): Float64Array {
  const k = [0.25, 0.5, 0.25];
  const out = new Float64Array(h * w);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      let s = 0;
      for (let u = -1; u <= 1; u++) for (let v = -1; v <= 1; v++) s += k[u + 1] * k[v + 1] * x[((i + u + h) % h) * w + ((j + v + w) % w)];
      out[i * w + j] = s;
    }
  }
  return out;
}

test('gradientSharpness: 0 for a constant image, the slope for a ramp, lower after a blur', () => {
  const flat = new Float32Array(2 * 5 * 4 * 3).fill(0.7);
  assert.deepEqual(Array.from(gradientSharpness(flat, { n: 2, height: 5, width: 4, channels: 3 }).perImage), [0, 0]);
  // ramps: along the width (slope 0.1) and along both axes (slopes 0.3, 0.4)
  const ramp = Float64Array.from({ length: 2 * 6 * 7 }, (_, i) => {
    const img = Math.floor(i / 42);
    const r = Math.floor((i % 42) / 7);
    const c = i % 7;
    return img === 0 ? 0.1 * c : 0.4 * r + 0.3 * c;
  });
  const g = gradientSharpness(ramp, { n: 2, height: 6, width: 7 });
  close(g.perImage[0], 0.1, 1e-12, 'ramp');
  close(g.perImage[1], 0.5, 1e-12, 'diagonal ramp');
  close(g.mean, 0.3, 1e-12, 'mean');
  // a one-pixel checkerboard of amplitude 1: every difference is 2
  const checker = Float64Array.from({ length: 16 }, (_, i) => ((Math.floor(i / 4) + (i % 4)) % 2 ? 1 : -1));
  close(gradientSharpness(checker, { n: 1, height: 4, width: 4 }).mean, 2 * Math.SQRT2, 1e-12, 'checkerboard');

  const r = rng(6);
  const img = Float64Array.from({ length: 20 * 20 }, (_, i) => ((i % 20) >= 10 ? 1 : 0) + 0.2 * r.normal());
  const once = blur(img, 20, 20);
  const twice = blur(once, 20, 20);
  const s = [img, once, twice].map((x) => gradientSharpness(x, { n: 1, height: 20, width: 20 }).mean);
  assert.ok(s[0] > s[1] && s[1] > s[2], `sharpness ${s.join(' > ')}`);

  assert.throws(() => gradientSharpness(new Float32Array(5), { n: 1, height: 1, width: 5 }), /gradientSharpness: opts.height and opts.width must be at least 2/);
  assert.throws(() => gradientSharpness(new Float32Array(5), { n: 1, height: 2, width: 5 }), { message: 'gradientSharpness: images has 5 values, expected 10 (n 1 x 2 x 5 x 1)' });
});
