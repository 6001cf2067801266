/**
 * The two synthesis paths: shapes, the output scaling, determinism and a shared input, the
 * net form against render, a whole-pixel shift of the alias-free path, no leaked tensors, and
 * the errors. (How equivariant they are: test/unit/metrics/equivariance.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { aliasFreePath, styleGan2LikePath } from '../../../kernel-helpers/src/gan/models/synthesisPaths';
import { useBackend } from '../backend/backend-compare';

const SMALL = { size: 16, inputSize: 8, channels: 8 };

function pixels(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

test('synthesis paths: [1, size, size, 1] images scaled to peak 1, the same input for the same seed', async () => {
  await useBackend('cpu');
  const sg2 = styleGan2LikePath({ ...SMALL, seed: 4 });
  const af = aliasFreePath({ ...SMALL, seed: 4 });
  for (const p of [sg2, af]) {
    const y = p.render();
    assert.deepEqual(y.shape, [1, 16, 16, 1]);
    const v = pixels(y);
    assert.ok(Math.abs(Math.max(...v.map(Math.abs)) - 1) < 1e-6, `${p.name}: peak ${Math.max(...v.map(Math.abs))}`);
    assert.equal(p.size, 16);
    assert.equal(p.frequencies.length, 4);
    p.frequencies.forEach(([fx, fy]) => assert.ok(Math.hypot(fx, fy) <= 2 + 1e-12, 'within the default bandwidth inputSize / 4'));
  }
  // Same seed, same draws of frequencies: both paths see the same input transform of the same features.
  assert.deepEqual(sg2.frequencies, af.frequencies);
  // Deterministic, and the net form with a batch of rows agrees with render.
  const again = aliasFreePath({ ...SMALL, seed: 4 });
  assert.deepEqual(pixels(again.render({ translate: [1.5, -2] })), pixels(af.render({ translate: [1.5, -2] })));
  const rows = tf.tensor2d([[1, 0, 0, 0], [Math.cos(0.3), Math.sin(0.3), 1 / 16, 0]]);
  const batch = af.net.apply(rows);
  assert.deepEqual(batch.shape, [2, 16, 16, 1]);
  const both = pixels(batch);
  const single = pixels(af.render({ translate: [1, 0], rotate: 0.3 }));
  single.forEach((v, i) => assert.ok(Math.abs(v - both[256 + i]) < 1e-5));
  rows.dispose();
  // A full turn is the identity (up to the cos/sin rounding of 2 pi).
  const id = pixels(sg2.render());
  pixels(sg2.render({ rotate: 2 * Math.PI })).forEach((v, i) => assert.ok(Math.abs(v - id[i]) < 1e-4));
  [sg2, af, again].forEach((p) => p.dispose());
});

test('aliasFreePath: a whole-pixel shift of the input moves the image by that many pixels (interior)', async () => {
  await useBackend('cpu');
  const af = aliasFreePath({ ...SMALL, seed: 2 });
  const a = pixels(af.render());
  const b = pixels(af.render({ translate: [3, -2] }));
  let worst = 0;
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const si = i + 2;
      const sj = j - 3;
      if (si < 0 || si > 15 || sj < 0 || sj > 15) continue;
      worst = Math.max(worst, Math.abs(b[i * 16 + j] - a[si * 16 + sj]));
    }
  }
  assert.ok(worst < 0.02, `largest difference ${worst} (images peak at 1)`);
  af.dispose();
});

test('synthesis paths: render leaks no tensors; margin 0 is allowed', async () => {
  await useBackend('cpu');
  const p = aliasFreePath({ ...SMALL, margin: 0, seed: 1 });
  const q = styleGan2LikePath({ size: 8, inputSize: 4, channels: 4, seed: 1 });
  const before = tf.memory().numTensors;
  pixels(p.render({ translate: [0.5, 0.25], rotate: 1 }));
  pixels(q.render({ translate: [0.5, 0.25], rotate: 1 }));
  assert.equal(tf.memory().numTensors, before);
  p.dispose();
  q.dispose();
});

test('synthesis paths: errors name the path and the argument', async () => {
  await useBackend('cpu');
  assert.throws(() => styleGan2LikePath({ size: 24, inputSize: 8 }), /styleGan2Like: size must be inputSize \(8\) times a power of two, 1 included .*, got 24/);
  assert.throws(() => aliasFreePath({ size: 4, inputSize: 8 }), /aliasFree: size must be inputSize \(8\) times a power of two/);
  assert.throws(() => aliasFreePath({ channels: 7 }), /aliasFree: channels must be even/);
  assert.throws(() => aliasFreePath({ bandwidth: 5 }), /aliasFree: bandwidth must be in \(0, inputSize\/2\] = \(0, 4\] cycles per image width/);
  assert.throws(() => aliasFreePath({ margin: -1 }), /aliasFree: margin must be an integer >= 0, got -1/);
  assert.throws(() => aliasFreePath({ slope: 1.5 }), /aliasFree: slope must be in \[0, 1\], got 1.5/);
  assert.throws(() => styleGan2LikePath({ margin: 10 } as never), /styleGan2Like: unknown option 'margin'/);
  assert.throws(() => aliasFreePath({ activation: { cutof: 0.3 } as never }), /aliasFree \(activation\): unknown option 'cutof'/);
  assert.throws(() => aliasFreePath({ ...SMALL, activation: { cutoff: 1.2 } }), /cutoff must be in \(0, fs\/2\)/);
  const p = styleGan2LikePath({ size: 8, inputSize: 4, channels: 4, name: 'G2', seed: 3 });
  assert.throws(() => p.render({ translate: [1] as never }), /G2.render: translate must be \[dx, dy\] in output pixels/);
  assert.throws(() => p.render({ rotate: NaN }), /G2.render: rotate must be a finite number, got NaN/);
  assert.throws(() => p.render({ shift: [1, 2] } as never), /G2.render: unknown option 'shift'/);
  p.dispose();
});
