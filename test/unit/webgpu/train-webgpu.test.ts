/**
 * A few train() steps of each reference model on webgpu and on cpu, from the same seeds and
 * the same batches: the logged losses (adversarial and penalties) must agree. Prints the
 * largest relative difference and the milliseconds per step on each backend (on a software
 * GPU the times measure nothing but correctness).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { Net } from '../../../kernel-helpers/src/nn';
import {
  train, TrainConfig, dcganGenerator, dcganDiscriminator, mlpGenerator, mlpDiscriminator,
  residualGenerator, residualDiscriminator, gruGenerator, gruDiscriminator,
} from '../../../kernel-helpers/src/gan';
import { tensor, webgpuReady } from './harness';

interface Model {
  label: string;
  make(): { G: Net; D: Net };
  real: number[];
  latent: number[];
  cfg: Partial<TrainConfig>;
  steps: number;
}

const MODELS: Model[] = [
  {
    label: 'DCGAN (channels 16/8) with R1',
    make: () => ({ G: dcganGenerator({ latentDim: 16, channels: [16, 8], seed: 1 }), D: dcganDiscriminator({ channels: [8, 16], seed: 2 }) }),
    real: [28, 28, 1], latent: [16], cfg: { penalties: { r1: 1 } }, steps: 3,
  },
  {
    label: '2-D MLP, WGAN-GP',
    make: () => ({ G: mlpGenerator({ width: 32, depth: 2, seed: 3 }), D: mlpDiscriminator({ width: 32, depth: 2, seed: 4 }) }),
    real: [2], latent: [2], cfg: { loss: 'wasserstein', penalties: { gp: 10 }, dSteps: 2 }, steps: 4,
  },
  {
    label: 'residual nets 8x8, relativistic with R1+R2, EMA',
    make: () => ({
      G: residualGenerator({ imageSize: 8, channels: [8, 4], latentDim: 4, groups: 2, seed: 5 }),
      D: residualDiscriminator({ imageSize: 8, channels: [4, 8], groups: 2, seed: 6 }),
    }),
    real: [8, 8, 1], latent: [4], cfg: { loss: 'relativisticPaired', penalties: { r1: 0.5, r2: 0.5 }, ema: 0.9 }, steps: 3,
  },
  {
    label: 'GRU sequence nets with R1',
    make: () => ({
      G: gruGenerator({ latentDim: 2, features: 1, hidden: 6, timeSteps: 5, seed: 7 }),
      D: gruDiscriminator({ features: 1, hidden: 6, timeSteps: 5, seed: 8 }),
    }),
    real: [5, 1], latent: [5, 2], cfg: { penalties: { r1: 1 } }, steps: 3,
  },
];

async function run(backend: 'cpu' | 'webgpu', m: Model): Promise<{ losses: number[]; weights: Float32Array; msPerStep: number }> {
  await tf.setBackend(backend);
  const { G, D } = m.make();
  let calls = 0;
  // WGAN-GP draws its interpolation weights with tf.randomUniform, seeded from Math.random:
  // the same stream on both backends.
  const random = Math.random;
  let state = 12345;
  Math.random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  // The same batches on both backends, in the same order.
  const res = await train({
    generator: G,
    discriminator: D,
    sampleReal: (n) => tf.tanh(tensor([n, ...m.real], 1000 + calls++, 1.5)),
    sampleLatent: (n) => tensor([n, ...m.latent], 5000 + calls++, 1.7),
    batchSize: 4,
    steps: m.steps,
    logEvery: 1,
    lrD: 1e-3,
    lrG: 1e-3,
    stopOnInterrupt: false,
    ...m.cfg,
  }).finally(() => { Math.random = random; });
  const losses = res.history.flatMap((h) => [h.lossD, h.lossG, ...Object.values(h.penalties).map(Number)]);
  const weights = Float32Array.from(await G.variables[0].data());
  res.emaGenerator?.dispose?.();
  G.dispose!();
  D.dispose!();
  return { losses, weights, msPerStep: res.elapsedMs / res.steps };
}

for (const m of MODELS) {
  test(`train() on webgpu gives cpu's losses: ${m.label}`, async (t) => {
    if (!(await webgpuReady(t))) return;
    const cpu = await run('cpu', m);
    const gpu = await run('webgpu', m);
    assert.equal(gpu.losses.length, cpu.losses.length);
    let worst = 0;
    cpu.losses.forEach((c, i) => {
      const g = gpu.losses[i];
      assert.ok(Number.isFinite(g), `loss ${i} on webgpu is ${g}`);
      worst = Math.max(worst, Math.abs(g - c) / Math.max(Math.abs(c), 1e-2));
    });
    let wScale = 1e-6;
    let wDiff = 0;
    cpu.weights.forEach((c, i) => { wScale = Math.max(wScale, Math.abs(c)); wDiff = Math.max(wDiff, Math.abs(c - gpu.weights[i])); });
    console.log(`# ${m.label}: ${cpu.losses.length} logged values, worst relative loss difference ${worst.toExponential(2)}, ` +
      `G weights after training ${(wDiff / wScale).toExponential(2)}; ms/step cpu ${cpu.msPerStep.toFixed(0)}, webgpu ${gpu.msPerStep.toFixed(0)}`);
    assert.ok(worst < 1e-3, `${m.label}: losses differ by ${worst.toExponential(2)} relative (cpu ${cpu.losses}, webgpu ${gpu.losses})`);
    assert.ok(wDiff / wScale < 1e-3, `${m.label}: generator weights differ by ${(wDiff / wScale).toExponential(2)} relative`);
  });
}
