import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { conv2d, dense, flattenLayer, instanceNorm, sequential, activationLayer, Net } from '../../../kernel-helpers/src/nn';
import { r1Penalty, gradientPenalty } from '../../../kernel-helpers/src/gan/penalties';
import { assertSameOnBackends, tensor, useBackend, values } from '../backend/backend-compare';
import { gradCheck } from './gradcheck';

before(async () => {
  await useBackend('cpu');
});

function setValues(v: tf.Variable, data: ArrayLike<number>): void {
  v.assign(tf.tidy(() => tf.tensor(Array.from(data), v.shape)));
}

/** Instance norm of NHWC data in float64, with per-channel scale and offset. */
function reference(x: ArrayLike<number>, [B, H, W, C]: number[], eps: number, g: number[], b: number[]): number[] {
  const out = new Array<number>(x.length);
  for (let n = 0; n < B; n++) {
    for (let c = 0; c < C; c++) {
      const at = (p: number) => (n * H * W + p) * C + c;
      let m = 0;
      for (let p = 0; p < H * W; p++) m += x[at(p)];
      m /= H * W;
      let v = 0;
      for (let p = 0; p < H * W; p++) v += (x[at(p)] - m) ** 2;
      v /= H * W;
      for (let p = 0; p < H * W; p++) out[at(p)] = ((x[at(p)] - m) / Math.sqrt(v + eps)) * g[c] + b[c];
    }
  }
  return out;
}

test('instanceNorm forward matches a hand-written reference, with and without affine parameters; train = eval', () => {
  const shape = [2, 3, 4, 3];
  const x = tensor(shape, 1);
  const inorm = instanceNorm({ channels: 3, epsilon: 1e-4 });
  setValues(inorm.variables[0], [2, -1, 0.5]);
  setValues(inorm.variables[1], [0.3, 0, -0.7]);
  const want = reference(x.dataSync(), shape, 1e-4, [2, -1, 0.5], [0.3, 0, -0.7]);
  const y = inorm.apply(x, { training: true });
  const yEval = inorm.apply(x);
  Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-4, `y[${i}]: ${v} vs ${want[i]}`));
  assert.deepEqual(Array.from(yEval.dataSync()), Array.from(y.dataSync()));
  const plain = instanceNorm({ channels: 3, center: false, scale: false, epsilon: 1e-4 });
  assert.equal(plain.variables.length, 0);
  assert.deepEqual(plain.state, []);
  const want0 = reference(x.dataSync(), shape, 1e-4, [1, 1, 1], [0, 0, 0]);
  Array.from(plain.apply(x).dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want0[i]) < 1e-4, `plain y[${i}]`));
  tf.dispose([x, y, yEval]);
  inorm.dispose!();
});

test('instanceNorm input and parameter gradients match the hand-written formulas', () => {
  // Per (instance, channel) group of m positions: dL/dx = gamma rstd (dy - mean(dy) - xhat mean(dy xhat)),
  // dL/dgamma = sum dy xhat, dL/dbeta = sum dy over instances and positions.
  const [B, H, W, C] = [2, 3, 3, 2];
  const m = H * W;
  const x = tensor([B, H, W, C], 2);
  const dy = tensor([B, H, W, C], 3);
  const inorm = instanceNorm({ channels: C, epsilon: 1e-3 });
  const g = [1.5, -0.4];
  setValues(inorm.variables[0], g);
  const loss = (a: tf.Tensor) => tf.sum(tf.mul(inorm.apply(a), dy));
  const dx = tf.grad(loss)(x).dataSync();
  const { grads } = tf.variableGrads(() => loss(x) as tf.Scalar, inorm.variables);
  const xs = x.dataSync();
  const ds = dy.dataSync();
  const wantDx = new Array<number>(xs.length);
  const dGamma = [0, 0];
  const dBeta = [0, 0];
  for (let n = 0; n < B; n++) {
    for (let c = 0; c < C; c++) {
      const at = (p: number) => (n * m + p) * C + c;
      let mean = 0;
      for (let p = 0; p < m; p++) mean += xs[at(p)] / m;
      let v = 0;
      for (let p = 0; p < m; p++) v += (xs[at(p)] - mean) ** 2 / m;
      const rstd = 1 / Math.sqrt(v + 1e-3);
      let sDy = 0;
      let sDyH = 0;
      for (let p = 0; p < m; p++) {
        const h = (xs[at(p)] - mean) * rstd;
        sDy += ds[at(p)];
        sDyH += ds[at(p)] * h;
      }
      dGamma[c] += sDyH;
      dBeta[c] += sDy;
      for (let p = 0; p < m; p++) wantDx[at(p)] = g[c] * rstd * (ds[at(p)] - sDy / m - ((xs[at(p)] - mean) * rstd * sDyH) / m);
    }
  }
  Array.from(dx).forEach((v, i) => assert.ok(Math.abs(v - wantDx[i]) < 1e-4, `dx[${i}]: ${v} vs ${wantDx[i]}`));
  Array.from(grads[inorm.variables[0].name].dataSync()).forEach((v, c) => assert.ok(Math.abs(v - dGamma[c]) < 1e-4, `dgamma[${c}]`));
  Array.from(grads[inorm.variables[1].name].dataSync()).forEach((v, c) => assert.ok(Math.abs(v - dBeta[c]) < 1e-4, `dbeta[${c}]`));
  tf.dispose([x, dy, ...Object.values(grads)]);
  inorm.dispose!();
});

