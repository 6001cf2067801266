/**
 * The smallest useful notion of a network: something that maps a batch to a batch and owns
 * trainable variables. Everything in the GAN area (layers, reference models, EMA copies) is a
 * `Net`, built from two constructors: `leafNet` (owns variables) and `composeNet` (owns parts).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface ApplyOptions {
  /** Training vs sampling. The reference models have no layer that behaves differently. */
  training?: boolean;
}

/** Identifies a weight-bearing layer to a weight transform (e.g. spectral normalisation). */
export interface LayerInfo {
  /** Unique within its network, e.g. `"D/conv1"`. */
  name: string;
  /** Position of the layer among the network's weight-bearing layers, from 0. */
  index: number;
}

/**
 * Applied to a dense or conv kernel at EVERY forward pass, inside the gradient tape, so
 * the gradient flows through it (spectral normalisation divides by the top singular value).
 * Kernel layouts: dense [in, out]; conv2d [kh, kw, in/groups, out]; conv2dTranspose
 * [kh, kw, out, in]; GRU input [in, 3*hidden] and recurrent [hidden, 3*hidden].
 */
export type WeightTransform = (w: tf.Tensor, layer: LayerInfo) => tf.Tensor;

export interface Net {
  readonly name: string;
  /** Trainable variables, in a fixed order (the order EMA and clones rely on). */
  readonly variables: tf.Variable[];
  /** Maps [batch, ...inputShape] to [batch, ...outputShape]. Does not dispose `x`. */
  apply(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor;
  /** Per-example input shape (no batch axis), when the net knows it. */
  readonly inputShape?: readonly number[];
  /** Per-example output shape (no batch axis), when the net knows it. */
  readonly outputShape?: readonly number[];
  /** A structurally identical net with its own variables holding the same values. */
  clone?(name?: string): Net;
  /** Frees the variables. The net must not be used afterwards. */
  dispose?(): void;
}

function shapeText(s: readonly (number | string)[]): string {
  return `[${s.join(', ')}]`;
}

/** Throws a clear error if `x` is not [batch, ...expected] (`-1` in `expected` matches any size). */
export function checkInputShape(netName: string, x: tf.Tensor, expected: readonly number[] | undefined): void {
  if (!expected) return;
  const got = x.shape.slice(1);
  const ok = x.rank === expected.length + 1 && expected.every((d, i) => d < 0 || d === got[i]);
  if (!ok) {
    const want = shapeText(['batch', ...expected.map((d) => (d < 0 ? '*' : d))]);
    throw new Error(`${netName}: input must have shape ${want}, got ${shapeText(x.shape)}`);
  }
}

export interface LeafSpec {
  name: string;
  variables: tf.Variable[];
  inputShape?: readonly number[];
  outputShape?: readonly number[];
  /** The forward pass, given the net's variables (or a clone's). */
  forward(vars: readonly tf.Variable[], x: tf.Tensor, opts: ApplyOptions): tf.Tensor;
}

/** A net that owns variables directly (a layer). Its clone copies the variables' values. */
export function leafNet(spec: LeafSpec): Net {
  const { name, variables, inputShape, outputShape, forward } = spec;
  const net: Net = {
    name,
    variables,
    inputShape,
    outputShape,
    apply(x, opts = {}) {
      checkInputShape(name, x, inputShape);
      return forward(variables, x, opts);
    },
    clone(newName?: string) {
      return leafNet({ ...spec, name: newName ?? name, variables: variables.map((v) => tf.variable(v)) });
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
  return net;
}

export interface ComposeSpec<P extends readonly Net[]> {
  name: string;
  parts: P;
  inputShape?: readonly number[];
  outputShape?: readonly number[];
  /** The forward pass in terms of the parts (the clone's parts when called on a clone). */
  forward(parts: P, x: tf.Tensor, opts: ApplyOptions): tf.Tensor;
}

/** A net made of other nets. Its variables are the parts' variables, in order. */
export function composeNet<P extends readonly Net[]>(spec: ComposeSpec<P>): Net {
  const { name, parts, inputShape, outputShape, forward } = spec;
  const variables = parts.flatMap((p) => p.variables);
  return {
    name,
    variables,
    inputShape,
    outputShape,
    apply(x, opts = {}) {
      checkInputShape(name, x, inputShape);
      return forward(parts, x, opts);
    },
    clone(newName?: string) {
      const copies = parts.map((p) => {
        if (!p.clone) throw new Error(`${name}: part ${p.name} cannot be cloned (it has no clone method)`);
        return p.clone();
      }) as unknown as P;
      return composeNet({ ...spec, name: newName ?? name, parts: copies });
    },
    dispose() {
      for (const p of parts) {
        if (p.dispose) p.dispose();
        else for (const v of p.variables) v.dispose();
      }
    },
  };
}

/** Applies the parts one after another. */
export function sequential(name: string, parts: readonly Net[], shapes: { inputShape?: readonly number[]; outputShape?: readonly number[] } = {}): Net {
  if (parts.length === 0) throw new Error(`sequential ${name}: parts must not be empty`);
  return composeNet({
    name,
    parts,
    inputShape: shapes.inputShape ?? parts[0].inputShape,
    outputShape: shapes.outputShape ?? parts[parts.length - 1].outputShape,
    forward(ps, x, opts) {
      return tf.tidy(() => {
        let h = x;
        for (const p of ps) h = p.apply(h, opts);
        return h;
      });
    },
  });
}

/** A variable-free net from a function (reshape, resampling, activations). */
export function lambdaNet(name: string, fn: (x: tf.Tensor) => tf.Tensor, shapes: { inputShape?: readonly number[]; outputShape?: readonly number[] } = {}): Net {
  return leafNet({ name, variables: [], ...shapes, forward: (_v, x) => fn(x) });
}

/** Total number of scalar parameters. */
export function parameterCount(net: Net): number {
  return net.variables.reduce((s, v) => s + v.size, 0);
}
