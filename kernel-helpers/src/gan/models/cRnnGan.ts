/**
 * C-RNN-GAN (Mogren 2016, "C-RNN-GAN: Continuous recurrent neural networks with adversarial
 * training", sect. 3): an LSTM generator and a bidirectional LSTM discriminator for
 * continuous sequences (the paper's music: tone length, frequency, intensity, time; 4
 * features per step).
 *
 *   G: the input at step t is [z_t, y_{t-1}] (y_0 = 0): noise AND the generator's own previous
 *      output, so the net is unrolled one step at a time (a stepping LSTM cell, nn/lstmCell),
 *      through `layers` stacked cells, then a per-step dense layer with tanh (data in [-1, 1]).
 *   D: stacked bidirectional LSTMs (nn/bidirectional), a dense logit at every step. The paper's
 *      D decides real/fake at every step; here `apply` returns the MEAN of the per-step logits,
 *      [batch, 1], so D plugs into the course's losses like any other discriminator (averaging
 *      logits judges the whole sequence by its summed per-step log-odds; the official code
 *      averages the per-step cross-entropies instead, which differs only in where the mean is
 *      taken). `stepLogits` gives the per-step logits and `hiddenFeatures` the last layer's
 *      features, the f(x) of feature matching (Salimans et al. 2016, sect. 3.1).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkPositiveInt } from '../../core/args';
import { bidirectional } from '../../nn/bidirectional';
import { dense } from '../../nn/dense';
import { SeedLike, toRng } from '../../nn/init';
import { lstmCell, LstmCell, LstmState } from '../../nn/lstmCell';
import { ApplyOptions, composeNet, Net } from '../../nn/net';

export interface CRnnGanGeneratorConfig {
  /** Output features per step (default 4, the paper's). */
  features?: number;
  /** Noise dimension per step (default: `features`). */
  latentDim?: number;
  /** LSTM state size (default 32; the paper uses 350). */
  hidden?: number;
  /** Stacked LSTM cells (default 2, as in the paper). */
  layers?: number;
  /** Sequence length if fixed (shape checks). */
  length?: number;
  name?: string;
  seed?: SeedLike;
}

export interface CRnnGanDiscriminatorConfig {
  /** Input features per step (default 4). */
  features?: number;
  /** State size of each direction (default 32). */
  hidden?: number;
  /** Stacked bidirectional layers (default 2, as in the paper). */
  layers?: number;
  length?: number;
  /**
   * The LSTMs' fused recurrence (nn/lstm.ts `fused`; default true): the same function, faster
   * on the CPU backends. First order only: a penalty (R1, GP) through D needs fused: false, and
   * says so.
   */
  fused?: boolean;
  name?: string;
  seed?: SeedLike;
}

