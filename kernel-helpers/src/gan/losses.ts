/**
 * GAN losses on discriminator LOGITS (pre-sigmoid scores) d_r = D(x), d_f = D(G(z)), each a
 * pair { discriminator, generator } of scalar losses to MINIMISE. Both sides take the logits
 * by name, `{ real, fake }`, so that the two can never be swapped by position. softplus(t) = log(1 + e^t),
 * so -log sigmoid(t) = softplus(-t) and -log(1 - sigmoid(t)) = softplus(t).
 *
 *   minimax (Goodfellow et al. 2014)   L_D = E softplus(-d_r) + E softplus(d_f)
 *                                      L_G = -E softplus(d_f)            (= E log(1 - D(G(z))), saturating)
 *   non-saturating                     L_D as minimax, L_G = E softplus(-d_f)   (= -E log D(G(z)))
 *   Wasserstein (Arjovsky et al. 2017) L_D = E d_f - E d_r,  L_G = -E d_f
 *   hinge (Lim & Ye 2017; Miyato 2018) L_D = E relu(1 - d_r) + E relu(1 + d_f),  L_G = -E d_f
 *   least squares (Mao et al. 2017)    L_D = 1/2 E (d_r - b)^2 + 1/2 E (d_f - a)^2,  L_G = 1/2 E (d_f - c)^2
 *   relativistic average (Jolicoeur-Martineau 2019)
 *                                      L_D = E softplus(-(d_r - E d_f)) + E softplus(d_f - E d_r)
 *                                      L_G = E softplus(-(d_f - E d_r)) + E softplus(d_r - E d_f)
 *   relativistic paired (RpGAN; Jolicoeur-Martineau 2019, R3GAN: Huang et al. 2024)
 *                                      L_D = E f(d_r - d_f),  L_G = E f(d_f - d_r),  f(t) = softplus(-t)
 */
import * as tf from '@tensorflow/tfjs-core';

/** D's logits on a real batch and on a generated batch. */
export interface Logits {
  real: tf.Tensor;
  fake: tf.Tensor;
}

export interface GanLoss {
  readonly name: string;
  /** Whether the generator's loss needs D(x) on real data (the relativistic losses). */
  readonly generatorUsesReal: boolean;
  /** Loss the discriminator minimises. */
  discriminator(logits: Logits): tf.Scalar;
  /** Loss the generator minimises. `real` is required when `generatorUsesReal`. */
  generator(logits: { fake: tf.Tensor; real?: tf.Tensor }): tf.Scalar;
}

export const GAN_LOSS_NAMES = [
  'minimax',
  'nonSaturating',
  'wasserstein',
  'hinge',
  'leastSquares',
  'relativisticAverage',
  'relativisticPaired',
] as const;
export type GanLossName = (typeof GAN_LOSS_NAMES)[number];

const mean = (t: tf.Tensor): tf.Scalar => tf.mean(t) as tf.Scalar;

function needReal(loss: string, dReal: tf.Tensor | undefined): tf.Tensor {
  if (!dReal) throw new Error(`${loss}: the generator loss needs logits.real (D's logits on a real batch)`);
  return dReal;
}

export const minimaxLoss: GanLoss = {
  name: 'minimax',
  generatorUsesReal: false,
  discriminator: ({ real: dr, fake: df }) => tf.tidy(() => tf.add(mean(tf.softplus(tf.neg(dr))), mean(tf.softplus(df)))),
  generator: ({ fake: df }) => tf.tidy(() => tf.neg(mean(tf.softplus(df)))),
};

export const nonSaturatingLoss: GanLoss = {
  name: 'nonSaturating',
  generatorUsesReal: false,
  discriminator: minimaxLoss.discriminator,
  generator: ({ fake: df }) => tf.tidy(() => mean(tf.softplus(tf.neg(df)))),
};

export const wassersteinLoss: GanLoss = {
  name: 'wasserstein',
  generatorUsesReal: false,
  discriminator: ({ real: dr, fake: df }) => tf.tidy(() => tf.sub(mean(df), mean(dr))),
  generator: ({ fake: df }) => tf.tidy(() => tf.neg(mean(df))),
};

export const hingeLoss: GanLoss = {
  name: 'hinge',
  generatorUsesReal: false,
  discriminator: ({ real: dr, fake: df }) =>
    tf.tidy(() => tf.add(mean(tf.relu(tf.sub(tf.scalar(1), dr))), mean(tf.relu(tf.add(tf.scalar(1), df))))),
  generator: ({ fake: df }) => tf.tidy(() => tf.neg(mean(df))),
};

