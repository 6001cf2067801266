/**
 * Shape checks shared by the sequence-GAN trainers (C-RNN-GAN, RCGAN, TimeGAN, the plain GRU
 * GAN): a batch of sequences is [n, T, features], and a recurrent net declares [T, features]
 * (T = -1 when it takes any length). Checking the first batch against the nets turns a
 * wrong length or feature count into an error that names the sampler and the net, instead
 * of a matMul shape error deep inside an unrolled recurrence.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Net } from '../nn/net';

/** Length (-1: any) and features of a net's per-example [T, features] input or output shape. */
export interface SequenceShape {
  length: number;
  features: number;
}

/** The [T, features] a net declares for its input or output (throws, naming `name`, when it declares none or another rank). */
export function declaredSequenceShape(who: string, name: string, net: Net, side: 'input' | 'output'): SequenceShape {
  const s = side === 'input' ? net.inputShape : net.outputShape;
  if (!s || s.length !== 2) {
    throw new Error(`${who}: ${name} must be a sequence net with a declared ${side} shape [T, features], got ${s ? `[${s.join(', ')}]` : 'none'}`);
  }
  return { length: s[0], features: s[1] };
}

/**
 * Throws unless `x` is [n, T, features] with T = `want.length` (when known) and the features
 * `want.features`. `what` names the argument that produced it (e.g. "sampleReal(64)"),
 * `against` the net it must fit.
 */
export function checkSequenceBatch(who: string, what: string, x: tf.Tensor, n: number, want: SequenceShape, against: string): void {
  const len = want.length > 0 ? String(want.length) : 'T';
  const ok = x.rank === 3 && x.shape[0] === n && (want.length < 0 || x.shape[1] === want.length) && x.shape[2] === want.features;
  if (!ok) {
    throw new Error(`${who}: ${what} must be [${n}, ${len}, ${want.features}] sequences (length ${want.length > 0 ? want.length : 'any'}, ${want.features} features, as ${against}), got [${x.shape.join(', ')}]`);
  }
}

/** Two declared lengths agree when either is "any" or they are equal. */
export function lengthsAgree(a: number, b: number): boolean {
  return a < 0 || b < 0 || a === b;
}

/**
 * The shapes a sequence GAN's two nets declare, checked against each other: G's output must be
 * what D takes. `length` is the one length any of them declares (-1 when none does, to be
 * taken from the data); `noiseFeatures` is what G takes per step, `features` what D takes.
 */
export function pairedSequenceShapes(who: string, G: Net, D: Net): { length: number; features: number; noiseFeatures: number } {
  const gIn = declaredSequenceShape(who, 'generator', G, 'input');
  const gOut = declaredSequenceShape(who, 'generator', G, 'output');
  const dIn = declaredSequenceShape(who, 'discriminator', D, 'input');
  if (gOut.features !== dIn.features || !lengthsAgree(gOut.length, dIn.length)) {
    throw new Error(`${who}: the generator makes [T, features] = [${gOut.length}, ${gOut.features}] but the discriminator takes [${dIn.length}, ${dIn.features}]`);
  }
  return { length: [gIn.length, gOut.length, dIn.length].find((t) => t > 0) ?? -1, features: dIn.features, noiseFeatures: gIn.features };
}
