/**
 * Lipschitz constants of a network. For f = W_L o a o ... o a o W_1 with 1-Lipschitz
 * activations a (ReLU, leaky ReLU, tanh), Lip(f) <= prod_l ||W_l||_2: an upper bound that
 * is usually loose, compared here with the largest input-gradient norm actually observed.
 *
 * ||W_l||_2 is the operator norm of the layer's LINEAR MAP. For a dense layer that is the
 * kernel matrix's largest singular value. For a convolution it is not the norm of the kernel
 * reshaped to a [kh*kw*in, out] matrix (what spectral normalisation divides by): a 3x3 conv
 * applies each of its nine taps to every pixel, and its operator norm, which depends on the
 * input size, stride and padding, can be up to ~3x that figure. Using the reshaped figure
 * gives a "bound" below the true constant; here each convolution's norm is computed on its
 * actual input size, by power iteration through the convolution and its transpose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { powerIterationFlat, randomUnitVector } from './matrix';
import { kernelMatrixShape } from './spectralNorm';
import { rng } from '../core/random';
import { argumentError, checkPositiveInt, checkPositive } from '../core/args';

/** Spectral norm of a kernel tensor seen as a matrix, by power iteration run to convergence (reads the kernel once, asynchronously). */
export async function kernelSpectralNorm(w: tf.Tensor, opts: { iterations?: number; seed?: number } = {}): Promise<number> {
  if (w.rank < 2) throw new Error(`kernelSpectralNorm: w must have rank >= 2 (a kernel), got shape [${w.shape.join(', ')}]`);
  const [rows, cols] = kernelMatrixShape(w.shape);
  const u = randomUnitVector(rows, rng(opts.seed ?? 1));
  return powerIterationFlat(await w.data(), rows, cols, u, opts.iterations ?? 200).sigma;
}

/** Power iteration settings for linear maps given as tensor functions (convolutions). */
export interface OperatorNormOptions {
  /** At most this many steps (default 500). */
  iterations?: number;
  /** Stop once the estimate of sigma^2 changes by less than this, relatively (default 1e-7). */
  tolerance?: number;
  seed?: number;
}

/**
 * Largest singular value of the linear map `apply` on inputs of shape `inputShape`, by
 * power iteration on A^T A, where A^T A v is the gradient of ||A v||^2 / 2 (so A^T is never
 * written down). The estimate ||A v|| rises towards the true norm from below. Each step reads
 * two numbers (the estimate and the step's norm) asynchronously.
 */
async function linearOperatorNorm(apply: (x: tf.Tensor) => tf.Tensor, inputShape: number[], opts: OperatorNormOptions, who: string): Promise<number> {
  const iterations = opts.iterations ?? 500;
  const tolerance = opts.tolerance ?? 1e-7;
  checkPositiveInt(who, 'opts.iterations', iterations);
  checkPositive(who, 'opts.tolerance', tolerance);
  const start = randomUnitVector(tf.util.sizeFromShape(inputShape), rng(opts.seed ?? 1));
  let v = tf.tensor(Float32Array.from(start), inputShape);
  const gram = tf.grad((x: tf.Tensor) => tf.mul(tf.scalar(0.5), tf.sum(tf.square(apply(x)))));
  let previous = 0;
  try {
    for (let it = 0; it < iterations; it++) {
      const [next, stats] = tf.tidy(() => {
        const g = gram(v);
        const norm = tf.norm(g);
        // v has unit norm, so <v, A^T A v> = ||A v||^2.
        return [tf.div(g, tf.maximum(norm, tf.scalar(1e-30))), tf.stack([tf.sum(tf.mul(v, g)), norm])];
      });
      const [rayleigh, norm] = await stats.data();
      stats.dispose();
      v.dispose();
      v = next;
      if (norm === 0) return 0;
      if (it > 0 && Math.abs(rayleigh - previous) <= tolerance * rayleigh) return Math.sqrt(rayleigh);
      previous = rayleigh;
    }
    return Math.sqrt(previous);
  } finally {
    v.dispose();
  }
}

