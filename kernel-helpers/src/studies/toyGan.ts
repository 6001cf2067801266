/**
 * A GAN on a 2D toy task, set up the same way for every loss and every Lipschitz
 * constraint so that runs differ only in what is being compared. G and D are MLPs
 * (leaky ReLU 0.2); the constraint is one of
 *   none   the bare loss;
 *   gp     WGAN-GP gradient penalty, lambda (default 10) on x_hat = eps x + (1 - eps) G(z);
 *   sn     spectral normalisation of every D kernel (power iteration, 1 step per forward);
 *   r1     zero-centred R1 penalty gamma/2 E ||grad D(x)||^2 on real data;
 *   clip   WGAN weight clipping of every D parameter to [-c, c] after each D update.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Point2 } from '../data/toy2d';
import { GanLossName } from '../gan/losses';
import { mlpDiscriminator, mlpGenerator } from '../gan/models/mlp';
import { Net } from '../nn/net';
import { HistoryEntry, PenaltyWeights, StepInfo, train } from '../gan/train';
import { SpectralNormalization, spectralNormalization } from '../lipschitz/spectralNorm';
import { clipWeights } from '../lipschitz/weightClipping';
import { rng, Rng } from '../core/random';
import { checkNonNegative, checkOneOf, checkPositive } from '../core/args';
import { wassersteinSamples } from '../theory/transport/sampleW1';
import { GeneratorScore, scoreSamples } from './evaluate';
import { ToyTask, ToyTaskName, toyTask } from './toyTasks';

export type ConstraintName = 'none' | 'gp' | 'sn' | 'r1' | 'clip';
export const CONSTRAINT_NAMES: readonly ConstraintName[] = ['none', 'gp', 'sn', 'r1', 'clip'];

/**
 * Critic updates per generator update when the caller does not choose. The gradient penalty
 * only constrains the critic where it has been trained, so WGAN-GP (Gulrajani et al. 2017)
 * trains it 5 times per generator step; with 1 step the critic lags, the generator follows a
 * stale slope and drifts away from the data (on ring8, 2000 steps, Adam 1e-3 / 5e-4 (0.5, 0.9):
 * exact W1 2.52 with 1 critic step, 0.28 with 5).
 */
export const DEFAULT_CRITIC_STEPS: Readonly<Record<ConstraintName, number>> = { none: 1, gp: 5, sn: 1, r1: 1, clip: 1 };

export interface ToyGanConfig {
  task: ToyTaskName | ToyTask;
  loss: GanLossName;
  constraint?: ConstraintName;
  /** Seeds the initial weights, the latent draws and the data draws. */
  seed?: number;
  /** Hidden width of G and D (default 128). */
  width?: number;
  /** Hidden layers of G and D (default 3). */
  depth?: number;
  /** Latent dimension (default 2). */
  latentDim?: number;
  /** lambda of the gradient penalty (default 10). */
  gpLambda?: number;
  /** gamma of R1 (default 0.1: the 2D tasks have unit-scale inputs). */
  r1Gamma?: number;
  /** Clipping bound c (default 0.01, the WGAN paper's value). */
  clipBound?: number;
  /** Power-iteration steps per forward pass for SN (default 1). */
  snIterations?: number;
}

export interface ToyTrainOptions {
  steps: number;
  /** Default 128. */
  batchSize?: number;
  /** Default 2e-4. */
  lrD?: number;
  /** Default 1e-4. */
  lrG?: number;
  /**
   * D updates per G update. Default `DEFAULT_CRITIC_STEPS[constraint]`: 5 with the gradient
   * penalty (WGAN-GP's n_critic), 1 otherwise.
   */
  dSteps?: number;
  /** Adam (beta1, beta2), default (0.5, 0.9) as in WGAN-GP. */
  betas?: [number, number];
  /** Record the critic's W1 estimate and the exact W1 every this many steps (0 = never, default). */
  trackEvery?: number;
  /** Points per side for tracking (default 256). */
  trackSamples?: number;
  onTrack?(p: CriticTrackPoint): void | Promise<void>;
  onStep?(info: StepInfo): void | Promise<void>;
}

/** The WGAN view of training: what the critic says W1 is, against the exact W1 of the samples. */
export interface CriticTrackPoint {
  step: number;
  /** mean D(real) - mean D(fake) on the tracking samples (a lower bound on K * W1 for a K-Lipschitz D). */
  criticEstimate: number;
  /** Exact W1 between the same generated and real samples (optimal matching). */
  exactW1: number;
}

export interface ToyTrainResult {
  steps: number;
  seconds: number;
  history: HistoryEntry[];
  track: CriticTrackPoint[];
}

/** Values of D on a regular grid: z[j][i] = D(xs[i], ys[j]) (the plot area's Grid2 shape). */
export interface CriticGrid {
  xs: number[];
  ys: number[];
  z: number[][];
}

export interface ToyGan {
  readonly task: ToyTask;
  readonly loss: GanLossName;
  readonly constraint: ConstraintName;
  readonly G: Net;
  readonly D: Net;
  /** The spectral normaliser when constraint = 'sn'. */
  readonly sn?: SpectralNormalization;
  train(opts: ToyTrainOptions): Promise<ToyTrainResult>;
  /**
   * n generated points (seeded: the same seed gives the same latent codes). These read
   * tensors asynchronously (`await t.data()`), as they must on webgpu.
   */
  generate(n: number, seed?: number): Promise<Point2[]>;
  /** D's raw output (logit / critic value) at each point. */
  critic(points: readonly Point2[]): Promise<number[]>;
  /** D on an n x n grid over the task's window, for heatmaps. */
  criticGrid(n?: number): Promise<CriticGrid>;
  /** Mode coverage, quality and exact W1 of `n` generated points. */
  score(n: number, seed?: number): Promise<GeneratorScore>;
  dispose(): void;
}


