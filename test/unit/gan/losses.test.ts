import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { ganLoss, GAN_LOSS_NAMES, minimaxLoss, nonSaturatingLoss, wassersteinLoss, hingeLoss, leastSquaresLoss, relativisticAverageLoss, relativisticPairedLoss } from '../../../kernel-helpers/src/gan';

before(async () => {
  await tf.setBackend('cpu');
});

const dr = [2, -1, 0.5];
const df = [-0.3, 1.5, 0];
const sp = (t: number) => Math.log1p(Math.exp(t));
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

function val(f: (logits: { real: tf.Tensor; fake: tf.Tensor }) => tf.Scalar): number {
  return tf.tidy(() => f({ real: tf.tensor2d(dr, [3, 1]), fake: tf.tensor2d(df, [3, 1]) }).dataSync()[0]);
}

function close(a: number, b: number, msg: string) {
  assert.ok(Math.abs(a - b) < 1e-5, `${msg}: ${a} vs ${b}`);
}

test('minimax and non-saturating: -log sigmoid forms on known logits', () => {
  const sig = (t: number) => 1 / (1 + Math.exp(-t));
  const lossD = -mean(dr.map((t) => Math.log(sig(t)))) - mean(df.map((t) => Math.log(1 - sig(t))));
  close(val(minimaxLoss.discriminator), lossD, 'minimax D');
  close(val(nonSaturatingLoss.discriminator), lossD, 'non-saturating D');
  close(val(({ fake }) => minimaxLoss.generator({ fake })), mean(df.map((t) => Math.log(1 - sig(t)))), 'minimax G = E log(1 - D(G(z)))');
  close(val(({ fake }) => nonSaturatingLoss.generator({ fake })), -mean(df.map((t) => Math.log(sig(t)))), 'NS G = -E log D(G(z))');
});

test('minimax D loss at D = 1/2 everywhere is 2 log 2 (the optimum when p_g = p_data)', () => {
  const v = tf.tidy(() => minimaxLoss.discriminator({ real: tf.zeros([5, 1]), fake: tf.zeros([5, 1]) }).dataSync()[0]);
  close(v, 2 * Math.log(2), 'log 4');
});

test('Wasserstein and hinge', () => {
  close(val(wassersteinLoss.discriminator), mean(df) - mean(dr), 'W D');
  close(val(({ fake }) => wassersteinLoss.generator({ fake })), -mean(df), 'W G');
  const hD = mean(dr.map((t) => Math.max(0, 1 - t))) + mean(df.map((t) => Math.max(0, 1 + t)));
  close(val(hingeLoss.discriminator), hD, 'hinge D');
  close(val(({ fake }) => hingeLoss.generator({ fake })), -mean(df), 'hinge G');
});

test('least squares with a-b-c targets', () => {
  const l = leastSquaresLoss({ a: -1, b: 1, c: 0 });
  close(val(l.discriminator), 0.5 * mean(dr.map((t) => (t - 1) ** 2)) + 0.5 * mean(df.map((t) => (t + 1) ** 2)), 'LS D');
  close(val(({ fake }) => l.generator({ fake })), 0.5 * mean(df.map((t) => t ** 2)), 'LS G');
  const d = leastSquaresLoss();
  close(val(({ fake }) => d.generator({ fake })), 0.5 * mean(df.map((t) => (t - 1) ** 2)), 'LS G default c = 1');
  assert.throws(() => leastSquaresLoss({ a: NaN }), /target a/);
});

test('relativistic average and paired', () => {
  const mr = mean(dr);
  const mf = mean(df);
  close(val(relativisticAverageLoss.discriminator), mean(dr.map((t) => sp(-(t - mf)))) + mean(df.map((t) => sp(t - mr))), 'RaGAN D');
  close(
    val((logits) => relativisticAverageLoss.generator(logits)),
    mean(df.map((t) => sp(-(t - mr)))) + mean(dr.map((t) => sp(t - mf))),
    'RaGAN G',
  );
  close(val(relativisticPairedLoss.discriminator), mean(dr.map((t, i) => sp(-(t - df[i])))), 'RpGAN D');
  close(val((logits) => relativisticPairedLoss.generator(logits)), mean(dr.map((t, i) => sp(-(df[i] - t)))), 'RpGAN G');
  // Equal logits: f(0) = log 2 for both players.
  close(tf.tidy(() => relativisticPairedLoss.discriminator({ real: tf.ones([4, 1]), fake: tf.ones([4, 1]) }).dataSync()[0]), Math.log(2), 'RpGAN at ties');
});

test('bad input: unknown names, unpaired batches, missing real logits', () => {
  assert.throws(() => ganLoss('vanilla' as never), /unknown loss "vanilla"/);
  assert.throws(() => tf.tidy(() => relativisticPairedLoss.discriminator({ real: tf.zeros([3, 1]), fake: tf.zeros([2, 1]) })), /pair one to one/);
  assert.throws(() => tf.tidy(() => relativisticPairedLoss.generator({ fake: tf.zeros([3, 1]) })), /needs logits.real/);
  assert.throws(() => ganLoss('toString' as never), /unknown loss/);
  for (const n of GAN_LOSS_NAMES) assert.equal(ganLoss(n).name, n);
});
