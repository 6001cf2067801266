/**
 * Segmentation scores against hand-computed examples, their errors, the conditional
 * diversity, and the segmenter SPADE's evaluation uses: trained briefly on synthetic scenes
 * (on wasm, the backend the course trains on), it segments held-out ones.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { confusionMatrix, meanIoU, pixelAccuracy, segmentationScores, trainSegmenter, conditionalDiversity } from '../../../kernel-helpers/src/metrics';
import { syntheticScenes } from '../../../kernel-helpers/src/data';
import { useBackend } from '../backend/backend-compare';

before(async () => {
  await useBackend('wasm');
});

// truth     0 0 1 1 2 2
// predicted 0 1 1 1 2 0
const truth = [0, 0, 1, 1, 2, 2];
const predicted = [0, 1, 1, 1, 2, 0];

test('confusion matrix, IoU and pixel accuracy of a small example, worked by hand', () => {
  assert.deepEqual(confusionMatrix(predicted, truth, 4), [
    [1, 1, 0, 0],
    [0, 2, 0, 0],
    [1, 0, 1, 0],
    [0, 0, 0, 0],
  ]);
  // IoU_0 = 1 / (1 + 1 FP + 1 FN) = 1/3, IoU_1 = 2 / (2 + 1 FP) = 2/3, IoU_2 = 1 / (1 + 1 FN) = 1/2;
  // class 3 is in neither map, so it is left out of the mean.
  const s = segmentationScores(Int32Array.from(predicted), Int32Array.from(truth), 4);
  assert.ok(Math.abs(s.perClassIoU[0] - 1 / 3) < 1e-12 && Math.abs(s.perClassIoU[1] - 2 / 3) < 1e-12 && s.perClassIoU[2] === 0.5);
  assert.ok(Number.isNaN(s.perClassIoU[3]));
  assert.ok(Math.abs(s.meanIoU - 0.5) < 1e-12, `mean IoU ${s.meanIoU}`);
  assert.equal(meanIoU(predicted, truth, 4), s.meanIoU);
  assert.ok(Math.abs(s.pixelAccuracy - 4 / 6) < 1e-12);
  assert.equal(pixelAccuracy(predicted, truth), s.pixelAccuracy);
  // A class only in the prediction counts, with IoU 0.
  assert.ok(Math.abs(meanIoU([0, 0, 3], [0, 0, 0], 4) - (2 / 3 + 0) / 2) < 1e-12);
  assert.equal(meanIoU(truth, truth, 3), 1);
  assert.equal(pixelAccuracy(truth, truth), 1);
  assert.ok(Number.isNaN(meanIoU([], [], 3)) && Number.isNaN(pixelAccuracy([], [])));
});

test('segmentation scores refuse unequal lengths and labels outside [0, classes), naming the argument', () => {
  assert.throws(() => meanIoU([0, 1], [0, 1, 1], 2), /meanIoU: predicted and truth must have the same length, got 2 and 3/);
  assert.throws(() => pixelAccuracy([0, 1], [0]), /pixelAccuracy: predicted and truth must have the same length, got 2 and 1/);
  assert.throws(() => segmentationScores([0, 2], [0, 1], 2), /segmentationScores: predicted must hold integer labels in \[0, 2\), got 2 at index 1/);
  assert.throws(() => confusionMatrix([0, 1], [0, -1], 2), /confusionMatrix: truth must hold integer labels in \[0, 2\), got -1 at index 1/);
  assert.throws(() => meanIoU([0, 0.5], [0, 1], 2), /meanIoU: predicted must hold integer labels in \[0, 2\), got 0.5 at index 1/);
  assert.throws(() => pixelAccuracy([0, 1.5], [0, 1]), /pixelAccuracy: predicted must hold integer labels, got 1.5 at index 1/);
  assert.throws(() => meanIoU([0], [0], 0), /meanIoU: classes must be a positive integer, got 0/);
  assert.throws(() => meanIoU('01' as never, [0, 1], 2), /meanIoU: predicted must be an Int32Array or an array of integer labels/);
});

test('conditionalDiversity is the mean pairwise L1 distance within each group', () => {
  // Two masks, three images of two pixels each per mask.
  const images = Float32Array.from([0, 0, 1, 1, 0, 2, /* mask 1 */ 5, 5, 5, 5, 5, 5]);
  // Mask 0 pairs: |(0,0)-(1,1)| = 1, |(0,0)-(0,2)| = 1, |(1,1)-(0,2)| = 1; mask 1: all 0.
  assert.equal(conditionalDiversity(images, 2, 3), 0.5);
  assert.throws(() => conditionalDiversity(images, 2, 1), /conditionalDiversity: perMask must be an integer >= 2, got 1/);
  assert.throws(() => conditionalDiversity(images, 5, 2), /conditionalDiversity: images must hold count \* perMask = 5 \* 2 = 10 images of equal size, got 12 values/);
});

test('the segmenter learns the scene textures: high pixel accuracy on held-out scenes, features per image, no leaks', async (t) => {
  const train = syntheticScenes({ count: 256, seed: 11 });
  const held = syntheticScenes({ count: 64, seed: 12 });
  const before = tf.memory().numTensors;
  const start = Date.now();
  const seg = await trainSegmenter({ images: train.images, masks: train.masks, count: train.count, size: 16, classes: 4, steps: 120, batchSize: 16, seed: 1 });
  const ms = Date.now() - start;
  const s = segmentationScores(seg.predict(held.images, held.count), held.masks, 4);
  t.diagnostic(`120 steps of batch 16 in ${ms} ms: held-out pixel accuracy ${s.pixelAccuracy.toFixed(3)}, mean IoU ${s.meanIoU.toFixed(3)}; training pixel accuracy ${seg.trainScores.pixelAccuracy.toFixed(3)}`);
  assert.ok(s.pixelAccuracy > 0.8, `held-out pixel accuracy ${s.pixelAccuracy}`);
  assert.ok(seg.trainScores.pixelAccuracy > 0.8);
  const f = seg.features(held.images.subarray(0, 3 * 256), 3);
  assert.equal(seg.featureDim, 32);
  assert.equal(f.length, 3 * 32);
  assert.ok(f.every(Number.isFinite));
  // The second half of a row is a standard deviation.
  assert.ok(f.subarray(16, 32).every((v) => v >= 0));
  assert.throws(() => seg.predict(held.images, 65), /Segmenter.predict: images must hold count \* size \* size = 65 \* 16 \* 16 = 16640 pixels/);
  seg.dispose();
  assert.throws(() => seg.predict(held.images, 1), /the segmenter was disposed/);
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
});

test('trainSegmenter refuses inconsistent data with the argument named', async () => {
  const s = syntheticScenes({ count: 2, seed: 1 });
  const base = { images: s.images, masks: s.masks, count: 2, size: 16, classes: 4, steps: 1 };
  await assert.rejects(trainSegmenter({ ...base, count: 3 }), /trainSegmenter: images must hold count \* size \* size = 3 \* 16 \* 16 = 768 pixels/);
  await assert.rejects(trainSegmenter({ ...base, classes: 2 }), /oneHotMasks: masks must hold classes in \[0, 2\)/);
  await assert.rejects(trainSegmenter({ ...base, size: 10, images: new Float32Array(200), masks: new Int32Array(200) }), /trainSegmenter: size must be a multiple of 4/);
  await assert.rejects(trainSegmenter({ ...base, lr: 0 }), /trainSegmenter: lr must be a finite number > 0, got 0/);
  await assert.rejects(trainSegmenter({ ...base, epochs: 3 } as never), /trainSegmenter: unknown option 'epochs'/);
});
