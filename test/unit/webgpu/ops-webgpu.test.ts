/**
 * The course's training ops on webgpu against cpu, forward and gradient: products, the
 * convolutions and both their gradients, conv-transpose, the activations of
 * nn/activations.ts (and their second derivatives, which R1/R2/GP use), the layers the
 * reference models are built from, and the GAN losses. Each case prints its relative
 * difference (largest |webgpu - cpu| over the largest |cpu| value of each output).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { activationFn, Activation, dense, conv2d, conv2dTranspose, gru, instanceNorm, batchNorm, upsampleNearest2x, downsampleMean2x, Net } from '../../../kernel-helpers/src/nn';
import { ganLoss, GAN_LOSS_NAMES } from '../../../kernel-helpers/src/gan';
import { assertSameOnWebgpu, tensor, webgpuReady } from './harness';

const figures: [string, number][] = [];
after(() => {
  if (figures.length === 0) return;
  const worst = figures.reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`# webgpu op sweep: ${figures.length} checks agree with cpu; worst relative difference ${worst[1].toExponential(2)} (${worst[0]})`);
});

async function check(label: string, f: () => tf.Tensor[], tol = 1e-4): Promise<void> {
  const e = await assertSameOnWebgpu(label, f, tol);
  figures.push([label, e]);
  console.log(`# ${label}: ${e.toExponential(2)}`);
}

/** Forward value and the gradients w.r.t. every input of sum(f(xs) * w), w fixed. */
function forwardAndGrads(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor, seed = 1): () => tf.Tensor[] {
  return () => {
    const xs = shapes.map((s, i) => tensor(s, seed + 7 * i));
    const y = f(...xs);
    const w = tensor(y.shape, seed + 101);
    const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
    return [y, ...g];
  };
}

test('products: matMul in every transpose combination, batched, and their gradients', async (t) => {
  if (!(await webgpuReady(t))) return;
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    const a = ta ? [7, 5] : [5, 7];
    const b = tb ? [3, 7] : [7, 3];
    await check(`matMul transposeA=${ta} transposeB=${tb}`, forwardAndGrads([a, b], (x, y) => tf.matMul(x, y, ta, tb)));
  }
  await check('batched matMul [2,4,5]x[2,5,3]', forwardAndGrads([[2, 4, 5], [2, 5, 3]], (x, y) => tf.matMul(x, y)));
  await check('matMul 64x96 by 96x80', forwardAndGrads([[64, 96], [96, 80]], (x, y) => tf.matMul(x, y)));
});

test('convolutions: conv2d (strides 1 and 2, same and valid), conv2dTranspose, with the input and filter gradients', async (t) => {
  if (!(await webgpuReady(t))) return;
  const cases: [string, number[], number[], number, 'same' | 'valid'][] = [
    ['conv2d 3x3 stride 1 same', [2, 8, 8, 3], [3, 3, 3, 4], 1, 'same'],
    ['conv2d 4x4 stride 2 same', [2, 8, 8, 3], [4, 4, 3, 5], 2, 'same'],
    ['conv2d 3x3 stride 2 valid', [2, 9, 9, 2], [3, 3, 2, 4], 2, 'valid'],
    ['conv2d 1x1', [2, 5, 5, 6], [1, 1, 6, 3], 1, 'same'],
  ];
  for (const [label, xs, ws, s, pad] of cases) {
    await check(label, forwardAndGrads([xs, ws], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad)));
  }
  await check('conv2dTranspose 4x4 stride 2 same (4x4 -> 8x8)', forwardAndGrads([[2, 4, 4, 5], [4, 4, 3, 5]],
    (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 8, 3], 2, 'same')));
  await check('conv2dTranspose 3x3 stride 1 same', forwardAndGrads([[2, 6, 6, 4], [3, 3, 2, 4]],
    (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 6, 6, 2], 1, 'same')));
});

const ACTIVATIONS: Activation[] = ['linear', 'relu', 'leakyRelu', { name: 'leakyRelu', slope: 0.1 }, 'softplus', 'tanh', 'sigmoid', 'exp'];

