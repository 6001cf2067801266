/**
 * RCGAN (Esteban, Hyland & Raetsch 2017, "Real-valued (medical) time series generation with
 * recurrent conditional GANs", sect. 2): an LSTM generator and an LSTM discriminator, both
 * fed the condition at EVERY step:
 *   G: [z_t, c] -> LSTM -> per-step dense -> x_t       (tanh by default: data in [-1, 1])
 *   D: [x_t, c] -> LSTM -> per-step dense -> a logit per step, [batch, T, 1]
 * and trained with the cross-entropy of every step's decision averaged over steps (eqs. 1-2).
 * Without a condition it is the paper's unconditional RGAN (the sines of sect. 4.1).
 *
 * The condition is a class label, one-hot (`classes`, labels through `opts.labels`, as
 * every conditional net of the course takes them; e.g. 14x14 digits as 14 steps of 14
 * features, 10 classes), or a real vector (`conditionDim`, through `opts.condition` as
 * [batch, conditionDim]).
 *
 * Two separate design choices, often described together: RCGAN's generator does NOT feed
 * its outputs back (its input at step t is [z_t, c] only; C-RNN-GAN's is [z_t, y_{t-1}]),
 * and its discriminator reads the sequence in ONE direction (C-RNN-GAN's is bidirectional).
 * Either could be changed without the other.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkPositiveInt } from '../../core/args';
import type { Activation } from '../../nn/activations';
import { dense } from '../../nn/dense';
import { SeedLike, toRng } from '../../nn/init';
import { labelsFromOptions, oneHotLabels } from '../../nn/labels';
import { lstm } from '../../nn/lstm';
import { ApplyOptions, composeNet, Net } from '../../nn/net';

/** What an RCGAN net is conditioned on. */
export type RcganCondition = { kind: 'none' } | { kind: 'classes'; classes: number } | { kind: 'vector'; dim: number };

export interface RcganNetConfig {
  /** Features per step of the data (default 1). */
  features?: number;
  /** LSTM state size (default 64). */
  hidden?: number;
  /** Stacked LSTMs (default 1, as in the paper). */
  layers?: number;
  /** Sequence length if fixed (shape checks). */
  length?: number;
  /** Condition on a class label, one-hot (labels via opts.labels). */
  classes?: number;
  /** Condition on a real vector [batch, conditionDim] (via opts.condition). */
  conditionDim?: number;
  /**
   * The LSTMs' fused recurrence (nn/lstm.ts `fused`; default true): the same function, faster
   * on the CPU backends (an RCGAN step at 64 units, batch 32: 63 ms against 78 ms). First order
   * only: a penalty (R1, GP) through D needs fused: false, and says so.
   */
  fused?: boolean;
  name?: string;
  seed?: SeedLike;
}

export interface RcganGeneratorConfig extends RcganNetConfig {
  /** Noise per step (default 5). */
  latentDim?: number;
  /** Default 'tanh'. */
  outputActivation?: Activation;
}

/** An RCGAN generator or discriminator: a Net that says what it is conditioned on. */
export interface RcganNet extends Net {
  readonly condition: RcganCondition;
  clone(name?: string): RcganNet;
  dispose(): void;
}

const NET_OPTIONS = ['features', 'hidden', 'layers', 'length', 'classes', 'conditionDim', 'fused', 'name', 'seed'] as const;

function conditionOf(who: string, cfg: RcganNetConfig): RcganCondition {
  if (cfg.classes !== undefined && cfg.conditionDim !== undefined) throw new Error(`${who}: give at most one of classes (one-hot labels) and conditionDim (a condition vector)`);
  if (cfg.classes !== undefined) {
    checkPositiveInt(who, 'classes', cfg.classes);
    return { kind: 'classes', classes: cfg.classes };
  }
  if (cfg.conditionDim !== undefined) {
    checkPositiveInt(who, 'conditionDim', cfg.conditionDim);
    return { kind: 'vector', dim: cfg.conditionDim };
  }
  return { kind: 'none' };
}

/** Size of the condition vector appended to every step. */
export function rcganConditionSize(c: RcganCondition): number {
  return c.kind === 'classes' ? c.classes : c.kind === 'vector' ? c.dim : 0;
}

