/**
 * Network interpolation (Wang, Yu, Wu, Gu, Liu, Dong, Qiao and Loy 2018, "ESRGAN: Enhanced
 * Super-Resolution Generative Adversarial Networks", sect. 3.4): train a PSNR-oriented net
 * and fine-tune a copy of it as a GAN generator, then blend their weights,
 *   theta = (1 - alpha) theta_a + alpha theta_b,
 * which trades the smooth, distortion-minimising outputs of `a` against the sharp but
 * artefact-prone outputs of `b` with one knob and no retraining. It works because `b`
 * starts from `a`: the two weight sets lie in one basin, where the average of two nets is
 * itself a good net; two independently trained nets would blend into nonsense.
 *
 * Non-trainable state (batch norm's running mean, variance and update count, `Net.state`) is
 * blended by the same rule, as ESRGAN's script does with every entry of the state dict: the
 * blended weights see activations between those the two sets of statistics describe.
 *
 * The result goes into a third net `into` of the same architecture (from the same factory,
 * or `a.clone()`), which is required: the caller decides who owns the blended variables, and
 * sweeping alpha reuses one net instead of allocating a new one per value. `into` may be `a`
 * or `b` (in-place blending): every value is read before any is written, so aliasing between
 * the three nets, or a variable shared by two layers, cannot feed a blended value back in.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from '../core/args';
import type { Net } from './net';

const WHO = 'interpolateNets';

function shapeText(s: readonly number[]): string {
  return `[${s.join(',')}]`;
}

/** Same count, shapes and dtype in a, b and into, checked before anything is written. */
function checkLists(kind: 'variable' | 'state variable', a: readonly tf.Variable[], b: readonly tf.Variable[], into: readonly tf.Variable[]): void {
  const plural = kind === 'variable' ? 'trainable variables' : 'state variables';
  for (const [other, label] of [[b, 'b'], [into, 'into']] as const) {
    if (other.length !== a.length) {
      throw new Error(`${WHO}: a has ${a.length} ${plural} but ${label} has ${other.length}; the nets must have the same architecture`);
    }
  }
  a.forEach((va, i) => {
    for (const [other, label] of [[b, 'b'], [into, 'into']] as const) {
      const vo = other[i];
      if (va.shape.length !== vo.shape.length || va.shape.some((d, k) => d !== vo.shape[k])) {
        throw new Error(`${WHO}: ${kind} ${i} has shape ${shapeText(va.shape)} in a but ${shapeText(vo.shape)} in ${label}`);
      }
    }
    for (const [v, label] of [[va, 'a'], [b[i], 'b'], [into[i], 'into']] as const) {
      // a blend of integers is not an integer; no course net keeps integer state
      if (v.dtype !== 'float32') throw new Error(`${WHO}: ${kind} ${i} has dtype ${v.dtype} in ${label}; only float32 values can be interpolated`);
    }
  });
}

/**
 * Writes (1 - alpha) a + alpha b into every trainable variable and every state variable of
 * `into`, in the nets' fixed orders, and returns `into`. alpha 0 reproduces `a` and alpha 1
 * `b` exactly (the other term is multiplied by an exact zero). Allocates one temporary copy
 * of the weights while it runs; leaves no tensors behind.
 */
export function interpolateNets(a: Net, b: Net, alpha: number, into: Net): Net {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0 || alpha > 1) throw argumentError(WHO, 'alpha', 'in [0, 1]', alpha);
  for (const [net, label] of [[a, 'a'], [b, 'b'], [into, 'into']] as const) {
    if (net == null || !Array.isArray(net.variables)) throw argumentError(WHO, label, 'a Net', net);
  }
  const lists = [
    [a.variables, b.variables, into.variables],
    [a.state ?? [], b.state ?? [], into.state ?? []],
  ] as const;
  checkLists('variable', ...lists[0]);
  checkLists('state variable', ...lists[1]);
  tf.tidy(() => {
    const wa = tf.scalar(1 - alpha);
    const wb = tf.scalar(alpha);
    const blended = lists.map(([la, lb]) => la.map((va, i) => tf.add(tf.mul(wa, va), tf.mul(wb, lb[i]))));
    lists.forEach(([, , li], k) => li.forEach((v, i) => v.assign(blended[k][i])));
  });
  return into;
}