test('activations of nn/activations.ts and tf.leakyRelu (the course gradient): forward, first and second derivatives', async (t) => {
  if (!(await webgpuReady(t))) return;
  const named: [string, (x: tf.Tensor) => tf.Tensor][] = ACTIVATIONS.map((a) => [typeof a === 'string' ? a : `leakyRelu(${a.slope})`, activationFn(a)]);
  named.push(['tf.leakyRelu(0.2)', (x) => tf.leakyRelu(x, 0.2)]);
  for (const [label, f] of named) {
    await check(`activation ${label}`, () => {
      const x = tensor([6, 9], 3, 2);
      const w = tensor([6, 9], 5);
      const s = tf.add(tensor([9], 4, 0.5), 1);
      // The input gradient of sum(f(x * s) w), and the derivative of its squared norm w.r.t.
      // the "weights" s: the shape of R1's second derivative through a layer.
      const g1 = (a: tf.Tensor, sc: tf.Tensor) => tf.grad((b: tf.Tensor) => tf.sum(tf.mul(f(tf.mul(b, sc)), w)))(a);
      const g2 = tf.grad((sc: tf.Tensor) => tf.sum(tf.square(g1(x, sc))))(s);
      return [f(x), g1(x, s), g2];
    });
  }
});

test('reductions, normalisation, resampling and reshaping ops the models use', async (t) => {
  if (!(await webgpuReady(t))) return;
  await check('moments / rsqrt (instance-norm arithmetic)', forwardAndGrads([[2, 4, 4, 3]], (x) => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
  }));
  await check('upsampleNearest2x / downsampleMean2x', forwardAndGrads([[2, 4, 4, 3]], (x) => downsampleMean2x(tf.mul(upsampleNearest2x(x), 1.5))));
  await check('concat / slice / transpose / reshape', forwardAndGrads([[2, 3, 4], [2, 3, 2]], (a, b) =>
    tf.reshape(tf.transpose(tf.slice(tf.concat([a, b], 2), [0, 1, 1], [2, 2, 4]), [2, 0, 1]), [4, 4])));
  await check('softplus, log, sqrt, mean, sum', forwardAndGrads([[5, 6]], (x) =>
    tf.add(tf.mean(tf.softplus(x), 1), tf.sqrt(tf.add(tf.sum(tf.square(x), 1), 1)))));
});

/** Forward, input gradient and every weight gradient of a layer built afresh (same seed) on each backend. */
function layerCase(make: () => Net, shape: number[], training = true): () => tf.Tensor[] {
  return () => {
    const net = make();
    const x = tensor(shape, 9);
    const y = net.apply(x, { training });
    const w = tensor(y.shape, 10);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(net.apply(a, { training }), w)))(x);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(net.apply(x, { training }), w)) as tf.Scalar, net.variables);
    const out = [y, dx, value, ...net.variables.map((v) => grads[v.name])];
    const kept = out.map((o) => tf.keep(o.clone()));
    tf.dispose([...out, ...Object.values(grads)]);
    net.dispose?.();
    return kept;
  };
}

test('the layers of the reference models: dense, conv2d (grouped too), conv2dTranspose, GRU, instance and batch norm', async (t) => {
  if (!(await webgpuReady(t))) return;
  await check('dense leakyRelu', layerCase(() => dense({ inUnits: 7, units: 5, activation: 'leakyRelu', seed: 1 }), [4, 7]));
  await check('conv2d layer 4x4 stride 2 leakyRelu', layerCase(() => conv2d({ inChannels: 3, filters: 4, kernelSize: 4, strides: 2, activation: 'leakyRelu', seed: 2 }), [2, 8, 8, 3]));
  await check('conv2d layer grouped (2 groups)', layerCase(() => conv2d({ inChannels: 4, filters: 6, kernelSize: 3, groups: 2, seed: 3 }), [2, 6, 6, 4]));
  await check('conv2dTranspose layer stride 2 relu', layerCase(() => conv2dTranspose({ inChannels: 4, filters: 3, kernelSize: 4, strides: 2, inputSize: [4, 4], activation: 'relu', seed: 4 }), [2, 4, 4, 4]));
  await check('GRU layer', layerCase(() => gru({ inputSize: 3, hidden: 5, seed: 5 }), [2, 6, 3]));
  await check('instance norm', layerCase(() => instanceNorm({ channels: 3 }), [2, 4, 4, 3]));
  await check('batch norm (training)', layerCase(() => batchNorm({ channels: 3 }), [4, 3, 3, 3]));
});

test('the GAN losses: discriminator and generator sides and their gradients', async (t) => {
  if (!(await webgpuReady(t))) return;
  for (const name of GAN_LOSS_NAMES) {
    const loss = ganLoss(name);
    await check(`loss ${name}`, forwardAndGrads([[8, 1], [8, 1]], (real, fake) =>
      tf.add(loss.discriminator({ real, fake }), loss.generator({ fake, real }))));
  }
});

test('the sweep found every case (no case silently skipped)', async (t) => {
  if (!(await webgpuReady(t))) return;
  assert.ok(figures.length >= 35, `only ${figures.length} checks ran`);
});
