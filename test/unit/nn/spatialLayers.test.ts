import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import {
  conv2d,
  dense,
  dilatedConv2d,
  flattenLayer,
  LayerInfo,
  maxPool2x2,
  maxPool2x2Layer,
  Net,
  pixelShuffle,
  pixelShuffleLayer,
  reflectionPad2d,
  reflectionPadConv2d,
  sequential,
} from '../../../kernel-helpers/src/nn';
import { r1Penalty, gradientPenalty } from '../../../kernel-helpers/src/gan';
import { assertSameOnBackends, tensor, useBackend, values } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

before(async () => {
  await useBackend('cpu');
});

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `${label}[${i}]: ${got[i]} vs ${want[i]}`);
}

/**
 * Forward, input gradient and variable gradients of sum(y * r), and the gradient of R1 (on
 * a linear read-out of y) w.r.t. the variables: the second-order path a GAN critic takes.
 */
function forwardAndGradients(build: () => Net, xShape: number[], shift = 0): () => tf.Tensor[] {
  return () => {
    const net = build();
    const x = tf.add(tensor(xShape, 5), shift);
    const y = net.apply(x);
    const r = tensor(y.shape, 6);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(net.apply(a), r)))(x);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(net.apply(x), r)) as tf.Scalar, net.variables);
    const head = tensor([y.size / y.shape[0], 1], 7);
    const critic = (a: tf.Tensor) => tf.matMul(tf.reshape(net.apply(a), [a.shape[0], -1]), head);
    const r1 = tf.variableGrads(() => r1Penalty(critic, x, 1), net.variables).grads;
    const out = [y, dx, ...net.variables.map((v) => grads[v.name]), ...net.variables.map((v) => r1[v.name])];
    net.dispose!();
    return out;
  };
}

// ---------------------------------------------------------------- reflection-padded conv

/** Position i of a reflection-padded axis of `size` (i may be < 0 or >= size): -i mirrors i, size-1+i mirrors size-1-i. */
const reflected = (i: number, size: number) => (i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i);

/** Reflection padding by index arithmetic. */
function reflectPadReference(x: tf.Tensor4D, [pt, pb]: [number, number], [pl, pr]: [number, number]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const src = x.arraySync();
  const out = Array.from({ length: n }, (_, b) =>
    Array.from({ length: h + pt + pb }, (_, i) => Array.from({ length: w + pl + pr }, (_, j) => Array.from({ length: c }, (_, k) => src[b][reflected(i - pt, h)][reflected(j - pl, w)][k]))),
  );
  return tf.tensor4d(out);
}

/** The gradient of reflection padding: every padded position's gradient added to the pixel it copies. */
function reflectPadGradReference(g: tf.Tensor4D, [h, w]: [number, number], [pt]: [number, number], [pl]: [number, number]): number[] {
  const [n, ph, pw, c] = g.shape;
  const src = g.arraySync();
  const dx = new Array<number>(n * h * w * c).fill(0);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ph; i++)
      for (let j = 0; j < pw; j++)
        for (let k = 0; k < c; k++) dx[((b * h + reflected(i - pt, h)) * w + reflected(j - pl, w)) * c + k] += src[b][i][j][k];
  return dx;
}

test('reflectionPad2d: the value of tf.mirrorPad reflect, the gradient of the index map (tf.mirrorPad\'s is wrong)', () => {
  const one = tf.tensor4d([1, 2, 3], [1, 1, 3, 1]);
  const sumGrad = (pad: (a: tf.Tensor) => tf.Tensor) => Array.from(tf.grad((a: tf.Tensor) => tf.sum(pad(a)))(one).dataSync());
  assert.deepEqual(sumGrad((a) => reflectionPad2d(a, [0, 0], [1, 1])), [1, 3, 1]);
  // The reason for writing it out: tfjs's MirrorPad gradient only slices out the centre.
  assert.deepEqual(sumGrad((a) => tf.mirrorPad(a, [[0, 0], [0, 0], [1, 1], [0, 0]], 'reflect')), [1, 1, 1]);
  for (const [shape, ph, pw] of [
    [[2, 4, 5, 3], [1, 2], [2, 0]],
    [[1, 3, 3, 1], [2, 2], [1, 1]],
    [[1, 6, 2, 2], [0, 3], [1, 0]],
  ] as [number[], [number, number], [number, number]][]) {
    const label = `[${shape}] pad ${ph} ${pw}`;
    const x = tensor(shape, 2) as tf.Tensor4D;
    const y = reflectionPad2d(x, ph, pw);
    const stock = tf.mirrorPad(x, [[0, 0], ph, pw, [0, 0]], 'reflect');
    assertClose(y.dataSync(), reflectPadReference(x, ph, pw).dataSync(), 0, `${label} value`);
    assertClose(y.dataSync(), stock.dataSync(), 0, `${label} value vs tf.mirrorPad`);
    const g = tensor(y.shape, 3) as tf.Tensor4D;
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(reflectionPad2d(a, ph, pw), g)))(x);
    assertClose(dx.dataSync(), reflectPadGradReference(g, [shape[1], shape[2]], ph, pw), 1e-6, `${label} gradient`);
    tf.dispose([x, y, stock, g, dx]);
  }
  one.dispose();
});

