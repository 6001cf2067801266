/**
 * EQ-T and EQ-R: renderers equivariant by construction score the cap (or Infinity without
 * it), the interpolations' own ceilings, the StyleGAN2-like path far below the alias-free
 * one, the resampling helpers' conventions, and the errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { aliasFreePath, styleGan2LikePath, SynthesisTransform } from '../../../kernel-helpers/src/gan/models/synthesisPaths';
import { fourierFeatures } from '../../../kernel-helpers/src/nn/fourierFeatures';
import { equivarianceR, equivarianceT, PlainImage, rotateImage, translateImage, TransformableRenderer } from '../../../kernel-helpers/src/metrics/equivariance';
import { useBackend, values } from '../backend/backend-compare';

/** A fixed image shifted by whole pixels, zeros filling in: EQ-T's integer reference exactly. */
function shiftingImage(h: number, w: number): TransformableRenderer {
  const img = values(h * w, 3);
  return {
    render(t: SynthesisTransform) {
      const [dx, dy] = t.translate ?? [0, 0];
      const out = new Float32Array(h * w);
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) if (i - dy >= 0 && i - dy < h && j - dx >= 0 && j - dx < w) out[i * w + j] = img[(i - dy) * w + j - dx];
      return tf.tensor4d(out, [1, h, w, 1]);
    },
  };
}

/**
 * A "network" that only renders its Fourier features, mixed linearly into 2 channels: it
 * transforms exactly as its input does. Integer frequencies (cycles per image width) make it
 * periodic on the canvas as well.
 */
function fourierRenderer(size: number, frequencies?: [number, number][], bandwidth = 4): TransformableRenderer & { dispose(): void } {
  const ff = fourierFeatures({ size, channels: 8, bandwidth, frequencies, transform: true, seed: 4 });
  const mix = tf.tensor2d([0.3, -0.1, -0.2, 0.2, 0.25, 0.1, 0.1, -0.3, 0.2, 0.1, 0.3, 0.2, -0.15, 0.05, 0.2, -0.1], [8, 2]);
  return {
    render(t: SynthesisTransform) {
      const a = t.rotate ?? 0;
      const [dx, dy] = t.translate ?? [0, 0];
      return tf.tidy(() => {
        const f = ff.apply(tf.tensor2d([[Math.cos(a), Math.sin(a), dx / size, dy / size]])) as tf.Tensor4D;
        return tf.reshape(tf.matMul(tf.reshape(f, [-1, 8]), mix), [1, size, size, 2]);
      });
    },
    dispose() {
      ff.dispose!();
      mix.dispose();
    },
  };
}

test('EQ-T, integer shifts: an exactly equivariant renderer scores the 100 dB cap, Infinity without it', async () => {
  await useBackend('cpu');
  const img = shiftingImage(12, 10);
  const capped = await equivarianceT(img, { count: 8, seed: 1 });
  assert.equal(capped.mse, 0);
  assert.equal(capped.db, 100);
  assert.equal(capped.samples.length, 8);
  capped.samples.forEach((s) => {
    const [dx, dy] = s.transform.translate!;
    assert.ok(Number.isInteger(dx) && Number.isInteger(dy) && Math.abs(dx) <= 2 && Math.abs(dy) <= 2, `shift ${dx}, ${dy} within 1/8 of the image`);
    assert.equal(s.validPixels, (12 - Math.abs(dy)) * (10 - Math.abs(dx)));
  });
  assert.ok(capped.validShare > 0.7 && capped.validShare <= 1);
  assert.equal((await equivarianceT(img, { count: 4, seed: 1, capDb: Infinity })).db, Infinity);
  const four = fourierRenderer(16);
  const f = await equivarianceT(four, { count: 6, seed: 2, capDb: Infinity });
  assert.ok(f.db > 100, `Fourier features, whole-pixel shifts: ${f.db.toFixed(1)} dB (float32 rounding only)`);
  four.dispose();
});

test('EQ-T, fractional shifts: sinc is exact on periodic content; Lanczos-3 (the paper) has a ceiling near 50-60 dB', async () => {
  await useBackend('cpu');
  // Integer frequencies below Nyquist (8 cycles per width at 16 px): periodic on the canvas.
  const periodic = fourierRenderer(16, [[1, 2], [3, -1], [-2, 4], [5, 0]], 6);
  const sinc = await equivarianceT(periodic, { shifts: 'fractional', interpolation: 'sinc', count: 6, seed: 3 });
  assert.ok(sinc.db > 90, `periodic content, sinc shift: ${sinc.db.toFixed(1)} dB`);
  assert.ok(sinc.samples.some((s) => !Number.isInteger(s.transform.translate![0])), 'the shifts are fractional');
  periodic.dispose();
  const open = fourierRenderer(16);
  const lanczos = await equivarianceT(open, { shifts: 'fractional', count: 6, seed: 3 });
  const sharper = await equivarianceT(open, { shifts: 'fractional', lanczosA: 5, count: 6, seed: 3 });
  const wrapped = await equivarianceT(open, { shifts: 'fractional', interpolation: 'sinc', count: 6, seed: 3 });
  console.log(`exact renderer, fractional EQ-T: Lanczos-3 ${lanczos.db.toFixed(1)} dB, Lanczos-5 ${sharper.db.toFixed(1)} dB, periodic sinc ${wrapped.db.toFixed(1)} dB`);
  assert.ok(lanczos.db > 45 && lanczos.db < 90, `Lanczos-3: ${lanczos.db}`);
  assert.ok(sharper.db > lanczos.db, 'a wider Lanczos window interpolates better');
  assert.ok(wrapped.db < lanczos.db, 'non-periodic content: the wrap-around rings through a periodic sinc');
  const rot = await equivarianceR(open, { count: 6, seed: 3 });
  console.log(`exact renderer, EQ-R (Lanczos-3): ${rot.db.toFixed(1)} dB`);
  assert.ok(rot.db > 45, `EQ-R ceiling ${rot.db}`);
  open.dispose();
});

