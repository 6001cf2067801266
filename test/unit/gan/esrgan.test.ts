/**
 * ESRGAN's generator and discriminator: shapes for both upsamplers and scales, no batch norm in
 * G by default (and where the ablation puts it), the residual scaling reaching the RRDBs, weight
 * transforms seeing every conv in order, a few L1 steps lowering the loss, D's logits with the
 * relativistic average loss, and the size checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { esrganDiscriminator, esrganGenerator, esrganNets, relativisticAverageLoss } from '../../../kernel-helpers/src/gan';
import { LayerInfo, parameterCount } from '../../../kernel-helpers/src/nn';
import { maxAbsDiff, tensor, useBackend } from '../backend/backend-compare';

const small = { channels: 4, growth: 2 };

test('G: 7x7 -> 28x28 (and 14x14 at scale 2) with either upsampler; D: 28x28 -> one logit', async () => {
  await useBackend('cpu');
  const x = tensor([2, 7, 7, 1], 1);
  for (const upsample of ['nearest', 'pixelShuffle'] as const) {
    for (const scale of [2, 4] as const) {
      const G = esrganGenerator({ ...small, blocks: 1, upsample, scale, seed: 1 });
      const y = G.apply(x);
      assert.deepEqual(y.shape, [2, 7 * scale, 7 * scale, 1], `${upsample} x${scale}`);
      y.dispose();
      G.dispose!();
    }
  }
  const G = esrganGenerator({ seed: 2, inputSize: 7 });
  assert.deepEqual(G.outputShape, [28, 28, 1]);
  const y = G.apply(x);
  assert.deepEqual(y.shape, [2, 28, 28, 1]);
  // The pixel-shuffle conv widens to 4C channels, the nearest one keeps C.
  const P = esrganGenerator({ seed: 2, upsample: 'pixelShuffle' });
  assert.equal(parameterCount(P) - parameterCount(G), 2 * (9 * 16 * 48 + 48));
  const D = esrganDiscriminator({ seed: 3 });
  const logits = D.apply(y, { training: true });
  assert.deepEqual(logits.shape, [2, 1]);
  const Dplain = esrganDiscriminator({ seed: 3, batchNorm: false, channels: [4, 8, 8], imageSize: 32 });
  const l2 = Dplain.apply(tf.zeros([3, 32, 32, 1]));
  assert.deepEqual(l2.shape, [3, 1]);
  tf.dispose([x, y, logits, l2]);
  for (const n of [G, P, D, Dplain]) n.dispose!();
});

test('no batch norm in G by default; the ablation adds it after each RRDB and the trunk conv; D has it after every conv but the first', async () => {
  await useBackend('cpu');
  const G = esrganGenerator({ seed: 1 });
  assert.equal(G.state!.length, 0, 'default G has no running statistics');
  const Gbn = esrganGenerator({ seed: 1, batchNorm: true, blocks: 3 });
  // Three state tensors (mean, variance, count) per batch norm: 3 RRDBs + the trunk conv.
  assert.equal(Gbn.state!.length, 3 * 4);
  const x = tensor([4, 7, 7, 1], 2);
  const y = Gbn.apply(x, { training: true });
  assert.deepEqual(y.shape, [4, 28, 28, 1]);
  const D = esrganDiscriminator({ seed: 2 });
  assert.equal(D.state!.length, 3 * 3, '2 stages x 2 convs, the first without batch norm');
  assert.equal(esrganDiscriminator({ seed: 2, batchNorm: false }).state!.length, 0);
  // Eval mode before any training pass has no statistics to use.
  assert.throws(() => D.apply(tf.zeros([2, 28, 28, 1])), /running statistics/);
  tf.dispose([x, y]);
  for (const n of [G, Gbn, D]) n.dispose!();
});

test('residual scaling reaches the RRDBs: with residualScale 0 the trunk is the identity, as if it had no RRDB', async () => {
  await useBackend('cpu');
  const x = tensor([2, 7, 7, 1], 3);
  const bare = esrganGenerator({ ...small, blocks: 0, seed: 9 });
  const zero = esrganGenerator({ ...small, blocks: 2, residualScale: 0, seed: 9 });
  const scaled = esrganGenerator({ ...small, blocks: 2, seed: 9 });
  // The RRDBs draw their seed streams last, so the other layers start equal.
  assert.equal(zero.variables.length, bare.variables.length + 2 * 3 * 5 * 2);
  const yBare = bare.apply(x);
  const yZero = zero.apply(x);
  const yScaled = scaled.apply(x);
  assert.equal(maxAbsDiff(yBare, yZero), 0, 'beta = 0 RRDBs are exactly the identity');
  assert.ok(maxAbsDiff(yBare, yScaled) > 1e-4, 'with beta = 0.2 the RRDBs change the output');
  tf.dispose([x, yBare, yZero, yScaled]);
  for (const n of [bare, zero, scaled]) n.dispose!();
});

test('weight transforms see every conv of G, indexed in forward order', async () => {
  await useBackend('cpu');
  const seen: LayerInfo[] = [];
  const G = esrganGenerator({ ...small, blocks: 2, weightTransform: (w, info) => (seen.push(info), w), seed: 1 });
  G.apply(tf.zeros([1, 7, 7, 1])).dispose();
  // head, 2 RRDBs x 3 dense blocks x 5 convs, trunk conv, 2 upsampling convs, HR conv, output conv.
  assert.equal(seen.length, 1 + 30 + 1 + 2 + 2);
  assert.deepEqual(seen.map((s) => s.index), seen.map((_, i) => i));
  assert.equal(seen[0].name, 'G/conv0');
  assert.equal(seen[1].name, 'G/rrdb1/rdb1/conv1');
  assert.deepEqual(seen.slice(31).map((s) => s.name), ['G/trunkConv', 'G/up1/conv', 'G/up2/conv', 'G/hrConv', 'G/convOut']);
  G.dispose!();
});

test('a few Adam steps of G on the L1 pixel loss lower it on a tiny batch', async () => {
  await useBackend('cpu');
  const G = esrganGenerator({ ...small, blocks: 1, seed: 4 });
  // Smooth strokes, so that the 7x7 input says much about the 28x28 target.
  const high = tf.tidy(() => {
    const r = tf.linspace(-1, 1, 28);
    const bump = (cx: number, cy: number) => tf.exp(tf.neg(tf.add(tf.square(tf.sub(r, cx)).reshape([1, 28]), tf.square(tf.sub(r, cy)).reshape([28, 1])).mul(8)));
    return tf.stack([bump(-0.3, 0.2), bump(0.4, -0.1)]).mul(2).sub(1).reshape([2, 28, 28, 1]);
  });
  const low = tf.avgPool(high as tf.Tensor4D, 4, 4, 'valid');
  const opt = tf.train.adam(1e-2);
  const loss = () => tf.mean(tf.abs(tf.sub(G.apply(low), high))) as tf.Scalar;
  const losses: number[] = [];
  for (let s = 0; s < 6; s++) {
    const l = opt.minimize(loss, true, G.variables)!;
    losses.push(l.dataSync()[0]);
    l.dispose();
  }
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses[losses.length - 1] < 0.5 * losses[0], `L1 ${losses[0]} -> ${losses[losses.length - 1]}`);
  opt.dispose();
  tf.dispose([high, low]);
  G.dispose!();
});

test('D with the relativistic average loss: finite, and an Adam step on real vs fake lowers it', async () => {
  await useBackend('cpu');
  const { generator: G, discriminator: D } = esrganNets({ generator: { ...small, blocks: 1 }, discriminator: { channels: [4, 8] }, seed: 6 });
  const real = tf.tanh(tensor([4, 28, 28, 1], 7));
  const fake = G.apply(tf.avgPool(real as tf.Tensor4D, 4, 4, 'valid'));
  const opt = tf.train.adam(2e-3);
  const dLoss = () => relativisticAverageLoss.discriminator({ real: D.apply(real, { training: true }), fake: D.apply(fake, { training: true }) }) as tf.Scalar;
  const first = opt.minimize(dLoss, true, D.variables)!;
  for (let s = 0; s < 2; s++) opt.minimize(dLoss, false, D.variables);
  const last = tf.tidy(dLoss);
  const [a, b] = [first.dataSync()[0], last.dataSync()[0]];
  assert.ok(Number.isFinite(a) && Number.isFinite(b));
  assert.ok(b < a, `D loss ${a} -> ${b}`);
  const g = tf.tidy(() => relativisticAverageLoss.generator({ fake: D.apply(fake, { training: true, updateStats: false }), real: D.apply(real, { training: true, updateStats: false }) }));
  assert.ok(Number.isFinite(g.dataSync()[0]));
  opt.dispose();
  tf.dispose([real, fake, first, last, g]);
  G.dispose!();
  D.dispose!();
});

test('size and option errors', async () => {
  await useBackend('cpu');
  assert.throws(() => esrganGenerator({ scale: 3 as 4 }), /G: scale must be 2 or 4, got 3/);
  assert.throws(() => esrganGenerator({ scale: 8 as 4 }), /scale must be 2 or 4, got 8/);
  assert.throws(() => esrganGenerator({ upsample: 'bicubic' as 'nearest' }), /upsample must be one of 'nearest', 'pixelShuffle', got "bicubic"/);
  assert.throws(() => esrganGenerator({ blocks: -1 }), /blocks must be an integer >= 0, got -1/);
  assert.throws(() => esrganGenerator({ channels: 0 }), /channels must be a positive integer, got 0/);
  assert.throws(() => esrganGenerator({ residualScale: NaN }), /residualScale must be a finite number/);
  assert.throws(() => esrganGenerator({ outputActivation: 'sigmoid' as 'tanh' }), /outputActivation must be one of 'linear', 'tanh'/);
  assert.throws(() => esrganGenerator({ blocs: 2 } as object), /unknown option 'blocs'/);
  const G = esrganGenerator({ ...small, blocks: 0, inputSize: 7, seed: 1 });
  assert.throws(() => G.apply(tf.zeros([1, 8, 8, 1])), /G: input must have shape \[batch, 7, 7, 1\], got \[1, 8, 8, 1\]/);
  G.dispose!();
  assert.throws(() => esrganDiscriminator({ imageSize: 30 }), /D: imageSize must be divisible by 2\^stages = 4 .*got 30/);
  assert.throws(() => esrganDiscriminator({ channels: [] }), /channels must be a non-empty list of positive integers/);
  assert.throws(() => esrganDiscriminator({ channels: [8, 0] }), /channels\[1\] must be a positive integer, got 0/);
  const D = esrganDiscriminator({ channels: [4, 4], seed: 1 });
  assert.throws(() => D.apply(tf.zeros([2, 14, 14, 1]), { training: true }), /D: input must have shape \[batch, 28, 28, 1\], got \[2, 14, 14, 1\]/);
  D.dispose!();
  assert.throws(() => esrganNets({ inputSize: 7, generator: { scale: 2 }, discriminator: { imageSize: 28 } }), /esrganNets: discriminator.imageSize must be inputSize x scale = 7 x 2 = 14, got 28/);
  assert.throws(() => esrganNets({ generator: { imageChannels: 3 } }), /discriminator.imageChannels must be the generator's imageChannels \(3\), got 1/);
  assert.throws(() => esrganNets({ generator: { scale: 3 as 2 } }), /esrganNets: scale must be 2 or 4, got 3/);
});
