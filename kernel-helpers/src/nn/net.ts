/**
 * The smallest useful notion of a network: something that maps a batch to a batch and owns
 * trainable variables (and, for batch norm, non-trainable state). Everything in the GAN area
 * (layers, reference models, EMA copies) is a `Net`, built from two constructors: `leafNet`
 * (owns variables) and `composeNet` (owns parts).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface ApplyOptions {
  /**
   * Training vs sampling (default false). Only normalisation layers with running statistics
   * (batchNorm) behave differently: with `true` they normalise by the batch's own statistics
   * and fold them into the running ones, with `false` they use the running ones.
   */
  training?: boolean;
  /**
   * With `training: true`, whether layers with running statistics fold this batch into them
   * (default true). Each such `apply` is one update, whether or not it runs inside a gradient
   * tape; pass false for extra passes over a batch already counted (a finite-difference
   * probe, a trace for `summary`).
   */
  updateStats?: boolean;
  /**
   * Class labels for conditional nets, [batch] integers in [0, numClasses) (int32, or
   * integer-valued float32). `sequential` and `composeNet` pass the options down unchanged,
   * so a conditional layer anywhere in a tree receives them; nets without conditioning ignore
   * them and conditional ones throw when they are missing.
   */
  labels?: tf.Tensor;
  /**
   * A spatial condition for spatially conditioned nets (SPADE, nn/spade.ts): an NHWC one-hot
   * semantic map [batch, H, W, K], one channel per class. Each layer that reads it resizes it
   * to its own input's height and width, so one full-resolution map serves every layer of a
   * generator; that is why it travels with the options (which `sequential` and `composeNet`
   * pass down unchanged) rather than as an input. Nets without spatial conditioning ignore
   * it and spatially conditioned ones throw when it is missing.
   */
  condition?: tf.Tensor;
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
 * [kh, kw, out, in]; GRU input [in, 3*hidden] and recurrent [hidden, 3*hidden]; embedding
 * table [classes, dim].
 */
export type WeightTransform = (w: tf.Tensor, layer: LayerInfo) => tf.Tensor;

export interface Net {
  readonly name: string;
  /** Trainable variables, in a fixed order (the order EMA and clones rely on). */
  readonly variables: tf.Variable[];
  /**
   * Non-trainable state (batch norm's running statistics), in a fixed order like
   * `variables`; absent or empty for stateless nets. Never among `variables`, so optimizers
   * and gradients never see it; only `apply` with `training: true` changes it. `clone`
   * copies it, an EMA copy takes the training net's values (not an average), `dispose` frees it.
   */
  readonly state?: tf.Variable[];
  /** The nets this one is made of (composeNet), in order; absent for a leaf. */
  readonly parts?: readonly Net[];
  /** Maps [batch, ...inputShape] to [batch, ...outputShape]. Does not dispose `x`. */
  apply(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor;
  /** Per-example input shape (no batch axis), when the net knows it. */
  readonly inputShape?: readonly number[];
  /** Per-example output shape (no batch axis), when the net knows it. */
  readonly outputShape?: readonly number[];
  /** A structurally identical net with its own variables (and state) holding the same values. */
  clone?(name?: string): Net;
  /** Frees the variables and the state. The net must not be used afterwards. */
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
  /** Non-trainable variables (created with `trainable: false`), see `Net.state`. */
  state?: tf.Variable[];
  inputShape?: readonly number[];
  outputShape?: readonly number[];
  /** The forward pass, given the net's variables and state (or a clone's). */
  forward(vars: readonly tf.Variable[], x: tf.Tensor, opts: ApplyOptions, state: readonly tf.Variable[]): tf.Tensor;
}

/** A net that owns variables directly (a layer). Its clone copies the variables' and the state's values. */
export function leafNet(spec: LeafSpec): Net {
  const { name, variables, inputShape, outputShape, forward } = spec;
  const state = spec.state ?? [];
  const net: Net = {
    name,
    variables,
    state,
    inputShape,
    outputShape,
    apply(x, opts = {}) {
      checkInputShape(name, x, inputShape);
      return forward(variables, x, opts, state);
    },
    clone(newName?: string) {
      return leafNet({
        ...spec,
        name: newName ?? name,
        variables: variables.map((v) => tf.variable(v)),
        state: state.map((s) => tf.variable(s, false)),
      });
    },
    dispose() {
      for (const v of variables) v.dispose();
      for (const s of state) s.dispose();
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

/** A net made of other nets. Its variables (and state) are the parts' variables (and state), in order. */
export function composeNet<P extends readonly Net[]>(spec: ComposeSpec<P>): Net {
  const { name, parts, inputShape, outputShape, forward } = spec;
  const variables = parts.flatMap((p) => p.variables);
  const state = parts.flatMap((p) => p.state ?? []);
  return {
    name,
    variables,
    state,
    parts,
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
        else for (const v of [...p.variables, ...(p.state ?? [])]) v.dispose();
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

/** Total number of scalar trainable parameters (the state is not counted; see `summary`). */
export function parameterCount(net: Net): number {
  return net.variables.reduce((s, v) => s + v.size, 0);
}

/**
 * Copies `from`'s state into `to`'s (same architecture): the values of batch norm's running
 * statistics, for an EMA copy or a checkpoint. `who` names the caller in errors.
 */
export function copyState(who: string, from: Net, to: Net): void {
  const a = from.state ?? [];
  const b = to.state ?? [];
  if (a.length !== b.length) {
    throw new Error(`${who}: ${to.name} has ${b.length} state variables and ${from.name} has ${a.length}; they must have the same architecture`);
  }
  a.forEach((s, i) => {
    if (s.shape.join(',') !== b[i].shape.join(',')) {
      throw new Error(`${who}: state variable ${i} of ${to.name} has shape [${b[i].shape}], of ${from.name} [${s.shape}]`);
    }
    b[i].assign(s);
  });
}