/** Where and how a convolution is applied. */
export interface ConvGeometry {
  /** Height and width of the input the convolution is applied to. */
  inputSize: readonly [number, number];
  /** Default 1. */
  strides?: number | readonly [number, number];
  /** Default 'same'; a number pads every side by that many pixels. */
  padding?: 'same' | 'valid' | number;
}

/**
 * Operator norm (largest singular value) of the convolution `kernel` [kh, kw, in, out] as a
 * linear map on [inputSize[0], inputSize[1], in] inputs with the given strides and padding,
 * i.e. max ||conv(x)|| / ||x||: the Lipschitz constant of the layer without its bias. A
 * transposed convolution with the same kernel (the adjoint map) has the same norm.
 */
export async function convOperatorNorm(kernel: tf.Tensor, geometry: ConvGeometry, opts: OperatorNormOptions = {}): Promise<number> {
  const who = 'convOperatorNorm';
  if (!(kernel instanceof tf.Tensor) || kernel.rank !== 4) throw argumentError(who, 'kernel', 'a rank-4 tensor [kh, kw, in, out]', kernel instanceof tf.Tensor ? kernel.shape : kernel);
  const size = geometry?.inputSize;
  if (!Array.isArray(size) || size.length !== 2) throw argumentError(who, 'geometry.inputSize', '[height, width]', size);
  size.forEach((d, i) => checkPositiveInt(who, `geometry.inputSize[${i}]`, d));
  const strides = (geometry.strides ?? 1) as number | [number, number];
  const padding = geometry.padding ?? 'same';
  if (padding !== 'same' && padding !== 'valid' && !(Number.isInteger(padding) && padding >= 0)) {
    throw argumentError(who, 'geometry.padding', "'same', 'valid' or an integer >= 0", padding);
  }
  const k = kernel as tf.Tensor4D;
  return linearOperatorNorm((x) => tf.conv2d(x as tf.Tensor4D, k, strides, padding), [1, size[0], size[1], k.shape[2]], opts, who);
}

/** The linear map a kernel variable takes part in, as found by tracing a forward pass. */
interface TracedUse {
  kernelName: string;
  filterShape: number[];
  /** The map's input shape (batch 1), and the map itself with the filter given. */
  inputShape: number[];
  map: (w: tf.Tensor) => (x: tf.Tensor) => tf.Tensor;
}

const CONV_KERNELS = new Set<string>([tf.Conv2D, tf.FusedConv2D, tf.Conv2DBackpropInput, tf.DepthwiseConv2dNative]);

function dilated(attrs: Record<string, unknown>): boolean {
  const d = attrs.dilations as number | number[] | undefined;
  return d != null && (Array.isArray(d) ? d.some((x) => x !== 1) : d !== 1);
}

function tracedUse(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>, who: string): TracedUse {
  const filter = inputs.filter;
  if (dilated(attrs)) throw new Error(`${who}: a dilated convolution (dilations ${JSON.stringify(attrs.dilations)}) is not supported (tfjs has no gradient for it)`);
  const a = attrs as unknown as tf.Conv2DAttrs;
  const pad = a.pad as 'same';
  if (kernelName === tf.Conv2DBackpropInput) {
    // A transposed convolution is the adjoint of the convolution from its output shape back to its input: same norm.
    const shape = (attrs as unknown as tf.Conv2DBackpropInputAttrs).inputShape;
    return {
      kernelName, filterShape: filter.shape, inputShape: [1, ...shape.slice(1)],
      map: (w) => (x) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, a.strides, pad, a.dataFormat === 'NCHW' ? 'NCHW' : 'NHWC', 1, a.dimRoundingMode),
    };
  }
  const x = inputs.x;
  const inputShape = [1, ...x.shape.slice(1)];
  if (kernelName === tf.DepthwiseConv2dNative) {
    return { kernelName, filterShape: filter.shape, inputShape, map: (w) => (t) => tf.depthwiseConv2d(t as tf.Tensor4D, w as tf.Tensor4D, a.strides, pad, 'NHWC', 1, a.dimRoundingMode) };
  }
  return {
    kernelName, filterShape: filter.shape, inputShape,
    map: (w) => (t) => tf.conv2d(t as tf.Tensor4D, w as tf.Tensor4D, a.strides, pad, a.dataFormat === 'NCHW' ? 'NCHW' : 'NHWC', 1, a.dimRoundingMode),
  };
}