test('reflection-padded conv = reflect padding by hand, then a valid conv; output size ceil(size / stride)', () => {
  const cases: { size: [number, number]; k: number; s: number; pads: [[number, number], [number, number]] }[] = [
    { size: [5, 6], k: 3, s: 1, pads: [[1, 1], [1, 1]] },
    { size: [5, 5], k: 4, s: 1, pads: [[1, 2], [1, 2]] },
    { size: [7, 6], k: 3, s: 2, pads: [[1, 1], [0, 1]] },
    { size: [6, 6], k: 5, s: 1, pads: [[2, 2], [2, 2]] },
    { size: [4, 4], k: 1, s: 1, pads: [[0, 0], [0, 0]] },
  ];
  for (const { size, k, s, pads } of cases) {
    const label = `size ${size} k=${k} s=${s}`;
    const net = reflectionPadConv2d({ inChannels: 2, filters: 3, kernelSize: k, strides: s, inputSize: size, activation: 'tanh', seed: 3 });
    net.variables[1].assign(tf.tensor1d([0.1, -0.2, 0.3]));
    const x = tensor([2, size[0], size[1], 2], 1) as tf.Tensor4D;
    const y = net.apply(x);
    const outSize = [Math.ceil(size[0] / s), Math.ceil(size[1] / s)];
    assert.deepEqual(y.shape, [2, outSize[0], outSize[1], 3], label);
    assert.deepEqual(net.outputShape, [outSize[0], outSize[1], 3], label);
    const want = tf.tidy(() => tf.tanh(tf.add(tf.conv2d(reflectPadReference(x, pads[0], pads[1]), net.variables[0] as tf.Tensor4D, s, 'valid'), net.variables[1])));
    assertClose(y.dataSync(), want.dataSync(), 1e-5, label);
    // Input gradient: through the valid conv onto the padded image (tf.conv2d's gradient), then folded back.
    const r = tensor(y.shape, 4);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(net.apply(a), r)))(x);
    const padded = reflectPadReference(x, pads[0], pads[1]);
    const dPadded = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.tanh(tf.add(tf.conv2d(a as tf.Tensor4D, net.variables[0] as tf.Tensor4D, s, 'valid'), net.variables[1])), r)))(padded) as tf.Tensor4D;
    assertClose(dx.dataSync(), reflectPadGradReference(dPadded, size, pads[0], pads[1]), 1e-5, `${label} input gradient`);
    tf.dispose([r, dx, padded, dPadded]);
    // Without inputSize the padding is worked out from each input.
    const free = reflectionPadConv2d({ inChannels: 2, filters: 3, kernelSize: k, strides: s, activation: 'tanh', seed: 3 });
    free.variables.forEach((v, i) => v.assign(net.variables[i]));
    const y2 = free.apply(x);
    assertClose(y2.dataSync(), y.dataSync(), 0, `${label} (size from the input)`);
    tf.dispose([x, y, want, y2]);
    net.dispose!();
    free.dispose!();
  }
});

