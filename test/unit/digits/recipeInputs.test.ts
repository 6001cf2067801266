// The bad inputs chapter 7's recipe must refuse, with the argument named: gamma < 0,
// lr < 0, an EMA decay outside [0, 1), a group count that does not divide the channels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend/tf';
import { train, residualBlock, residualGenerator, residualDiscriminator, mlpGenerator, mlpDiscriminator, r1Penalty, r2Penalty } from '../../../kernel-helpers/src/gan';
import { createEma } from '../../../kernel-helpers/src/nn';
import { checkEmaDecay } from '../../../kernel-helpers/src/nn/ema';

async function trainWith(extra: Record<string, unknown>) {
  await tf.setBackend('cpu');
  const G = mlpGenerator({ width: 4, depth: 1, seed: 1 });
  const D = mlpDiscriminator({ width: 4, depth: 1, seed: 2 });
  return train({ generator: G, discriminator: D, sampleReal: (n) => tf.randomNormal([n, 2]), sampleLatent: (n) => tf.randomNormal([n, 2]), steps: 1, batchSize: 4, stopOnInterrupt: false, ...extra });
}

test('negative gamma of R1 or R2 is refused by train and by the penalties', async () => {
  await assert.rejects(trainWith({ loss: 'relativisticPaired', penalties: { r1: -1 } }), /penalties\.r1 must be a finite number >= 0/);
  await assert.rejects(trainWith({ loss: 'relativisticPaired', penalties: { r1: 1, r2: -0.1 } }), /penalties\.r2 must be a finite number >= 0/);
  // a gamma schedule that turns negative is caught when it does
  await assert.rejects(trainWith({ penalties: { r1: () => -1 } }), /penalties\.r1 gave -1/);
  const D = mlpDiscriminator({ width: 4, depth: 1 });
  const x = tf.randomNormal([3, 2]);
  assert.throws(() => r1Penalty(D, x, -1), /gamma/);
  assert.throws(() => r2Penalty(D, x, -1), /gamma/);
});

test('negative learning rates are refused by train', async () => {
  await assert.rejects(trainWith({ lrD: -1e-4 }), /lrD must be a finite number >= 0/);
  await assert.rejects(trainWith({ lrG: -4e-4 }), /lrG must be a finite number >= 0/);
});

test('EMA decay outside [0, 1) is refused', async () => {
  for (const bad of [1, 1.5, -0.1, NaN]) assert.throws(() => checkEmaDecay(bad), /decay must be in \[0, 1\)/);
  assert.doesNotThrow(() => checkEmaDecay(0));
  assert.throws(() => createEma(mlpGenerator({ width: 4, depth: 1 }), 1), /decay must be in \[0, 1\)/);
  await assert.rejects(trainWith({ ema: 1 }), /decay must be in \[0, 1\)/);
});

test('a group count that does not divide the channels is refused, naming groups', () => {
  assert.throws(() => residualBlock({ channels: 6, expansion: 1, groups: 4 }), /groups \(4\) must divide/);
  assert.throws(() => residualGenerator({ channels: [12, 6], groups: 5, imageSize: 14 }), /groups \(5\) must divide/);
  assert.throws(() => residualDiscriminator({ channels: [6, 12], groups: 0, imageSize: 14 }), /groups must be a positive integer/);
  assert.doesNotThrow(() => residualBlock({ channels: 8, expansion: 2, groups: 4 }));
});