type KernelParams = { kernelName?: string; inputs: Record<string, tf.Tensor>; attrs?: Record<string, unknown> };
type EngineInternals = { runKernelFunc(p: KernelParams): tf.Tensor | tf.Tensor[] };

/**
 * Runs `net.apply` once on a zero example of `inputShape` and records, for each of `kernels`,
 * the convolutions whose filter was computed from it (directly, or through a weight
 * transform such as spectral normalisation). Every op of tfjs-core runs through the engine's
 * `runKernelFunc`; wrapping it for the duration of the pass follows each tensor's origin.
 */
function traceConvolutions(net: { apply(x: tf.Tensor): tf.Tensor }, inputShape: readonly number[], kernels: readonly tf.Tensor[], who: string): TracedUse[][] {
  const engine = tf.engine() as unknown as EngineInternals;
  const original = engine.runKernelFunc;
  const origin = new Map<number, Set<number>>(kernels.map((k, i) => [k.id, new Set([i])]));
  const uses: TracedUse[][] = kernels.map(() => []);
  let failure: Error | null = null;
  engine.runKernelFunc = function (this: unknown, params: KernelParams) {
    const from = new Set<number>();
    for (const t of Object.values(params.inputs ?? {})) {
      if (t instanceof tf.Tensor) origin.get(t.id)?.forEach((i) => from.add(i));
    }
    const out = original.call(this, params);
    if (from.size > 0) {
      for (const t of Array.isArray(out) ? out : [out]) origin.set(t.id, new Set(from));
      const filter = params.inputs?.filter;
      if (params.kernelName && CONV_KERNELS.has(params.kernelName) && filter instanceof tf.Tensor) {
        try {
          const use = tracedUse(params.kernelName, params.inputs, params.attrs ?? {}, who);
          origin.get(filter.id)?.forEach((i) => uses[i].push(use));
        } catch (e) {
          failure ??= e as Error;
        }
      }
    }
    return out;
  } as EngineInternals['runKernelFunc'];
  try {
    tf.tidy(() => {
      net.apply(tf.zeros([1, ...inputShape]));
    });
  } finally {
    engine.runKernelFunc = original;
  }
  if (failure) throw failure;
  return uses;
}

export interface LipschitzBoundOptions {
  /** Lipschitz constant of the activation between layers (default 1: ReLU, leaky ReLU, tanh). */
  activationLipschitz?: number;
  /**
   * With spectral normalisation: the normaliser's `sigmaOf`, so each kernel counts as
   * W / sigma_estimate, which is what the forward pass uses (it may return a promise, as
   * `sigmaOf` does).
   */
  divisor?: (w: tf.Tensor) => number | undefined | Promise<number | undefined>;
  /**
   * Per-example input shape of the net, e.g. [28, 28, 1]. Needed when the net has
   * convolution kernels (variables of rank 4), whose norms depend on the size of the input
   * they see; defaults to `net.inputShape` when that is fully known.
   */
  inputShape?: readonly number[];
  /** Power iteration for the convolutions. */
  convolution?: OperatorNormOptions;
}

export interface LipschitzBound {
  /** prod_l ||W_l|| * activationLipschitz^(L-1). */
  bound: number;
  /** Each layer's effective operator norm (after its normalisation, if any), in variable order. */
  layerNorms: number[];
}