test('reflection-padded conv shows weight transforms the kernel under its own name', () => {
  const seen: LayerInfo[] = [];
  const net = reflectionPadConv2d({ inChannels: 1, filters: 2, kernelSize: 3, name: 'G/out', index: 4, seed: 1, weightTransform: (w, info) => (seen.push(info), w) });
  tf.dispose(net.apply(tf.zeros([1, 4, 4, 1])));
  assert.deepEqual(seen, [{ name: 'G/out', index: 4 }]);
  const copy = net.clone!();
  assert.equal(copy.variables.length, 2);
  net.dispose!();
  copy.dispose!();
});

// ---------------------------------------------------------------- pixel shuffle

test('pixel shuffle equals tf.depthToSpace forward; its gradient is the inverse shuffle', () => {
  for (const [r, c] of [[2, 4], [2, 12], [3, 18]]) {
    const x = tensor([2, 3, 4, c], r + c);
    const y = pixelShuffle(x, r);
    const want = tf.depthToSpace(x as tf.Tensor4D, r);
    assert.deepEqual(y.shape, want.shape);
    assertClose(y.dataSync(), want.dataSync(), 0, `factor ${r}, ${c} channels`);
    // A permutation's gradient is the inverse permutation: shuffling it gives back the weights.
    const w = tensor(y.shape, 9);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pixelShuffle(a, r), w)))(x);
    const back = pixelShuffle(dx, r);
    assertClose(back.dataSync(), w.dataSync(), 0, `gradient, factor ${r}`);
    tf.dispose([x, y, want, w, dx, back]);
  }
  const layer = pixelShuffleLayer({ factor: 2, inChannels: 8, inputSize: [3, 5] });
  assert.deepEqual(layer.outputShape, [6, 10, 2]);
  const out = layer.apply(tf.zeros([1, 3, 5, 8]));
  assert.deepEqual(out.shape, [1, 6, 10, 2]);
  out.dispose();
});

// ---------------------------------------------------------------- dilated conv

test('dilated conv equals tf.conv2d with dilations (forward), for both paddings and odd and even sizes', () => {
  const cases = [
    { size: [7, 7], k: 3, d: 2 },
    { size: [8, 6], k: 3, d: 2 },
    { size: [9, 10], k: 3, d: 3 },
    { size: [7, 8], k: 2, d: 3 },
    { size: [8, 7], k: 4, d: 2 },
    { size: [5, 5], k: 3, d: 1 },
    { size: [12, 12], k: 3, d: 4 },   // 'same' with sides d divides: the sub-image road
    { size: [9, 15], k: 3, d: 3 },
  ];
  for (const { size, k, d } of cases) {
    for (const padding of ['same', 'valid'] as const) {
      const label = `size ${size} k=${k} d=${d} ${padding}`;
      const net = dilatedConv2d({ inChannels: 2, filters: 3, kernelSize: k, dilationRate: d, padding, inputSize: size as [number, number], seed: 2 });
      net.variables[1].assign(tf.tensor1d([0.3, 0, -0.1]));
      const x = tensor([2, size[0], size[1], 2], k + d) as tf.Tensor4D;
      const y = net.apply(x);
      const want = tf.tidy(() => tf.add(tf.conv2d(x, net.variables[0] as tf.Tensor4D, 1, padding, 'NHWC', d), net.variables[1]));
      assert.deepEqual(y.shape, want.shape, label);
      assert.deepEqual([2, ...net.outputShape!], want.shape, `${label}: outputShape`);
      assertClose(y.dataSync(), want.dataSync(), 1e-5, label);
      tf.dispose([x, y, want]);
      net.dispose!();
    }
  }
});

/** The k x k kernel spread out to its span d(k-1)+1, zeros between the taps (differentiable: reshape, pad, slice). */
function zeroStuffedKernel(w: tf.Tensor4D, d: number): tf.Tensor4D {
  const [k, , ci, co] = w.shape;
  const spread = tf.pad(tf.reshape(w, [k, 1, k, 1, ci, co]), [[0, 0], [0, d - 1], [0, 0], [0, d - 1], [0, 0], [0, 0]]);
  const span = d * (k - 1) + 1;
  return tf.slice(tf.reshape(spread, [k * d, k * d, ci, co]), [0, 0, 0, 0], [span, span, ci, co]) as tf.Tensor4D;
}