/** The condition of a batch as [batch, k] floats (null when unconditional); throws naming opts.labels / opts.condition. */
function conditionCode(who: string, c: RcganCondition, opts: ApplyOptions, batch: number): tf.Tensor | null {
  if (c.kind === 'none') return null;
  if (c.kind === 'classes') return oneHotLabels(labelsFromOptions(who, opts, batch), c.classes);
  const v = opts.condition;
  if (!v || v.rank !== 2 || v.shape[0] !== batch || v.shape[1] !== c.dim) {
    throw new Error(`${who}: opts.condition must be a [${batch}, ${c.dim}] condition vector per example, got ${v ? `[${v.shape.join(', ')}]` : 'none'}`);
  }
  return v;
}

/** [batch, T, C] and [batch, k] -> [batch, T, C + k]: the condition at every step. */
function appendEveryStep(x: tf.Tensor, code: tf.Tensor | null): tf.Tensor {
  if (!code) return x;
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const k = code.shape[1]!;
    return tf.concat([x, tf.mul(tf.reshape(code, [B, 1, k]), tf.ones([1, T, 1]))], 2);
  });
}

function buildNet(name: string, parts: Net[], condition: RcganCondition, inputShape: number[], outputShape: number[], outFeatures: number): RcganNet {
  const net = composeNet({
    name,
    parts,
    inputShape,
    outputShape,
    forward(ps, x, opts) {
      return tf.tidy(() => {
        let h = appendEveryStep(x, conditionCode(name, condition, opts, x.shape[0]));
        for (let i = 0; i + 1 < ps.length; i++) h = ps[i].apply(h, opts);
        const [B, T, H] = h.shape;
        return tf.reshape(ps[ps.length - 1].apply(tf.reshape(h, [B * T, H]), opts), [B, T, outFeatures]);
      });
    },
  });
  return { ...net, condition, dispose: () => net.dispose!(), clone: (n?: string) => buildNet(n ?? name, parts.map((p) => p.clone!()), condition, inputShape, outputShape, outFeatures) };
}

function lstmStack(name: string, inputSize: number, hidden: number, layers: number, length: number | undefined, fused: boolean, r: ReturnType<typeof toRng>): Net[] {
  return Array.from({ length: layers }, (_, i) => lstm({ inputSize: i === 0 ? inputSize : hidden, hidden, timeSteps: length, fused, name: `${name}/lstm${i}`, seed: r.fork() }));
}

function common(who: string, cfg: RcganNetConfig) {
  const features = cfg.features ?? 1;
  const hidden = cfg.hidden ?? 64;
  const layers = cfg.layers ?? 1;
  for (const [k, v] of Object.entries({ features, hidden, layers })) checkPositiveInt(who, k, v);
  if (cfg.length !== undefined) checkPositiveInt(who, 'length', cfg.length);
  return { features, hidden, layers, condition: conditionOf(who, cfg), T: cfg.length ?? -1 };
}

/** [batch, T, latentDim] noise (+ condition) -> [batch, T, features]. */
export function rcganGenerator(cfg: RcganGeneratorConfig = {}): RcganNet {
  const name = cfg.name ?? 'G';
  checkKnownOptions(name, cfg, [...NET_OPTIONS, 'latentDim', 'outputActivation']);
  const { features, hidden, layers, condition, T } = common(name, cfg);
  const latentDim = cfg.latentDim ?? 5;
  checkPositiveInt(name, 'latentDim', latentDim);
  const r = toRng(cfg.seed);
  const parts = [
    ...lstmStack(name, latentDim + rcganConditionSize(condition), hidden, layers, cfg.length, cfg.fused ?? true, r),
    dense({ inUnits: hidden, units: features, activation: cfg.outputActivation ?? 'tanh', name: `${name}/out`, seed: r.fork() }),
  ];
  return buildNet(name, parts, condition, [T, latentDim], [T, features], features);
}

/** [batch, T, features] (+ condition) -> per-step logits [batch, T, 1]. */
export function rcganDiscriminator(cfg: RcganNetConfig = {}): RcganNet {
  const name = cfg.name ?? 'D';
  checkKnownOptions(name, cfg, NET_OPTIONS);
  const { features, hidden, layers, condition, T } = common(name, cfg);
  const r = toRng(cfg.seed);
  const parts = [...lstmStack(name, features + rcganConditionSize(condition), hidden, layers, cfg.length, cfg.fused ?? true, r), dense({ inUnits: hidden, units: 1, name: `${name}/logit`, seed: r.fork() })];
  return buildNet(name, parts, condition, [T, features], [T, 1], 1);
}
