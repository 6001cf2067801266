/**
 * R1, R2 and the WGAN-GP gradient penalty on webgpu: their gradient w.r.t. the
 * discriminator's weights against finite differences (as test/unit/gan/penalties.test.ts
 * does on cpu), for every activation of nn/activations.ts and through a conv critic; and
 * penalty values and weight gradients against cpu.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { Activation, conv2d, dense, sequential, flattenLayer, downsampleMean2xLayer, upsampleNearest2xLayer, activationLayer, Net } from '../../../kernel-helpers/src/nn';
import { mlpDiscriminator, r1Penalty, r2Penalty, gradientPenalty } from '../../../kernel-helpers/src/gan';
import { assertSameOnWebgpu, gradCheckAsync, tensor, webgpuReady } from './harness';

const ACTIVATIONS: Activation[] = ['linear', 'relu', 'leakyRelu', { name: 'leakyRelu', slope: 0.1 }, 'softplus', 'tanh', 'sigmoid', 'exp'];
const TOL = 2e-2;

function penalties(D: Net, real: tf.Tensor, fake: tf.Tensor, eps: tf.Tensor): [string, () => tf.Scalar][] {
  return [
    ['R1', () => r1Penalty(D, real, 2)],
    ['R2', () => r2Penalty(D, fake, 0.7)],
    ['GP', () => gradientPenalty(D, real, fake, { lambda: 10, epsilon: eps })],
  ];
}

for (const act of ACTIVATIONS) {
  const label = typeof act === 'string' ? act : `leakyRelu(${act.slope})`;
  const kinked = label.startsWith('relu') || label.startsWith('leakyRelu');
  test(`webgpu: R1, R2 and GP gradients w.r.t. D's weights match finite differences (${label})`, async (t) => {
    if (!(await webgpuReady(t))) return;
    await tf.setBackend('webgpu');
    const D = mlpDiscriminator({ inputDim: 3, hidden: [6, 5], activation: act, seed: 11 });
    const real = tensor([4, 3], 1, 1.5);
    const fake = tensor([4, 3], 2, 1.5);
    const eps = tf.tensor1d([0.1, 0.5, 0.9, 0.3]);
    for (const [name, f] of penalties(D, real, fake, eps)) {
      const r = await gradCheckAsync(f, D.variables, { seed: 3, ...(kinked ? { order: 2 as const, h: 2e-3 } : {}) });
      assert.ok(r.worstRelError < TOL, `${name} with ${label}: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
      console.log(`# ${name} ${label}: finite differences within ${r.worstRelError.toExponential(2)}`);
    }
    tf.dispose([real, fake, eps]);
    D.dispose!();
  });
}

test('webgpu: penalties through a conv critic (leaky ReLU, mean pooling, upsampling, stride 2) match finite differences', async (t) => {
  if (!(await webgpuReady(t))) return;
  await tf.setBackend('webgpu');
  const D: Net = sequential('convD', [
    conv2d({ inChannels: 2, filters: 4, kernelSize: 3, groups: 2, activation: 'leakyRelu', seed: 1, name: 'c0' }),
    downsampleMean2xLayer(),
    upsampleNearest2xLayer(),
    conv2d({ inChannels: 4, filters: 4, kernelSize: 3, strides: 2, activation: 'softplus', seed: 2, name: 'c1' }),
    activationLayer('tanh'),
    flattenLayer([2, 2, 4]),
    dense({ inUnits: 16, units: 1, seed: 3 }),
  ]);
  const real = tensor([3, 4, 4, 2], 7);
  const fake = tensor([3, 4, 4, 2], 8);
  const eps = tf.tensor1d([0.2, 0.6, 0.8]);
  for (const [name, f] of penalties(D, real, fake, eps)) {
    const r = await gradCheckAsync(f, D.variables, { seed: 5, order: 2, h: 1e-3 });
    assert.ok(r.worstRelError < TOL, `${name}: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
    console.log(`# ${name} conv critic: finite differences within ${r.worstRelError.toExponential(2)}`);
  }
  tf.dispose([real, fake, eps]);
  D.dispose!();
});

test('webgpu: penalty values and weight gradients equal cpu\'s', async (t) => {
  if (!(await webgpuReady(t))) return;
  for (const act of ['leakyRelu', 'tanh', 'softplus'] as Activation[]) {
    const e = await assertSameOnWebgpu(`penalties ${String(act)}`, () => {
      const D = mlpDiscriminator({ inputDim: 4, hidden: [16, 16], activation: act, seed: 21 });
      const real = tensor([8, 4], 31);
      const fake = tensor([8, 4], 32);
      const eps = tf.tensor1d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
      const out: tf.Tensor[] = [];
      for (const [, f] of penalties(D, real, fake, eps)) {
        const { value, grads } = tf.variableGrads(f, D.variables);
        out.push(value, ...D.variables.map((v) => grads[v.name] ?? tf.zerosLike(v)));
      }
      const kept = out.map((o) => tf.keep(o.clone()));
      tf.dispose(out);
      D.dispose!();
      return kept;
    }, 1e-4);
    console.log(`# penalties ${String(act)} vs cpu: ${e.toExponential(2)}`);
  }
});