test('dilated conv gradients (input and kernel) equal those of an ordinary conv with the zero-stuffed kernel', () => {
  for (const { size, k, d, padding } of [
    { size: [7, 8], k: 3, d: 2, padding: 'same' },
    { size: [9, 7], k: 2, d: 3, padding: 'valid' },
    { size: [6, 6], k: 4, d: 2, padding: 'same' },
    { size: [8, 12], k: 3, d: 4, padding: 'same' },   // the sub-image road
  ] as const) {
    const label = `size ${size} k=${k} d=${d} ${padding}`;
    const net = dilatedConv2d({ inChannels: 2, filters: 3, kernelSize: k, dilationRate: d, padding, useBias: false, seed: 6 });
    const x = tensor([2, size[0], size[1], 2], 11) as tf.Tensor4D;
    const r = tensor(net.apply(x).shape, 12);
    const w = net.variables[0];
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(net.apply(a), r)))(x);
    const dw = tf.variableGrads(() => tf.sum(tf.mul(net.apply(x), r)) as tf.Scalar, [w]).grads[w.name];
    const [rx, rw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, zeroStuffedKernel(b as tf.Tensor4D, d), 1, padding), r)))([x, w]);
    assertClose(dx.dataSync(), rx.dataSync(), 1e-5, `${label} input gradient`);
    assertClose(dw.dataSync(), rw.dataSync(), 1e-5, `${label} kernel gradient`);
    tf.dispose([x, r, dx, dw, rx, rw]);
    net.dispose!();
  }
});

test('the reason for the space-to-batch route: tf.conv2d with dilations has no gradient', () => {
  const x = tensor([1, 5, 5, 1], 1) as tf.Tensor4D;
  const w = tensor([3, 3, 1, 1], 2) as tf.Tensor4D;
  assert.throws(() => tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, 1, 'same', 'NHWC', 2)))(x));
  tf.dispose([x, w]);
});

// ---------------------------------------------------------------- 2x2 max pooling

/** Plain-JS 2x2 max pooling of NHWC: the maximum and, for the gradient, the first maximal element in row-major window order. */
function maxPoolReference(data: ArrayLike<number>, [n, h, w, c]: number[], dy: ArrayLike<number>): { y: number[]; dx: number[] } {
  const y: number[] = [];
  const dx = new Array<number>(data.length).fill(0);
  const idx = (b: number, i: number, j: number, k: number) => ((b * h + i) * w + j) * c + k;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h / 2; i++) {
      for (let j = 0; j < w / 2; j++) {
        for (let k = 0; k < c; k++) {
          let best = idx(b, 2 * i, 2 * j, k);
          for (const [di, dj] of [[0, 1], [1, 0], [1, 1]]) {
            const q = idx(b, 2 * i + di, 2 * j + dj, k);
            if (data[q] > data[best]) best = q;
          }
          dx[best] += dy[y.length];
          y.push(data[best]);
        }
      }
    }
  }
  return { y, dx };
}

test('2x2 max pooling matches a plain loop (value and gradient), with all-negative windows and ties', () => {
  // Channel 0: an all-negative window, a tie of zeros (as after a ReLU), a tie between the two
  // rows, and a plain window; channel 1: the same shifted, so every window is negative.
  const ch0 = [-3, -1, 0, 0, -2, -4, 0, 0, 1, 5, 2, -1, 5, 0, 7, 3];
  const data = new Float32Array(32);
  ch0.forEach((v, i) => {
    data[2 * i] = v;
    data[2 * i + 1] = v - 10;
  });
  const shapes: [number[], Float32Array][] = [
    [[1, 4, 4, 2], data],
    [[2, 6, 4, 3], values(144, 3).map((v) => v - 0.4)],
  ];
  for (const [shape, xs] of shapes) {
    const x = tf.tensor(xs, shape);
    const y = maxPool2x2(x);
    const dyShape = [shape[0], shape[1] / 2, shape[2] / 2, shape[3]];
    const dy = tf.tensor(values(dyShape.reduce((a, b) => a * b, 1), 8), dyShape);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxPool2x2(a), dy)))(x);
    const ref = maxPoolReference(xs, shape, dy.dataSync());
    assert.deepEqual(y.shape, dyShape);
    assertClose(y.dataSync(), ref.y, 0, `max pool [${shape}] value`);
    assertClose(dx.dataSync(), ref.dx, 0, `max pool [${shape}] gradient`);
    const stock = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
    assertClose(y.dataSync(), stock.dataSync(), 0, `max pool [${shape}] vs tf.maxPool`);
    tf.dispose([x, y, dy, dx, stock]);
  }
});