test('StyleGAN2-like vs alias-free path: EQ-T (integer, fractional) and EQ-R clearly lower for StyleGAN2-like', async () => {
  await useBackend('cpu');
  const cfg = { size: 16, inputSize: 8, channels: 8, seed: 1 };
  const sg2 = styleGan2LikePath(cfg);
  const af = aliasFreePath(cfg);
  const scores = async (p: TransformableRenderer) => ({
    int: (await equivarianceT(p, { count: 6, seed: 5 })).db,
    frac: (await equivarianceT(p, { shifts: 'fractional', count: 6, seed: 5 })).db,
    rot: (await equivarianceR(p, { count: 6, seed: 5 })).db,
  });
  const a = await scores(sg2);
  const b = await scores(af);
  const f = (s: typeof a) => `EQ-T ${s.int.toFixed(1)}, EQ-T frac ${s.frac.toFixed(1)}, EQ-R ${s.rot.toFixed(1)} dB`;
  console.log(`StyleGAN2-like: ${f(a)}; alias-free: ${f(b)}`);
  assert.ok(a.int < 35 && b.int > 50 && b.int - a.int > 20, f(a) + ' / ' + f(b));
  assert.ok(a.frac < 35 && b.frac > 45 && b.frac - a.frac > 20, f(a) + ' / ' + f(b));
  assert.ok(b.rot - a.rot > 15, f(a) + ' / ' + f(b));
  sg2.dispose();
  af.dispose();
});

test('translateImage and rotateImage: content moves right/down and turns +x towards +y; masks', () => {
  const h = 15;
  const w = 15;
  const data = new Float32Array(h * w);
  data[7 * w + 9] = 1; // two pixels right of the centre pixel (7, 7)
  const img: PlainImage = { data, height: h, width: w, channels: 1 };
  const moved = translateImage(img, [1, 2]);
  assert.equal(moved.image.data[9 * w + 10], 1);
  assert.equal(moved.mask[0], 0); // its source (-2, -1) lies outside
  assert.equal(moved.mask[2 * w + 1], 1);
  const turned = rotateImage(img, Math.PI / 2);
  assert.ok(Math.abs(turned.image.data[9 * w + 7] - 1) < 1e-6, 'right of the centre goes below it (y points down the rows)');
  assert.equal(turned.mask[7 * w + 7], 1);
  assert.equal(turned.mask[0], 0);
  // A half-pixel Lanczos shift of a constant stays constant where valid.
  const flat: PlainImage = { data: new Float32Array(h * w).fill(0.5), height: h, width: w, channels: 1 };
  const half = translateImage(flat, [0.5, 0]);
  let validCount = 0;
  half.mask.forEach((m, p) => {
    if (!m) return;
    validCount++;
    assert.ok(Math.abs(half.image.data[p] - 0.5) < 1e-6);
  });
  // Lanczos-3 reads the 6 columns around a source that lies between two: 5 of 15 columns lose part of it.
  assert.equal(validCount, 15 * 10);
});

test('equivariance metrics: errors name the metric and the argument', async () => {
  await useBackend('cpu');
  const img = shiftingImage(8, 8);
  await assert.rejects(equivarianceT(img, { maxShift: -0.1 }), /equivarianceT: maxShift must be a finite number >= 0, got -0.1/);
  await assert.rejects(equivarianceT(img, { maxShift: 1 }), /equivarianceT: maxShift must be a fraction of the image size in \[0, 1\), got 1/);
  await assert.rejects(equivarianceT(img, { count: 0 }), /equivarianceT: count must be a positive integer, got 0/);
  await assert.rejects(equivarianceT(img, { shifts: 'half' as never }), /equivarianceT: shifts must be one of 'integer', 'fractional', got "half"/);
  await assert.rejects(equivarianceT(img, { interpolation: 'sinc' }), /equivarianceT: interpolation only applies to shifts 'fractional'/);
  await assert.rejects(equivarianceT(img, { peak: 0 }), /equivarianceT: peak must be a finite number > 0, got 0/);
  await assert.rejects(equivarianceT(img, { lanczosA: 0, shifts: 'fractional' }), /equivarianceT: lanczosA must be an integer in \[1, 16\], got 0/);
  await assert.rejects(equivarianceT(img, { maxshift: 0.1 } as never), /equivarianceT: unknown option 'maxshift'/);
  await assert.rejects(equivarianceT({} as never), /equivarianceT: renderer must be an object with render\(transform\)/);
  await assert.rejects(equivarianceT({ render: () => tf.zeros([8, 8]) }), /equivarianceT: renderer.render\(...\) must be a \[1, height, width, channels\] tensor, got \[8, 8\]/);
  await assert.rejects(equivarianceR(img, { maxAngle: -1 }), /equivarianceR: maxAngle must be a finite number >= 0, got -1/);
  await assert.rejects(equivarianceR(img, { shifts: 'integer' } as never), /equivarianceR: unknown option 'shifts'/);
  // Tiny images under large rotations leave nothing to compare.
  await assert.rejects(equivarianceR(shiftingImage(4, 4), { count: 2, seed: 1 }), /equivarianceR: no pixel was valid/);
  assert.throws(() => translateImage({ data: new Float32Array(3), height: 2, width: 2, channels: 1 }, [0, 0]), /translateImage: image must be/);
  assert.throws(() => rotateImage({ data: new Float32Array(4), height: 2, width: 2, channels: 1 }, NaN), /rotateImage: angle must be a finite number \(radians\), got NaN/);
});
