/**
 * The course's digit classifier: a small CNN on 14x14 single-channel digits in [-1, 1] (the
 * range a tanh generator produces), trained by `scripts/train-digit-classifier.ts` on the
 * train split of the `mnist` package and shipped as `data/digit-classifier.json`. It counts
 * the modes of stacked-digit generators and gives the feature space of the Frechet distance.
 *
 *   conv 3x3, 1->16, relu, 2x2 average pool        7x7x16
 *   conv 3x3, 16->32, relu, pad to 8, 2x2 avg pool 4x4x32
 *   dense 512->64, relu                            64     <- features
 *   dense 64->10                                   logits
 *
 * Training writes the convolutions as im2col (nine shifted slices, one matMul) and the pooling
 * as reshape + mean. On wasm the course's own Conv2DBackpropFilter would do as well; the
 * im2col form is kept because the cpu backend's filter gradient is far too slow, and the
 * classifier must also train there (its tests run on cpu).
 */
import { courseDataFile } from '../../core/paths';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { rng as makeRng } from '../../core/random';
import { checkNonNegative, checkNonNegativeInt, checkPositiveInt } from '../../core/args';
import { downsampleMean2x } from '../../nn/reshapeLayers';

export const DIGIT_CLASSIFIER_SIZE = 14;
export const DIGIT_FEATURE_DIM = 64;

type ParamName = 'c1w' | 'c1b' | 'c2w' | 'c2b' | 'd1w' | 'd1b' | 'd2w' | 'd2b';

const SHAPES: Record<ParamName, number[]> = {
  c1w: [3, 3, 1, 16],
  c1b: [16],
  c2w: [3, 3, 16, 32],
  c2b: [32],
  d1w: [512, DIGIT_FEATURE_DIM],
  d1b: [DIGIT_FEATURE_DIM],
  d2w: [DIGIT_FEATURE_DIM, 10],
  d2b: [10],
};
const NAMES = Object.keys(SHAPES) as ParamName[];

export interface DigitClassifierFile {
  format: 'digit-classifier-v1';
  inputSize: number;
  inputRange: '-1..1';
  /** Accuracy on the held-out test split, as measured by the training script. */
  testAccuracy: number;
  trainedOn: string;
  params: Record<string, { shape: number[]; base64: string }>;
}

/**
 * 3x3 convolution, stride 1, zero 'same' padding, as im2col: the nine shifted copies of the
 * padded input concatenated along channels (order dy, dx, c_in, the row-major order of a
 * [3, 3, c_in, c_out] filter) times the filter reshaped to [9 c_in, c_out]. Equal to
 * tf.conv2d(x, w, 1, 'same').
 */
export function conv3x3Same(x: tf.Tensor4D, w: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, wd, c] = x.shape;
    if (w.shape.length !== 4 || w.shape[0] !== 3 || w.shape[1] !== 3 || w.shape[2] !== c) {
      throw new Error(`conv3x3Same: filter must be [3, 3, ${c}, c_out], got [${w.shape.join(', ')}]`);
    }
    const p = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const cols: tf.Tensor4D[] = [];
    for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) cols.push(tf.slice(p, [0, dy, dx, 0], [n, h, wd, c]));
    const patches = tf.reshape(tf.concat(cols, 3), [n * h * wd, 9 * c]);
    const cout = w.shape[3] as number;
    return tf.reshape(tf.matMul(patches, tf.reshape(w, [9 * c, cout])), [n, h, wd, cout]) as tf.Tensor4D;
  });
}

export class DigitClassifier {
  readonly vars: Record<ParamName, tf.Variable>;
  /** Test accuracy stored with the weights (NaN for an untrained classifier). */
  testAccuracy = NaN;

  constructor(values: Record<ParamName, Float32Array>) {
    const vars = {} as Record<ParamName, tf.Variable>;
    for (const k of NAMES) {
      const size = SHAPES[k].reduce((a, b) => a * b, 1);
      if (values[k].length !== size) throw new Error(`DigitClassifier: parameter ${k} has ${values[k].length} values, expected ${size}`);
      vars[k] = tf.variable(tf.tensor(values[k], SHAPES[k]), true, undefined, 'float32');
    }
    this.vars = vars;
  }