test('the reasons for not using reshape + tf.max: ties get the whole gradient each, and R1 through it throws', () => {
  const naive = (x: tf.Tensor) => {
    const [n, h, w, c] = x.shape;
    return tf.max(tf.reshape(x, [n, h / 2, 2, w / 2, 2, c]), [2, 4]);
  };
  const zeros = tf.zeros([1, 2, 2, 1]);
  const g = tf.grad((a: tf.Tensor) => tf.sum(naive(a)))(zeros);
  assert.equal(tf.sum(g).dataSync()[0], 4, 'tf.max: a window of tied zeros passes on 4x the gradient');
  const g2 = tf.grad((a: tf.Tensor) => tf.sum(maxPool2x2(a)))(zeros);
  assert.equal(tf.sum(g2).dataSync()[0], 1, 'maxPool2x2: one element takes the gradient');
  const D = conv2d({ inChannels: 1, filters: 1, kernelSize: 1, activation: 'softplus', seed: 1 });
  const x = tensor([1, 2, 2, 1], 1);
  assert.throws(() => tf.variableGrads(() => r1Penalty((a) => tf.sum(naive(D.apply(a)), [1, 2, 3]), x, 1), D.variables), /gradient function not found for Equal/);
  tf.dispose([zeros, g, g2, x]);
  D.dispose!();
});

// ---------------------------------------------------------------- backends and second order

test('forward, gradients and R1 gradients match between cpu and wasm', async () => {
  await assertSameOnBackends('reflectionPadConv2d k3 s1', forwardAndGradients(() => reflectionPadConv2d({ inChannels: 2, filters: 3, kernelSize: 3, activation: 'softplus', seed: 1 }), [2, 5, 6, 2]));
  await assertSameOnBackends('reflectionPadConv2d k4 s2', forwardAndGradients(() => reflectionPadConv2d({ inChannels: 2, filters: 3, kernelSize: 4, strides: 2, activation: 'tanh', seed: 2 }), [2, 7, 6, 2]));
  for (const padding of ['same', 'valid'] as const) {
    await assertSameOnBackends(`dilatedConv2d d2 ${padding}`, forwardAndGradients(() => dilatedConv2d({ inChannels: 2, filters: 3, kernelSize: 3, dilationRate: 2, padding, activation: 'softplus', seed: 3 }), [2, 7, 8, 2]));
  }
  await assertSameOnBackends('dilatedConv2d d3', forwardAndGradients(() => dilatedConv2d({ inChannels: 3, filters: 2, kernelSize: 2, dilationRate: 3, activation: 'tanh', seed: 4 }), [2, 6, 7, 3]));
  const convThen = (layer: Net, filters: number) => () =>
    sequential('net', [conv2d({ inChannels: 2, filters, kernelSize: 3, activation: 'softplus', seed: 5 }), layer]);
  await assertSameOnBackends('pixelShuffle after a conv', forwardAndGradients(convThen(pixelShuffleLayer({ factor: 2 }), 8), [2, 3, 4, 2]));
  // Shifted down so that many pooling windows are all negative (wasm's MaxPoolGrad case).
  const negConv = () => {
    const c = conv2d({ inChannels: 2, filters: 3, kernelSize: 3, activation: 'tanh', seed: 6 });
    c.variables[1].assign(tf.fill([3], -0.8));
    return sequential('net', [c, maxPool2x2Layer()]);
  };
  await assertSameOnBackends('maxPool2x2 after a conv', forwardAndGradients(negConv, [2, 6, 8, 2]));
  await assertSameOnBackends('maxPool2x2 alone, all-negative windows', () => {
    const x = tf.sub(tensor([2, 4, 6, 3], 2), 1.5);
    const w = tensor([2, 2, 3, 3], 3);
    return [maxPool2x2(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxPool2x2(a), w)))(x)];
  }, 0);
  await useBackend('cpu');
});