/**
 * LSGAN with targets a (fake, for D), b (real, for D), c (what G wants D to say). Default
 * a = 0, b = 1, c = 1; a = -1, b = 1, c = 0 minimises the Pearson chi^2 divergence (b - c = 1, b - a = 2).
 */
export function leastSquaresLoss(targets: { a?: number; b?: number; c?: number } = {}): GanLoss {
  const a = targets.a ?? 0;
  const b = targets.b ?? 1;
  const c = targets.c ?? 1;
  for (const [k, v] of Object.entries({ a, b, c })) {
    if (!Number.isFinite(v)) throw new Error(`leastSquaresLoss: target ${k} must be a finite number, got ${v}`);
  }
  const half = (t: tf.Tensor, target: number) => tf.mul(tf.scalar(0.5), mean(tf.square(tf.sub(t, tf.scalar(target)))));
  return {
    name: 'leastSquares',
    generatorUsesReal: false,
    discriminator: ({ real: dr, fake: df }) => tf.tidy(() => tf.add(half(dr, b), half(df, a)) as tf.Scalar),
    generator: ({ fake: df }) => tf.tidy(() => half(df, c) as tf.Scalar),
  };
}

export const relativisticAverageLoss: GanLoss = {
  name: 'relativisticAverage',
  generatorUsesReal: true,
  discriminator: ({ real: dr, fake: df }) =>
    tf.tidy(() => {
      const rTilde = tf.sub(dr, tf.mean(df));
      const fTilde = tf.sub(df, tf.mean(dr));
      return tf.add(mean(tf.softplus(tf.neg(rTilde))), mean(tf.softplus(fTilde)));
    }),
  generator: ({ fake: df, real: drMaybe }) =>
    tf.tidy(() => {
      const dr = needReal('relativisticAverage', drMaybe);
      const rTilde = tf.sub(dr, tf.mean(df));
      const fTilde = tf.sub(df, tf.mean(dr));
      return tf.add(mean(tf.softplus(tf.neg(fTilde))), mean(tf.softplus(rTilde)));
    }),
};

function checkPaired(dr: tf.Tensor, df: tf.Tensor): void {
  if (dr.size !== df.size) {
    throw new Error(
      `relativisticPaired: real and fake logits must pair one to one, got ${dr.size} real and ${df.size} fake (use equal batch sizes)`,
    );
  }
}

/** RpGAN: f(D(x) - D(G(z))) on paired samples, f(t) = softplus(-t) = -log sigmoid(t). */
export const relativisticPairedLoss: GanLoss = {
  name: 'relativisticPaired',
  generatorUsesReal: true,
  discriminator: ({ real: dr, fake: df }) =>
    tf.tidy(() => {
      checkPaired(dr, df);
      return mean(tf.softplus(tf.neg(tf.sub(tf.reshape(dr, [-1]), tf.reshape(df, [-1])))));
    }),
  generator: ({ fake: df, real: drMaybe }) =>
    tf.tidy(() => {
      const dr = needReal('relativisticPaired', drMaybe);
      checkPaired(dr, df);
      return mean(tf.softplus(tf.neg(tf.sub(tf.reshape(df, [-1]), tf.reshape(dr, [-1])))));
    }),
};

const LOSSES: Record<GanLossName, () => GanLoss> = {
  minimax: () => minimaxLoss,
  nonSaturating: () => nonSaturatingLoss,
  wasserstein: () => wassersteinLoss,
  hinge: () => hingeLoss,
  leastSquares: () => leastSquaresLoss(),
  relativisticAverage: () => relativisticAverageLoss,
  relativisticPaired: () => relativisticPairedLoss,
};

/** A loss by name, or the loss object itself. */
export function ganLoss(loss: GanLossName | GanLoss): GanLoss {
  if (typeof loss === 'object' && loss !== null) {
    if (typeof loss.discriminator !== 'function' || typeof loss.generator !== 'function') {
      throw new Error('ganLoss: a loss object needs discriminator({ real, fake }) and generator({ fake, real? }) functions');
    }
    return loss;
  }
  if (typeof loss !== 'string' || !Object.prototype.hasOwnProperty.call(LOSSES, loss)) {
    throw new Error(`ganLoss: unknown loss ${JSON.stringify(loss)}; use one of ${GAN_LOSS_NAMES.join(', ')}`);
  }
  return LOSSES[loss]();
}
