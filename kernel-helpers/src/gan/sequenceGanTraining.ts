/**
 * A plain recurrent GAN on sequences (the course's `gruGenerator` / `gruDiscriminator`, in the
 * spirit of C-RNN-GAN and RCGAN without their extras): the course's one training loop,
 * `train()`, already trains any pair of nets, sequences included, so this is `train()` with
 * what sequences add: the noise is per step, [n, T, latentDim] (standard normal by default,
 * T and latentDim read from the nets), and the batches and nets are checked for one length
 * and feature count before training, with errors that name the argument.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkKnownOptions } from '../core/args';
import { checkSequenceBatch, pairedSequenceShapes } from './sequenceChecks';
import { train, TrainConfig, TrainResult } from './train';
import { seedStream } from './adversarialLoop';

export interface SequenceGanTrainConfig extends Omit<TrainConfig, 'sampleReal' | 'sampleLatent' | 'sampleLabels'> {
  /** NEW [n, T, features] real sequences per call. */
  sampleReal(n: number): tf.Tensor;
  /** [n, T, latentDim] noise (default standard normal, from `noiseSeed`). */
  sampleNoise?(n: number): tf.Tensor;
  /** Seed of the default noise stream (default 0): two runs draw the same noise. */
  noiseSeed?: number;
}

const TRAIN_KEYS = ['generator', 'discriminator', 'loss', 'penalties', 'afterDiscriminatorStep', 'optimizer', 'betas', 'lrD', 'lrG', 'dSteps', 'batchSize', 'steps', 'ema', 'logEvery', 'callbacks', 'signal', 'resume', 'keepState', 'stopOnInterrupt'] as const;

export async function trainSequenceGan(cfg: SequenceGanTrainConfig): Promise<TrainResult> {
  const who = 'trainSequenceGan';
  checkKnownOptions(who, cfg, [...TRAIN_KEYS, 'sampleReal', 'sampleNoise', 'noiseSeed']);
  const noiseSeeds = seedStream(who, cfg.noiseSeed);
  const G = cfg.generator, D = cfg.discriminator;
  if (!G || typeof G.apply !== 'function') throw argumentError(who, 'generator', 'a Net (gruGenerator)', G);
  if (!D || typeof D.apply !== 'function') throw argumentError(who, 'discriminator', 'a Net (gruDiscriminator)', D);
  if (typeof cfg.sampleReal !== 'function') throw argumentError(who, 'sampleReal', 'a function n -> [n, T, features] sequences', cfg.sampleReal);
  if (cfg.sampleNoise !== undefined && typeof cfg.sampleNoise !== 'function') throw argumentError(who, 'sampleNoise', 'a function n -> [n, T, latentDim] noise', cfg.sampleNoise);
  const shapes = pairedSequenceShapes(who, G, D);
  const batch = cfg.batchSize ?? 64;
  // The length comes from the nets, or else from the data (checked on the first batch).
  let T = shapes.length;
  let probed: tf.Tensor | null = null;
  if (T < 0) {
    probed = tf.tidy(() => cfg.sampleReal(batch));
    T = probed.shape[1] ?? -1;
  }
  const realShape = { length: T, features: shapes.features };
  const noiseShape = { length: T, features: shapes.noiseFeatures };
  const checked = (what: string, t: tf.Tensor, n: number, shape: typeof realShape, against: string) => {
    if (!(t instanceof tf.Tensor)) throw argumentError(who, `${what}(${n})`, 'a tensor', t);
    checkSequenceBatch(who, `${what}(${n})`, t, n, shape, against);
    return t;
  };
  const { sampleReal, sampleNoise, noiseSeed: _noiseSeed, ...rest } = cfg;
  try {
    return await train({
      ...rest,
      sampleReal: (n) => {
        if (probed && n === batch) {
          const t = probed;
          probed = null;
          return checked('sampleReal', t, n, realShape, 'the discriminator takes');
        }
        return checked('sampleReal', sampleReal(n), n, realShape, 'the discriminator takes');
      },
      sampleLatent: (n) => checked('sampleNoise', sampleNoise ? sampleNoise(n) : tf.randomNormal([n, T, shapes.noiseFeatures], 0, 1, 'float32', noiseSeeds()), n, noiseShape, 'the generator takes'),
    });
  } finally {
    (probed as tf.Tensor | null)?.dispose();
  }
}