test('R1 and the gradient penalty through an instance-norm discriminator match finite differences', () => {
  const D: Net = sequential('inD', [
    conv2d({ inChannels: 2, filters: 3, kernelSize: 3, activation: 'softplus', seed: 1, name: 'c0' }),
    instanceNorm({ channels: 3, name: 'in0' }),
    activationLayer('tanh'),
    conv2d({ inChannels: 3, filters: 2, kernelSize: 3, strides: 2, seed: 2, name: 'c1' }),
    instanceNorm({ channels: 2, scale: false, name: 'in1' }),
    activationLayer('softplus'),
    flattenLayer([2, 2, 2]),
    dense({ inUnits: 8, units: 1, seed: 3 }),
  ]);
  setValues(D.variables[2], [1.3, -0.6, 0.8]);
  setValues(D.variables[3], [0.2, -0.1, 0.4]);
  const real = tf.tensor(values(3 * 4 * 4 * 2, 4), [3, 4, 4, 2]);
  const fake = tf.tensor(values(3 * 4 * 4 * 2, 5), [3, 4, 4, 2]);
  const eps = tf.tensor1d([0.2, 0.6, 0.8]);
  for (const [name, f] of [
    ['R1', () => r1Penalty(D, real, 1)],
    ['GP', () => gradientPenalty(D, real, fake, { epsilon: eps })],
  ] as [string, () => tf.Scalar][]) {
    const r = gradCheck(f, D.variables, { seed: 5 });
    assert.ok(r.worstRelError < 2e-2, `${name}: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  }
  tf.dispose([real, fake, eps]);
  D.dispose!();
});

test('instanceNorm forward and gradients: wasm matches cpu', async () => {
  for (const shape of [[2, 4, 4, 3], [3, 5, 2, 1]]) {
    await assertSameOnBackends(`instanceNorm [${shape}]`, () => {
      const C = shape[3];
      const inorm = instanceNorm({ channels: C });
      try {
        setValues(inorm.variables[0], values(C, 6));
        setValues(inorm.variables[1], values(C, 7));
        const x = tensor(shape, 8);
        const dy = tensor(shape, 9);
        const loss = (a: tf.Tensor) => tf.sum(tf.mul(inorm.apply(a), dy));
        const y = inorm.apply(x);
        const dx = tf.grad(loss)(x);
        const { grads } = tf.variableGrads(() => loss(x) as tf.Scalar, inorm.variables);
        return [y, dx, ...inorm.variables.map((v) => grads[v.name])];
      } finally {
        inorm.dispose!();
      }
    });
  }
  await useBackend('cpu');
});

test('instanceNorm: clone copies its parameters', () => {
  const inorm = instanceNorm({ channels: 2, inputSize: [3, 3] });
  assert.deepEqual(inorm.outputShape, [3, 3, 2]);
  setValues(inorm.variables[0], [3, 4]);
  const c = inorm.clone!();
  assert.deepEqual(Array.from(c.variables[0].dataSync()), [3, 4]);
  assert.notEqual(c.variables[0], inorm.variables[0]);
  inorm.dispose!();
  c.dispose!();
});

test('instanceNorm: bad configurations and inputs name the layer and the argument', () => {
  assert.throws(() => instanceNorm({ channels: -1 }), /instanceNorm: channels must be a positive integer, got -1/);
  assert.throws(() => instanceNorm({ channels: 2, epsilon: -1, name: 'G/in' }), /instanceNorm G\/in: epsilon must be a finite number > 0, got -1/);
  assert.throws(() => instanceNorm({ channels: 2, affine: true } as never), /instanceNorm: unknown option 'affine'; known: channels, epsilon, center, scale/);
  assert.throws(() => instanceNorm({ channels: 2, inputSize: [1, 1] }), /instanceNorm: inputSize must have more than one position/);
  assert.throws(() => instanceNorm({ channels: 2, inputSize: [0, 3] }), /instanceNorm: inputSize\[0\] must be a positive integer, got 0/);
  const inorm = instanceNorm({ channels: 2 });
  for (const [shape, re] of [
    [[2, 4, 4, 3], /instanceNorm: input must have shape \[batch, \*, \*, 2\], got \[2, 4, 4, 3\]/],
    [[2, 8, 2], /got \[2, 8, 2\]/],
    [[2, 1, 1, 2], /instanceNorm: input must have more than one spatial position per channel, got \[2, 1, 1, 2\]/],
  ] as [number[], RegExp][]) {
    const x = tf.zeros(shape);
    assert.throws(() => inorm.apply(x), re);
    x.dispose();
  }
  inorm.dispose!();
});