function pointsTensor(points: readonly Point2[]): tf.Tensor2D {
  const flat = new Float32Array(points.length * 2);
  points.forEach((p, i) => {
    flat[2 * i] = p[0];
    flat[2 * i + 1] = p[1];
  });
  return tf.tensor2d(flat, [points.length, 2]);
}

function normalTensor(r: Rng, n: number, dim: number): tf.Tensor2D {
  const a = new Float32Array(n * dim);
  for (let i = 0; i < a.length; i++) a[i] = r.normal();
  return tf.tensor2d(a, [n, dim]);
}

async function toPoints(t: tf.Tensor): Promise<Point2[]> {
  const d = await t.data();
  const out: Point2[] = [];
  for (let i = 0; i < t.shape[0]; i++) out.push([d[2 * i], d[2 * i + 1]]);
  return out;
}

export function createToyGan(cfg: ToyGanConfig): ToyGan {
  const who = 'createToyGan';
  const task = typeof cfg.task === 'string' ? toyTask(cfg.task) : cfg.task;
  const constraint = cfg.constraint ?? 'none';
  checkOneOf(who, 'constraint', constraint, CONSTRAINT_NAMES);
  const seed = cfg.seed ?? 0;
  const width = cfg.width ?? 128;
  const depth = cfg.depth ?? 3;
  const latentDim = cfg.latentDim ?? 2;
  const gpLambda = cfg.gpLambda ?? 10;
  const r1Gamma = cfg.r1Gamma ?? 0.1;
  const clipBound = cfg.clipBound ?? 0.01;
  checkNonNegative(who, 'gpLambda', gpLambda);
  checkNonNegative(who, 'r1Gamma', r1Gamma);
  checkPositive(who, 'clipBound', clipBound);
  const root = rng(seed);
  const sn = constraint === 'sn' ? spectralNormalization({ iterations: cfg.snIterations ?? 1, seed: seed + 1 }) : undefined;
  const G = mlpGenerator({ latentDim, width, depth, seed: root.fork(), name: 'G' });
  const D = mlpDiscriminator({ width, depth, seed: root.fork(), name: 'D', weightTransform: sn });
  const trainRng = root.fork();

  const generate = async (n: number, s = 999): Promise<Point2[]> => {
    const z = normalTensor(rng(s), n, latentDim);
    const x = G.apply(z);
    z.dispose();
    try {
      return await toPoints(x);
    } finally {
      x.dispose();
    }
  };
  const critic = async (points: readonly Point2[]): Promise<number[]> => {
    const x = pointsTensor(points);
    const y = D.apply(x);
    x.dispose();
    try {
      return Array.from(await y.data());
    } finally {
      y.dispose();
    }
  };

  return {
    task,
    loss: cfg.loss,
    constraint,
    G,
    D,
    sn,
    generate,
    critic,
    async criticGrid(n = 60) {
      const [lo, hi] = task.range;
      const xs = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
      const pts: Point2[] = [];
      for (const y of xs) for (const x of xs) pts.push([x, y]);
      const v = await critic(pts);
      return { xs, ys: [...xs], z: xs.map((_, j) => v.slice(j * n, (j + 1) * n)) };
    },
    async score(n, s = 4242) {
      return scoreSamples(task, await generate(n, s), s + 1);
    },
    async train(opts) {
      const penalties: PenaltyWeights = {};
      if (constraint === 'gp') penalties.gp = gpLambda;
      if (constraint === 'r1') penalties.r1 = r1Gamma;
      const trackEvery = opts.trackEvery ?? 0;
      const trackN = opts.trackSamples ?? 256;
      const track: CriticTrackPoint[] = [];
      const trackReal = trackEvery > 0 ? task.data.sample(trackN, rng(seed + 17)) : [];
      const doTrack = async (step: number) => {
        const fake = await generate(trackN, seed + 18);
        const dr = await critic(trackReal);
        const df = await critic(fake);
        const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
        const p = { step, criticEstimate: mean(dr) - mean(df), exactW1: wassersteinSamples(fake, trackReal).distance };
        track.push(p);
        await opts.onTrack?.(p);
      };
      const dataRng = trainRng.fork();
      const latentRng = trainRng.fork();
      const start = Date.now();
      if (trackEvery > 0) await doTrack(0);
      const result = await train({
        generator: G,
        discriminator: D,
        sampleReal: (n) => pointsTensor(task.data.sample(n, dataRng)),
        sampleLatent: (n) => normalTensor(latentRng, n, latentDim),
        loss: cfg.loss,
        penalties,
        afterDiscriminatorStep: constraint === 'clip' ? (d) => clipWeights(d.variables, clipBound) : undefined,
        betas: opts.betas ?? [0.5, 0.9],
        lrD: opts.lrD ?? 2e-4,
        lrG: opts.lrG ?? 1e-4,
        dSteps: opts.dSteps ?? DEFAULT_CRITIC_STEPS[constraint],
        batchSize: opts.batchSize ?? 128,
        steps: opts.steps,
        logEvery: 50,
        callbacks: {
          onStep: async (info) => {
            await opts.onStep?.(info);
            if (trackEvery > 0 && info.step % trackEvery === 0) await doTrack(info.step);
          },
        },
      });
      return { steps: result.steps, seconds: (Date.now() - start) / 1000, history: result.history, track };
    },
    dispose() {
      G.dispose?.();
      D.dispose?.();
      sn?.dispose();
    },
  };
}