/** C-RNN-GAN's discriminator: `apply` gives the time-averaged logit [batch, 1]. */
export interface CRnnGanDiscriminator extends Net {
  /** Per-step logits [batch, T, 1]. */
  stepLogits(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor;
  /** The last bidirectional layer's outputs [batch, T, 2 hidden] (features for feature matching). */
  hiddenFeatures(x: tf.Tensor, opts?: ApplyOptions): tf.Tensor;
  clone(name?: string): CRnnGanDiscriminator;
  dispose(): void;
}

const G_OPTIONS = ['features', 'latentDim', 'hidden', 'layers', 'length', 'name', 'seed'] as const;
const D_OPTIONS = ['features', 'hidden', 'layers', 'length', 'fused', 'name', 'seed'] as const;

export function cRnnGanGenerator(cfg: CRnnGanGeneratorConfig = {}): Net {
  const name = cfg.name ?? 'G';
  checkKnownOptions(name, cfg, G_OPTIONS);
  const F = cfg.features ?? 4;
  const Z = cfg.latentDim ?? F;
  const H = cfg.hidden ?? 32;
  const L = cfg.layers ?? 2;
  for (const [k, v] of Object.entries({ features: F, latentDim: Z, hidden: H, layers: L })) checkPositiveInt(name, k, v);
  if (cfg.length !== undefined) checkPositiveInt(name, 'length', cfg.length);
  const r = toRng(cfg.seed);
  const cells = Array.from({ length: L }, (_, i) => lstmCell({ inputSize: i === 0 ? Z + F : H, hidden: H, name: `${name}/lstm${i}`, seed: r.fork() }));
  const head = dense({ inUnits: H, units: F, activation: 'tanh', name: `${name}/out`, seed: r.fork() });
  return composeNet({
    name,
    parts: [...cells, head] as Net[],
    inputShape: [cfg.length ?? -1, Z],
    outputShape: [cfg.length ?? -1, F],
    forward(parts, z, opts) {
      return tf.tidy(() => {
        const cs = parts.slice(0, L) as LstmCell[];
        const out = parts[L];
        const B = z.shape[0];
        let states: LstmState[] = cs.map((c) => c.zeroState(B));
        let y: tf.Tensor = tf.zeros([B, F]);
        const ys: tf.Tensor[] = [];
        for (const zt of tf.unstack(z, 1)) {
          // Output feedback: y_{t-1} is part of the input at step t, so gradients (and samples)
          // flow from every step into all later ones, not only through the LSTM state.
          let h = tf.concat([zt, y], 1);
          states = states.map((s, i) => {
            const next = cs[i].step(h, s);
            h = next.h;
            return next;
          });
          y = out.apply(h, opts);
          ys.push(y);
        }
        return tf.stack(ys, 1);
      });
    },
  });
}

function buildDiscriminator(name: string, parts: Net[], length: number, F: number): CRnnGanDiscriminator {
  const L = parts.length - 1;
  const features = (ps: readonly Net[], x: tf.Tensor, opts: ApplyOptions) =>
    tf.tidy(() => {
      let h = x;
      for (let i = 0; i < L; i++) h = ps[i].apply(h, opts);
      return h;
    });
  const logits = (ps: readonly Net[], x: tf.Tensor, opts: ApplyOptions) =>
    tf.tidy(() => {
      const h = features(ps, x, opts);
      const [B, T, C] = h.shape;
      return tf.reshape(ps[L].apply(tf.reshape(h, [B * T, C]), opts), [B, T, 1]);
    });
  const net = composeNet({
    name,
    parts,
    inputShape: [length, F],
    outputShape: [1],
    forward: (ps, x, opts) => tf.tidy(() => tf.mean(logits(ps, x, opts), 1)),
  });
  const checked = (x: tf.Tensor) => {
    if (x.rank !== 3 || x.shape[2] !== F || (length > 0 && x.shape[1] !== length)) {
      throw new Error(`${name}: input must have shape [batch, ${length > 0 ? length : '*'}, ${F}], got [${x.shape.join(', ')}]`);
    }
    return x;
  };
  return {
    ...net,
    stepLogits: (x, opts = {}) => logits(parts, checked(x), opts),
    hiddenFeatures: (x, opts = {}) => features(parts, checked(x), opts),
    dispose: () => net.dispose!(),
    clone: (newName?: string) => buildDiscriminator(newName ?? name, parts.map((p) => p.clone!()), length, F),
  };
}

export function cRnnGanDiscriminator(cfg: CRnnGanDiscriminatorConfig = {}): CRnnGanDiscriminator {
  const name = cfg.name ?? 'D';
  checkKnownOptions(name, cfg, D_OPTIONS);
  const F = cfg.features ?? 4;
  const H = cfg.hidden ?? 32;
  const L = cfg.layers ?? 2;
  for (const [k, v] of Object.entries({ features: F, hidden: H, layers: L })) checkPositiveInt(name, k, v);
  if (cfg.length !== undefined) checkPositiveInt(name, 'length', cfg.length);
  const r = toRng(cfg.seed);
  const layers = Array.from({ length: L }, (_, i) =>
    bidirectional({ layer: 'lstm', inputSize: i === 0 ? F : 2 * H, hidden: H, timeSteps: cfg.length, fused: cfg.fused ?? true, name: `${name}/bilstm${i}`, seed: r.fork() }),
  );
  const head = dense({ inUnits: 2 * H, units: 1, name: `${name}/logit`, seed: r.fork() });
  return buildDiscriminator(name, [...layers, head], cfg.length ?? -1, F);
}
