import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { isMeaningfulCombination, studyCombinations, meanStd, summarizeStudy, swissRollQuality, scoreSamples, w1DataBaseline, toyTask, createToyGan, runLossStudy, StudyRun, affineFitShare, DEFAULT_CRITIC_STEPS } from '../../../kernel-helpers/src/studies';
import { networkLipschitzBound } from '../../../kernel-helpers/src/lipschitz';
import { rng } from '../../../kernel-helpers/src/core/random';
import { Point2 } from '../../../kernel-helpers/src/data';

before(async () => {
  await tf.setBackend('cpu');
});

test('the grid: Wasserstein only with a Lipschitz constraint, clipping only with Wasserstein', () => {
  assert.equal(isMeaningfulCombination('wasserstein', 'none'), false);
  assert.equal(isMeaningfulCombination('wasserstein', 'r1'), false);
  assert.equal(isMeaningfulCombination('wasserstein', 'gp'), true);
  assert.equal(isMeaningfulCombination('hinge', 'clip'), false);
  assert.equal(isMeaningfulCombination('hinge', 'r1'), true);
  // 6 losses x {none, gp, sn, r1} + wasserstein x {gp, sn, clip}
  assert.equal(studyCombinations().length, 6 * 4 + 3);
});

test('meanStd and summarizeStudy aggregate over seeds and count failures', () => {
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: Math.SQRT2 });
  assert.deepEqual(meanStd([5]), { mean: 5, std: 0 });
  const base = { loss: 'hinge', constraint: 'sn', task: 'ring8', modes: 8, seconds: 1 } as const;
  const runs: StudyRun[] = [
    { ...base, seed: 0, modesHit: 8, highQualityShare: 0.9, w1: 0.1 },
    { ...base, seed: 1, modesHit: 6, highQualityShare: 0.7, w1: 0.3 },
    { ...base, seed: 2, modesHit: NaN, highQualityShare: NaN, w1: NaN, error: 'non-finite' },
  ];
  const [cell] = summarizeStudy(runs);
  assert.equal(cell.runs, 3);
  assert.equal(cell.failed, 1);
  assert.equal(cell.modesHit.mean, 7);
  assert.ok(Math.abs(cell.w1.mean - 0.2) < 1e-12 && Math.abs(cell.w1.std - Math.sqrt(0.02)) < 1e-12);
});

test('scores of the data itself: every mode, high quality, W1 near the sampling floor', () => {
  for (const name of ['ring8', 'grid25', 'swissRoll'] as const) {
    const task = toyTask(name);
    const s = scoreSamples(task, task.data.sample(400, rng(3)), 9);
    if (name !== 'swissRoll') assert.equal(s.modesHit, s.modes);
    assert.ok(s.highQualityShare > 0.97, `${name}: quality ${s.highQualityShare}`);
    const floor = w1DataBaseline(task, 400);
    assert.ok(s.w1 < 2 * floor && s.w1 > 0, `${name}: w1 ${s.w1}, floor ${floor}`);
  }
  // A collapsed generator (everything on one ring mode) scores 1 mode and a large W1.
  const ring = toyTask('ring8');
  const collapsed: Point2[] = Array.from({ length: 400 }, () => [2, 0]);
  const s = scoreSamples(ring, collapsed);
  assert.equal(s.modesHit, 1);
  assert.ok(s.w1 > 1.5, `collapsed w1 ${s.w1}`);
  // Points far from the spiral are not high quality.
  assert.equal(swissRollQuality([[0, 0], [3, 3]]), 0);
});