/**
 * Upper bound on the Lipschitz constant of an MLP or conv net from its kernels (every
 * variable of rank >= 2, in order): the product of their operator norms times the
 * activation's constant per hidden layer.
 *
 * Rank-2 kernels are matrices (x W). For rank-4 kernels (conv2d, conv2dTranspose,
 * depthwise) the net is run once on a zero example of `opts.inputShape` (one forward pass,
 * so a spectral normaliser does one more power-iteration step) to find each convolution's
 * input size, strides and padding; a kernel must enter exactly one convolution with its own
 * shape (grouped and shared kernels are refused, with an error that says so).
 * Asynchronous: the kernels are read with `await t.data()`.
 */
export async function networkLipschitzBound(
  net: { variables: readonly tf.Tensor[]; apply?(x: tf.Tensor): tf.Tensor; inputShape?: readonly number[] },
  opts: LipschitzBoundOptions = {},
): Promise<LipschitzBound> {
  const who = 'networkLipschitzBound';
  const a = opts.activationLipschitz ?? 1;
  if (!(a >= 0)) throw new Error(`networkLipschitzBound: activationLipschitz must be >= 0, got ${a}`);
  const kernels = net.variables.filter((v) => v.rank >= 2);
  if (kernels.length === 0) throw new Error('networkLipschitzBound: net has no kernels (variables of rank >= 2)');
  const convs = kernels.filter((v) => v.rank > 2);
  let uses: TracedUse[][] = [];
  if (convs.length > 0) {
    const shape = opts.inputShape ?? net.inputShape;
    if (!shape || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw argumentError(who, 'opts.inputShape', "the per-example input shape, e.g. [28, 28, 1] (a convolution's norm depends on the size of its input)", shape ?? null);
    }
    if (typeof net.apply !== 'function') throw new Error(`${who}: a net with convolution kernels must have an apply method (it is traced once to find each convolution's geometry)`);
    uses = traceConvolutions(net as { apply(x: tf.Tensor): tf.Tensor }, shape, convs, who);
  }
  const layerNorms: number[] = [];
  for (const w of kernels) {
    let norm: number;
    if (w.rank === 2) {
      norm = await kernelSpectralNorm(w);
    } else {
      const u = uses[convs.indexOf(w)];
      const label = `kernel [${w.shape.join(', ')}] (variable ${(w as tf.Variable).name ?? w.id})`;
      if (u.length === 0) throw new Error(`${who}: ${label} is not the filter of any convolution in a forward pass on [${opts.inputShape ?? net.inputShape}]`);
      if (u.length > 1 || !tf.util.arraysEqual(u[0].filterShape, w.shape)) {
        throw new Error(`${who}: ${label} enters ${u.length} convolution(s) with filter shape(s) ${u.map((x) => `[${x.filterShape}]`).join(', ')}; ` +
          'only kernels used once, with their own shape, are supported (not grouped or shared ones)');
      }
      norm = await linearOperatorNorm(u[0].map(w), u[0].inputShape, opts.convolution ?? {}, who);
    }
    layerNorms.push(norm / ((await opts.divisor?.(w)) ?? 1));
  }
  const bound = layerNorms.reduce((p, q) => p * q, 1) * Math.pow(a, kernels.length - 1);
  return { bound, layerNorms };
}

/**
 * ||grad_x f(x)|| at each point: the local slope of a critic. Its maximum over the data is
 * a lower bound on Lip(f); WGAN-GP pushes these norms toward 1 on interpolates.
 * Asynchronous: the norms are read with `await t.data()`.
 */
export async function inputGradientNorms(f: (x: tf.Tensor2D) => tf.Tensor, points: readonly (readonly number[])[]): Promise<number[]> {
  if (points.length === 0) throw new Error('inputGradientNorms: points must not be empty');
  const dim = points[0].length;
  const norms = tf.tidy(() => {
    const x = tf.tensor2d(points.map((p) => [...p]), [points.length, dim]);
    const g = tf.grad((xi: tf.Tensor) => tf.sum(f(xi as tf.Tensor2D)))(x);
    return tf.sqrt(tf.sum(tf.square(g), 1));
  });
  const out = Array.from(await norms.data());
  norms.dispose();
  return out;
}
