/**
 * The library paths the notebooks use during and after training, on webgpu: none of them
 * may read a tensor synchronously (Node cannot read GPU memory synchronously; the backend
 * throws WebgpuSyncReadError). Each runs on cpu and then on webgpu from the same seeds, and
 * the results must agree: spectral normalisation (pure tensor ops, forward and gradient),
 * the Lipschitz measurements, weight clipping's saturation, batch norm's eval mode, Fourier
 * features' frequencies and clone, the toy GAN study's samples and critic, the digit
 * classifier's predictions and features, and `show(images(tensor))`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { batchNorm, fourierFeatures } from '../../../kernel-helpers/src/nn';
import { mlpDiscriminator } from '../../../kernel-helpers/src/gan';
import { spectralNormalization, saturatedShare, networkLipschitzBound, inputGradientNorms, clipWeights } from '../../../kernel-helpers/src/lipschitz';
import { createToyGan } from '../../../kernel-helpers/src/studies';
import { initDigitClassifier } from '../../../kernel-helpers/src/metrics/digits/digitClassifier';
import { countStackedModes } from '../../../kernel-helpers/src/metrics';
import { renderOutput } from '../../../kernel-helpers/src/display/render';
import { images } from '../../../kernel-helpers/src/display';
import { values, webgpuReady } from './harness';

/** Runs `f` on cpu, then on webgpu (cpu first: a tensor can move from cpu to webgpu, not back). */
async function onBoth<T>(f: () => Promise<T>): Promise<{ cpu: T; webgpu: T }> {
  await tf.setBackend('cpu');
  // The cpu backend's banner recommending tfjs-node (as the harness silences it).
  const cpuBackend = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpuBackend && 'firstUse' in cpuBackend) cpuBackend.firstUse = false;
  const cpu = await f();
  await tf.setBackend('webgpu');
  const webgpu = await f();
  return { cpu, webgpu };
}

function close(label: string, got: ArrayLike<number>, ref: ArrayLike<number>, tol: number): void {
  assert.equal(got.length, ref.length, `${label}: length`);
  let scale = 1e-6;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++) {
    assert.ok(Math.abs(got[i] - ref[i]) <= tol * scale, `${label}[${i}]: webgpu ${got[i]}, cpu ${ref[i]}`);
  }
}

test('webgpu: spectral normalisation (forward, gradient, sigma) and the Lipschitz measurements match cpu', async (t) => {
  if (!(await webgpuReady(t))) return;
  const r = await onBoth(async () => {
    const sn = spectralNormalization({ iterations: 1, seed: 1 });
    const D = mlpDiscriminator({ inputDim: 2, width: 6, depth: 1, seed: 3, weightTransform: sn });
    const x = tf.tensor2d(values(10, 4), [5, 2]);
    for (let i = 0; i < 5; i++) tf.tidy(() => D.apply(x)); // warm the kept vectors up
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(D.apply(x))) as tf.Scalar, D.variables);
    const out = { value: (await value.data())[0], grads: [] as number[] };
    for (const v of D.variables) out.grads.push(...(await grads[v.name].data()));
    const sigma = await sn.sigmaOf(D.variables[0]);
    const bound = (await networkLipschitzBound(D, { divisor: (w) => sn.sigmaOf(w) })).bound;
    const slopes = await inputGradientNorms((p) => D.apply(p), [[0.1, 0.2], [-1, 0.5]]);
    tf.dispose([value, x, ...Object.values(grads)]);
    D.dispose?.();
    sn.dispose();
    return { ...out, sigma: sigma!, bound, slopes };
  });
  close('loss', [r.webgpu.value], [r.cpu.value], 1e-4);
  close('weight gradients', r.webgpu.grads, r.cpu.grads, 1e-3);
  close('sigma, bound, slopes', [r.webgpu.sigma, r.webgpu.bound, ...r.webgpu.slopes], [r.cpu.sigma, r.cpu.bound, ...r.cpu.slopes], 1e-4);
  assert.ok(Math.abs(r.webgpu.bound - 1) < 0.1, `SN bound ${r.webgpu.bound}`);
});

test('webgpu: saturatedShare, batch norm eval mode, Fourier features frequencies and clone', async (t) => {
  if (!(await webgpuReady(t))) return;
  const r = await onBoth(async () => {
    const v = tf.variable(tf.tensor2d(values(64, 5, 0.05), [8, 8]));
    clipWeights([v], 0.01);
    const share = await saturatedShare([v], 0.01);
    v.dispose();
    const bn = batchNorm({ channels: 3 });
    const x = tf.tensor2d(values(12, 6, 2), [4, 3]);
    assert.throws(() => bn.apply(x, { training: false }), /there are none yet/);
    tf.tidy(() => bn.apply(x, { training: true }));
    const y = bn.apply(x, { training: false });
    const F = fourierFeatures({ size: 4, channels: 4, bandwidth: 1.5, learnFrequencies: true, seed: 2 });
    const copy = F.clone!() as typeof F;
    F.dispose?.();
    const out = { share, bn: Array.from(await y.data()), freqs: (await copy.frequencies()).flat() };
    tf.dispose([x, y]);
    bn.dispose?.();
    copy.dispose?.();
    return out;
  });
  assert.equal(r.webgpu.share, r.cpu.share);
  close('batch norm eval output', r.webgpu.bn, r.cpu.bn, 1e-4);
  close('frequencies of a clone', r.webgpu.freqs, r.cpu.freqs, 1e-6);
});

test('webgpu: the toy GAN study trains, tracks, samples and scores; the digit classifier predicts; show renders a GPU tensor', async (t) => {
  if (!(await webgpuReady(t))) return;
  const r = await onBoth(async () => {
    const gan = createToyGan({ task: 'ring8', loss: 'wasserstein', constraint: 'sn', width: 8, depth: 1, seed: 1 });
    const res = await gan.train({ steps: 2, batchSize: 16, trackEvery: 2, trackSamples: 16 });
    const pts = await gan.generate(8);
    const grid = await gan.criticGrid(3);
    const score = await gan.score(32);
    gan.dispose();
    const clf = initDigitClassifier(4);
    const pixels = values(3 * 196 * 2, 7);
    const features = await clf.featuresOf(pixels.subarray(0, 3 * 196), 3);
    const modes = await countStackedModes(clf, pixels, 3, 2);
    clf.dispose();
    const img = tf.tidy(() => tf.sin(tf.reshape(tf.range(0, 2 * 8 * 8), [2, 8, 8])));
    const shown = await renderOutput(images(img));
    img.dispose();
    return {
      track: res.track.map((p) => p.criticEstimate), pts: pts.flat(), grid: grid.z.flat(), w1: score.w1,
      features: Array.from(features), modes: Array.from(modes.modes), summary: shown.summary,
    };
  });
  close('critic estimates', r.webgpu.track, r.cpu.track, 1e-3);
  close('generated points', r.webgpu.pts, r.cpu.pts, 1e-3);
  close('critic grid', r.webgpu.grid, r.cpu.grid, 1e-3);
  close('classifier features', r.webgpu.features, r.cpu.features, 1e-4);
  assert.deepEqual(r.webgpu.modes, r.cpu.modes);
  assert.ok(Number.isFinite(r.webgpu.w1));
  assert.equal(r.webgpu.summary, r.cpu.summary);
});