test('R1 and GP through a discriminator with reflection-padded, dilated and pixel-shuffle layers and max pooling match finite differences', () => {
  const D = sequential('D', [
    reflectionPadConv2d({ inChannels: 1, filters: 4, kernelSize: 3, activation: 'softplus', seed: 1, name: 'c0' }),
    maxPool2x2Layer(),
    dilatedConv2d({ inChannels: 4, filters: 4, kernelSize: 3, dilationRate: 2, activation: 'tanh', seed: 2, name: 'c1' }),
    pixelShuffleLayer({ factor: 2, inChannels: 4 }),
    reflectionPadConv2d({ inChannels: 1, filters: 2, kernelSize: 3, strides: 2, activation: 'softplus', seed: 3, name: 'c2' }),
    dilatedConv2d({ inChannels: 2, filters: 2, kernelSize: 2, dilationRate: 3, padding: 'valid', activation: 'tanh', seed: 4, name: 'c3' }),
    flattenLayer([1, 1, 2]),
    dense({ inUnits: 2, units: 1, seed: 5 }),
  ]);
  // Random biases, so that the zero-initialised ones are exercised too.
  for (const v of D.variables) v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.2, 'float32', v.size))));
  const real = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 7);
  const fake = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 8);
  assert.deepEqual(D.apply(real).shape, [2, 1]);
  const eps = tf.tensor1d([0.3, 0.8]);
  for (const [name, f] of [
    ['R1', () => r1Penalty(D, real, 1)],
    ['GP', () => gradientPenalty(D, real, fake, { epsilon: eps })],
  ] as [string, () => tf.Scalar][]) {
    // Max pooling is piecewise: a small step, second order, so no window changes its maximum.
    const r = gradCheck(f, D.variables, { seed: 5, order: 2, h: 1e-3 });
    assert.ok(r.worstRelError < 2e-2, `${name}: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  }
  tf.dispose([real, fake, eps]);
  D.dispose!();
});

test('no layer leaks tensors (forward and R1 gradient)', () => {
  const layers: [Net, number[]][] = [
    [reflectionPadConv2d({ inChannels: 2, filters: 2, kernelSize: 3, activation: 'softplus', seed: 1 }), [1, 4, 4, 2]],
    [dilatedConv2d({ inChannels: 2, filters: 2, kernelSize: 3, dilationRate: 2, seed: 2 }), [1, 5, 5, 2]],
    [pixelShuffleLayer({ factor: 2 }), [1, 2, 2, 4]],
    [maxPool2x2Layer(), [1, 4, 4, 2]],
  ];
  for (const [net, shape] of layers) {
    const x = tensor(shape, 1);
    const run = () => {
      tf.dispose(net.apply(x));
      tf.dispose(r1Penalty((a) => tf.sum(net.apply(a), [1, 2, 3]), x, 1));
    };
    run();
    const before = tf.memory().numTensors;
    run();
    assert.equal(tf.memory().numTensors, before, `${net.name} leaks`);
    x.dispose();
    net.dispose!();
  }
});

// ---------------------------------------------------------------- bad input

test('bad input: each layer names itself and the argument', () => {
  const x5 = tf.zeros([1, 5, 5, 2]);
  // reflectionPadConv2d
  assert.throws(() => reflectionPadConv2d({ inChannels: 2, filters: 3, kernelSize: 0 }), /^Error: reflectionPadConv2d: kernelSize must be a positive integer, got 0$/);
  assert.throws(() => reflectionPadConv2d({ inChannels: 2, filters: -1, kernelSize: 3, name: 'G/c' }), /G\/c: filters must be a positive integer, got -1/);
  assert.throws(() => reflectionPadConv2d({ inChannels: 2, filters: 3, kernelSize: 3, padding: 'same' } as never), /reflectionPadConv2d: unknown option 'padding'/);
  assert.throws(() => reflectionPadConv2d({ inChannels: 2, filters: 3, kernelSize: 5, inputSize: [2, 8] }), /reflectionPadConv2d: input height must be > 2 to reflect-pad by 2 .*, got 2/);
  const rc = reflectionPadConv2d({ inChannels: 2, filters: 3, kernelSize: 5, seed: 1 });
  assert.throws(() => rc.apply(tf.zeros([1, 8, 2, 2])), /reflectionPadConv2d: input width must be > 2 .*, got 2/);
  assert.throws(() => rc.apply(tf.zeros([1, 5, 5, 3])), /reflectionPadConv2d: input must have shape \[batch, \*, \*, 2\], got \[1, 5, 5, 3\]/);
  assert.throws(() => rc.apply(tf.zeros([5, 5, 2])), /reflectionPadConv2d: input must have shape/);
  rc.dispose!();
  assert.throws(() => reflectionPad2d(x5, [5, 0], [0, 0]), /^Error: reflectionPad2d: input height must be > 5 to reflect-pad by 5, got 5$/);
  assert.throws(() => reflectionPad2d(x5, [1, -1], [0, 0]), /reflectionPad2d: height\[1\] must be an integer >= 0, got -1/);
  assert.throws(() => reflectionPad2d(tf.zeros([5, 5]), [1, 1], [1, 1]), /reflectionPad2d: x must be a rank-4 NHWC tensor, got \[5, 5\]/);
  // dilatedConv2d
  assert.throws(() => dilatedConv2d({ inChannels: 2, filters: 3, kernelSize: 3, dilationRate: 0 }), /^Error: dilatedConv2d: dilationRate must be a positive integer, got 0$/);
  assert.throws(() => dilatedConv2d({ inChannels: 2, filters: 3, kernelSize: 3, dilationRate: 2, padding: 'full' } as never), /dilatedConv2d: padding must be one of 'same', 'valid', got "full"/);
  assert.throws(() => dilatedConv2d({ inChannels: 2, filters: 3, kernelSize: 3, dilationRate: 2, strides: 2 } as never), /dilatedConv2d: unknown option 'strides'/);
  assert.throws(() => dilatedConv2d({ inChannels: 2, filters: 3, kernelSize: 3, dilationRate: 3, padding: 'valid', inputSize: [6, 9] }), /dilatedConv2d: input height must be >= the dilated kernel's span d\(k-1\)\+1 = 7 with 'valid' padding, got 6/);
  const dc = dilatedConv2d({ inChannels: 2, filters: 3, kernelSize: 3, dilationRate: 3, padding: 'valid', name: 'D/d', seed: 1 });
  assert.throws(() => dc.apply(x5), /D\/d: input height must be >= .* = 7 .*, got 5/);
  assert.throws(() => dc.apply(tf.zeros([1, 9, 9, 1])), /D\/d: input must have shape \[batch, \*, \*, 2\], got \[1, 9, 9, 1\]/);
  dc.dispose!();
  // pixelShuffle
  assert.throws(() => pixelShuffle(x5, 2), /^Error: pixelShuffle: input channels must be divisible by factor\^2 = 4, got 2$/);
  assert.throws(() => pixelShuffle(x5, 0), /pixelShuffle: factor must be a positive integer, got 0/);
  assert.throws(() => pixelShuffle(tf.zeros([4, 4]), 2), /pixelShuffle: x must be a rank-4 NHWC tensor, got \[4, 4\]/);
  assert.throws(() => pixelShuffleLayer({ factor: 3, inChannels: 12, name: 'up' }), /up: inChannels must be divisible by factor\^2 = 9, got 12/);
  assert.throws(() => pixelShuffleLayer({ factor: 2, scale: 2 } as never), /pixelShuffle: unknown option 'scale'; known: factor, inChannels, inputSize, name/);
  assert.throws(() => pixelShuffleLayer({ factor: 2, name: 'up' }).apply(tf.zeros([1, 2, 2, 6])), /up: input channels must be divisible by factor\^2 = 4, got 6/);
  assert.throws(() => pixelShuffleLayer({ factor: 2, inChannels: 8 }).apply(tf.zeros([1, 2, 2, 4])), /pixelShuffle: input must have shape \[batch, \*, \*, 8\], got \[1, 2, 2, 4\]/);
  // maxPool2x2
  assert.throws(() => maxPool2x2(x5), /^Error: maxPool2x2: input height and width must be even, got "5x5"$/);
  assert.throws(() => maxPool2x2(tf.zeros([2, 4, 4])), /maxPool2x2: x must be a rank-4 NHWC tensor, got \[2, 4, 4\]/);
  assert.throws(() => maxPool2x2Layer({ name: 'pool' }).apply(tf.zeros([1, 4, 3, 1])), /pool: input height and width must be even, got "4x3"/);
  assert.throws(() => maxPool2x2Layer({ size: 2 } as never), /maxPool2x2: unknown option 'size'; known: name/);
  x5.dispose();
});