test('toy GAN: clipping keeps D inside [-c, c]; SN keeps its Lipschitz bound near 1; tracking records W1', async () => {
  const clip = createToyGan({ task: 'ring8', loss: 'wasserstein', constraint: 'clip', width: 8, depth: 1, clipBound: 0.05, seed: 1 });
  await clip.train({ steps: 3, batchSize: 16 });
  for (const v of clip.D.variables) assert.ok(Math.max(...Array.from(v.dataSync()).map(Math.abs)) <= 0.05 + 1e-7);
  clip.dispose();

  const sn = createToyGan({ task: 'grid25', loss: 'hinge', constraint: 'sn', width: 8, depth: 1, seed: 2, snIterations: 30 });
  const r = await sn.train({ steps: 4, batchSize: 16, trackEvery: 2, trackSamples: 20 });
  assert.deepEqual(r.track.map((p) => p.step), [0, 2, 4]);
  r.track.forEach((p) => assert.ok(Number.isFinite(p.criticEstimate) && p.exactW1 > 0));
  const { bound } = await networkLipschitzBound(sn.D, { divisor: (w) => sn.sn!.sigmaOf(w) });
  assert.ok(Math.abs(bound - 1) < 0.05, `SN bound ${bound}`);
  const grid = await sn.criticGrid(5);
  assert.equal(grid.z.length, 5);
  assert.equal(grid.z[0].length, 5);
  sn.dispose();
});

test('runLossStudy runs the meaningful grid and returns one row per run and cell', async () => {
  const seen: number[] = [];
  const res = await runLossStudy({
    losses: ['nonSaturating', 'wasserstein'],
    constraints: ['none', 'sn', 'gp'],
    tasks: ['ring8'],
    seeds: [0],
    training: { steps: 2, batchSize: 8 },
    width: 8,
    depth: 1,
    evalSamples: 16,
    onRun: (_r, i) => void seen.push(i),
  });
  // nonSaturating x {none, sn, gp} + wasserstein x {sn, gp}
  assert.equal(res.runs.length, 5);
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.equal(res.cells.length, 5);
  assert.ok(res.runs.every((r) => r.error === undefined && Number.isFinite(r.w1)), JSON.stringify(res.runs.map((r) => r.error)));
  assert.ok(res.w1Floor.ring8! > 0);
  await assert.rejects(runLossStudy({ training: { steps: 0 } }), /runLossStudy: training.steps must be an integer >= 1, got 0/);
  assert.throws(() => createToyGan({ task: 'ring8', loss: 'hinge', clipBound: 0 }), /clipBound must be a finite number > 0/);
  assert.throws(() => createToyGan({ task: 'ring8', loss: 'hinge', gpLambda: -1 }), /gpLambda must be a finite number >= 0/);
});

test('affineFitShare: 1 for a plane, low for a cone', () => {
  const xs = [-2, -1, 0, 1, 2];
  const plane = { xs, ys: xs, z: xs.map((y) => xs.map((x) => 3 * x - y + 0.5)) };
  assert.ok(Math.abs(affineFitShare(plane) - 1) < 1e-12);
  const cone = { xs, ys: xs, z: xs.map((y) => xs.map((x) => Math.hypot(x, y))) };
  assert.ok(affineFitShare(cone) < 0.1, `cone ${affineFitShare(cone)}`);
});

test('critic steps per generator step: 5 by default with the gradient penalty (WGAN-GP), 1 otherwise, explicit dSteps wins', async () => {
  assert.equal(DEFAULT_CRITIC_STEPS.gp, 5);
  // Count real batches drawn in one generator step: one per critic update (these losses'
  // generator updates draw none).
  const realBatches = async (constraint: 'gp' | 'sn', dSteps?: number): Promise<number> => {
    const task = toyTask('ring8');
    let calls = 0;
    const data = { ...task.data, sample: (n: number, r: any) => (calls++, task.data.sample(n, r)) };
    const gan = createToyGan({ task: { ...task, data }, loss: 'wasserstein', constraint, seed: 0, width: 8, depth: 1 });
    try {
      await gan.train({ steps: 1, batchSize: 8, dSteps });
    } finally {
      gan.dispose();
    }
    return calls;
  };
  assert.equal(await realBatches('gp'), 5);
  assert.equal(await realBatches('sn'), 1);
  assert.equal(await realBatches('gp', 2), 2);
});
