/**
 * The penalties' second derivatives on the course's default CPU backend (wasm with the
 * runtime's training kernels), through the DCGAN and residual discriminators: finite
 * differences against the analytic gradient. Skipped, with the reason, where wasm cannot start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../kernel-helpers/src/backend';
import { dcganDiscriminator, residualDiscriminator, r1Penalty, r2Penalty, gradientPenalty } from '../../../kernel-helpers/src/gan';
import { gradCheck } from '../nn/gradcheck';

test('R1, R2, GP on wasm through DCGAN and residual discriminators match finite differences', async (t) => {
  try {
    await initBackend({ backend: 'wasm', quiet: true });
  } catch (e) {
    t.skip(`wasm backend unavailable: ${(e as Error).message}`);
    return;
  }
  assert.equal(tf.getBackend(), 'wasm');
  // Smooth activation so finite differences do not straddle ReLU kinks (see penalties.test.ts).
  const D = dcganDiscriminator({ seed: 3, activation: 'softplus', channels: [4, 4] });
  const R = residualDiscriminator({ imageSize: 8, channels: [4, 8], groups: 2, activation: 'softplus', seed: 5 });
  for (const v of R.variables) v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.2, 'float32', v.size))));
  const real = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 1);
  const fake = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 2);
  const r8 = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 3);
  const f8 = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 4);
  const eps = tf.tensor1d([0.3, 0.7]);
  const cases: [string, () => tf.Scalar, tf.Variable[]][] = [
    ['DCGAN R1', () => r1Penalty(D, real, 1), D.variables],
    ['DCGAN GP', () => gradientPenalty(D, real, fake, { epsilon: eps }), D.variables],
    ['residual R1', () => r1Penalty(R, r8, 1), R.variables],
    ['residual R2', () => r2Penalty(R, f8, 1), R.variables],
    ['residual GP', () => gradientPenalty(R, r8, f8, { epsilon: eps }), R.variables],
  ];
  for (const [name, f, vars] of cases) {
    const r = gradCheck(f, vars, { seed: 2, directions: 2, maxCoordinates: 6 });
    assert.ok(r.worstRelError < 2e-2, `${name}: worst relative error ${r.worstRelError.toExponential(2)}; ${JSON.stringify(r.probes)}`);
  }
  tf.dispose([real, fake, r8, f8, eps]);
  D.dispose!();
  R.dispose!();
});
