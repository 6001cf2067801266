/**
 * 2x2 max pooling (stride 2) of NHWC with even height and width, built from pairwise
 * maxima with float masks, because none of tfjs's own routes is right for a GAN critic:
 * - `tf.maxPool` throws at second order (R1/R2/GP). (Its first-order gradient on wasm is
 *   right only because the course replaces tfjs's stock MaxPoolGrad, which misroutes
 *   all-negative windows: backend/wasmKernels/maxPoolGrad.ts.)
 * - reshape + `tf.max`: the gradient mask is `equal(x, max)`, which has no gradient, so
 *   R1 through it throws; and it sends the FULL incoming gradient to every tied maximum, so a
 *   window of ReLU zeros passes on 4x the gradient, which is no (sub)gradient at all.
 * Here max(a, b) = m b + (1 - m) a with m = [b > a] (`greaterMask`, a tf.step of b - a): the
 * value is exactly one of the inputs; the gradient goes to that one input (on ties, the first
 * maximum in row-major window order, tf.maxPool's choice); and as step's gradient is zero,
 * the mask is a constant on the tape, so every higher derivative is that of the selected
 * linear piece. Width pairs are reduced first, then height pairs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { greaterMask } from '../backend/tfjsExtras';
import { argumentError, checkKnownOptions } from '../core/args';
import { lambdaNet, Net } from './net';

/** The larger of a and b elementwise (a on ties), through a 0/1 float mask. */
function pairMax(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const m = greaterMask(b, a);
  return tf.add(tf.mul(m, b), tf.mul(tf.sub(tf.scalar(1), m), a));
}

function pool(who: string, x: tf.Tensor): tf.Tensor {
  if (x.rank !== 4) throw argumentError(who, 'x', 'a rank-4 NHWC tensor', x.shape);
  const [n, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw argumentError(who, 'input height and width', 'even', `${h}x${w}`);
  return tf.tidy(() => {
    // Columns 2j and 2j+1 of a row are adjacent in memory: as channels [0, c) and [c, 2c).
    const cols = tf.reshape(x, [n, h, w / 2, 2 * c]);
    const alongW = pairMax(tf.slice(cols, [0, 0, 0, 0], [n, h, w / 2, c]), tf.slice(cols, [0, 0, 0, c], [n, h, w / 2, c]));
    const rows = tf.reshape(alongW, [n, h / 2, 2, (w / 2) * c]);
    const both = pairMax(tf.slice(rows, [0, 0, 0, 0], [n, h / 2, 1, (w / 2) * c]), tf.slice(rows, [0, 0, 1, 0], [n, h / 2, 1, (w / 2) * c]));
    return tf.reshape(both, [n, h / 2, w / 2, c]);
  });
}

/** 2x2, stride-2 max pooling of an NHWC tensor with even height and width. */
export function maxPool2x2(x: tf.Tensor): tf.Tensor {
  return pool('maxPool2x2', x);
}

export interface MaxPool2x2Options {
  name?: string;
}

export function maxPool2x2Layer(opts: MaxPool2x2Options = {}): Net {
  const name = opts.name ?? 'maxPool2x2';
  checkKnownOptions(name, opts, ['name']);
  return lambdaNet(name, (x) => pool(name, x));
}