  /**
   * Penultimate-layer features, [n, 64]; x is [n, 14, 14, 1] in [-1, 1]. `forTraining` uses
   * the im2col convolution, whose gradient every backend has; inference uses tf.conv2d, which
   * is several times faster on wasm. Both compute the same function.
   */
  features(x: tf.Tensor4D, forTraining = false): tf.Tensor2D {
    return tf.tidy(() => {
      const v = this.vars;
      const conv = (a: tf.Tensor4D, w: tf.Tensor) => (forTraining ? conv3x3Same(a, w) : tf.conv2d(a, w as tf.Tensor4D, 1, 'same'));
      let h = downsampleMean2x(tf.relu(tf.add(conv(x, v.c1w), v.c1b))) as tf.Tensor4D; // 7x7x16
      h = tf.relu(tf.add(conv(h, v.c2w), v.c2b)) as tf.Tensor4D; // 7x7x32
      h = downsampleMean2x(tf.pad(h, [[0, 0], [0, 1], [0, 1], [0, 0]])) as tf.Tensor4D; // 4x4x32 (the padded row/column is zero)
      const flat = tf.reshape(h, [x.shape[0], 512]);
      return tf.relu(tf.add(tf.matMul(flat, v.d1w as tf.Tensor2D), v.d1b)) as tf.Tensor2D;
    });
  }

  /** Class logits, [n, 10]. */
  logits(x: tf.Tensor4D, forTraining = false): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(this.features(x, forTraining), this.vars.d2w as tf.Tensor2D), this.vars.d2b) as tf.Tensor2D);
  }

  /**
   * Predicted class of each of `n` images given as NHWC pixels (one channel). Like every
   * method here that returns numbers, it reads asynchronously (`await t.data()`): on webgpu
   * a synchronous read cannot work in Node.
   */
  async predict(pixels: Float32Array, n: number, batch = 500): Promise<Int32Array> {
    checkPixels('DigitClassifier.predict', 'pixels', pixels, n);
    checkPositiveInt('DigitClassifier.predict', 'batch', batch);
    const out = new Int32Array(n);
    for (let s = 0; s < n; s += batch) {
      const m = Math.min(batch, n - s);
      const t = tf.tidy(() => tf.argMax(this.logits(toInput(pixels, s, m)), 1));
      try {
        out.set((await t.data()) as Int32Array, s);
      } finally {
        t.dispose();
      }
    }
    return out;
  }

  /** Features of `n` images, row-major [n, 64]. */
  async featuresOf(pixels: Float32Array, n: number, batch = 500): Promise<Float32Array> {
    checkPixels('DigitClassifier.featuresOf', 'pixels', pixels, n);
    checkPositiveInt('DigitClassifier.featuresOf', 'batch', batch);
    const out = new Float32Array(n * DIGIT_FEATURE_DIM);
    for (let s = 0; s < n; s += batch) {
      const m = Math.min(batch, n - s);
      const t = tf.tidy(() => this.features(toInput(pixels, s, m)));
      try {
        out.set((await t.data()) as Float32Array, s * DIGIT_FEATURE_DIM);
      } finally {
        t.dispose();
      }
    }
    return out;
  }

  /** Share of correctly classified images. */
  async accuracy(pixels: Float32Array, labels: ArrayLike<number>): Promise<number> {
    const n = labels.length;
    const p = await this.predict(pixels, n);
    let ok = 0;
    for (let i = 0; i < n; i++) if (p[i] === labels[i]) ok++;
    return ok / n;
  }

  async toFile(testAccuracy: number, trainedOn: string): Promise<DigitClassifierFile> {
    const params: DigitClassifierFile['params'] = {};
    for (const k of NAMES) {
      const data = (await this.vars[k].data()) as Float32Array;
      params[k] = { shape: SHAPES[k], base64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
    }
    return { format: 'digit-classifier-v1', inputSize: DIGIT_CLASSIFIER_SIZE, inputRange: '-1..1', testAccuracy, trainedOn, params };
  }

  dispose(): void {
    for (const k of NAMES) this.vars[k].dispose();
  }
}

/** `n` one-channel 14x14 images, NHWC. */
function checkPixels(who: string, name: string, pixels: Float32Array, n: number): void {
  const p = DIGIT_CLASSIFIER_SIZE * DIGIT_CLASSIFIER_SIZE;
  checkNonNegativeInt(who, 'n', n);
  if (pixels.length !== n * p) throw new Error(`${who}: ${name} must hold n*14*14 = ${n * p} values (one channel), got ${pixels.length}`);
}

function toInput(pixels: Float32Array, start: number, m: number): tf.Tensor4D {
  const p = DIGIT_CLASSIFIER_SIZE * DIGIT_CLASSIFIER_SIZE;
  return tf.tensor4d(pixels.subarray(start * p, (start + m) * p), [m, DIGIT_CLASSIFIER_SIZE, DIGIT_CLASSIFIER_SIZE, 1]);
}

/** He-initialised weights, zero biases. */
export function initDigitClassifier(seed = 0): DigitClassifier {
  const r = makeRng(seed);
  const values = {} as Record<ParamName, Float32Array>;
  for (const k of NAMES) {
    const shape = SHAPES[k];
    const size = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(size);
    if (k.endsWith('w')) {
      const fanIn = shape.length === 4 ? shape[0] * shape[1] * shape[2] : shape[0];
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < size; i++) a[i] = std * r.normal();
    }
    values[k] = a;
  }
  return new DigitClassifier(values);
}

/** Where the shipped weights live: `data/digit-classifier.json` at the repository root. */
export function defaultDigitClassifierPath(): string {
  return courseDataFile('digit-classifier.json');
}

export function digitClassifierFromFile(file: DigitClassifierFile): DigitClassifier {
  if (file.format !== 'digit-classifier-v1') throw new Error(`loadDigitClassifier: unknown format ${String(file.format)}`);
  const values = {} as Record<ParamName, Float32Array>;
  for (const k of NAMES) {
    const p = file.params[k];
    if (!p) throw new Error(`loadDigitClassifier: parameter ${k} is missing`);
    const buf = Buffer.from(p.base64, 'base64');
    values[k] = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  }
  const c = new DigitClassifier(values);
  c.testAccuracy = file.testAccuracy;
  return c;
}

/** Loads the shipped classifier (or one saved at `file`). */
export function loadDigitClassifier(file = defaultDigitClassifierPath()): DigitClassifier {
  if (!fs.existsSync(file)) {
    throw new Error(`loadDigitClassifier: ${file} not found; train it with \`npx tsx scripts/train-digit-classifier.ts\``);
  }
  return digitClassifierFromFile(JSON.parse(fs.readFileSync(file, 'utf8')) as DigitClassifierFile);
}

export interface TrainDigitClassifierOptions {
  epochs: number;
  batch?: number;
  lr?: number;
  seed?: number;
  /** Random shifts of up to this many pixels (default 1), so generated digits slightly off-centre still classify. */
  shift?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

function shifted(pixels: Float32Array, idx: number[], shift: number, r: () => number): Float32Array {
  const s = DIGIT_CLASSIFIER_SIZE;
  const p = s * s;
  const out = new Float32Array(idx.length * p).fill(-1);
  idx.forEach((j, b) => {
    const dx = shift ? Math.floor(r() * (2 * shift + 1)) - shift : 0;
    const dy = shift ? Math.floor(r() * (2 * shift + 1)) - shift : 0;
    for (let y = 0; y < s; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= s) continue;
      for (let x = 0; x < s; x++) {
        const sx = x - dx;
        if (sx < 0 || sx >= s) continue;
        out[b * p + y * s + x] = pixels[j * p + sy * s + sx];
      }
    }
  });
  return out;
}

/** Trains with Adam on cross-entropy; pixels NHWC one channel in [-1, 1]. Returns the last epoch's mean loss. */
export async function trainDigitClassifier(clf: DigitClassifier, pixels: Float32Array, labels: ArrayLike<number>, opts: TrainDigitClassifierOptions): Promise<number> {
  const { epochs, batch = 64, lr = 2e-3, seed = 0, shift = 1 } = opts;
  const n = labels.length;
  checkPixels('trainDigitClassifier', 'pixels', pixels, n);
  checkNonNegative('trainDigitClassifier', 'opts.lr', lr);
  checkNonNegativeInt('trainDigitClassifier', 'opts.epochs', epochs);
  checkPositiveInt('trainDigitClassifier', 'opts.batch', batch);
  const r = makeRng(seed);
  const optimizer = tf.train.adam(lr);
  let last = NaN;
  for (let e = 0; e < epochs; e++) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let sum = 0;
    let batches = 0;
    for (let s = 0; s + batch <= n; s += batch) {
      const idx = order.slice(s, s + batch);
      const x = tf.tensor4d(shifted(pixels, idx, shift, r.uniform), [batch, DIGIT_CLASSIFIER_SIZE, DIGIT_CLASSIFIER_SIZE, 1]);
      const y = tf.oneHot(tf.tensor1d(idx.map((i) => labels[i]), 'int32'), 10);
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, clf.logits(x, true)) as tf.Scalar, true);
      sum += (await loss!.data())[0];
      batches++;
      tf.dispose([x, y, loss!]);
    }
    last = sum / Math.max(1, batches);
    opts.onEpoch?.(e, last);
  }
  optimizer.dispose();
  return last;
}
