/**
 * TimeGAN's loss terms (Yoon, Jarrett & van der Schaar 2019, sect. 4), in the form of the
 * official code's timegan.py, which the trainer follows:
 *   reconstruction  L_R = mean (x - r(e(x)))^2                  (E_loss_T0)
 *   supervised      L_S = mean (h_{t} - s(h)_{t-1})^2, h = e(x)  (G_loss_S: MSE between
 *                   H[:, 1:, :] and H_hat_supervise[:, :-1, :], on REAL data's embeddings)
 *   moments         L_V = mean |sd_batch(x^) - sd_batch(x)| + mean |mean_batch(x^) - mean_batch(x)|
 *                   (G_loss_V1 + G_loss_V2; sd = sqrt(var + 1e-6), statistics over the batch
 *                   axis, one per step and feature)
 *   per-step BCE    on D's logits, averaged over batch and steps.
 *
 * The paper's eq. 5 writes the supervised loss as L_S = E_{s, x_{1:T} ~ p} [ sum_t
 * || h_t - g_X(h_{S}, h_{t-1}, z_t) ||_2 ]: a sum over steps of (unsquared) norms, with the
 * generator's recurrent map g_X fed the real h_{t-1}; the course's source writes it in yet
 * another way. The official code squares and averages (an MSE) and gives the one-step-ahead
 * prediction to a separate supervisor network s, as here.
 */
import * as tf from '@tensorflow/tfjs-core';

function checkSame(who: string, a: tf.Tensor, b: tf.Tensor, an: string, bn: string): void {
  if (a.shape.join(',') !== b.shape.join(',')) throw new Error(`${who}: ${an} [${a.shape}] and ${bn} [${b.shape}] must have one shape`);
}

/** L_S: the supervisor's one-step-ahead squared error on embeddings h [batch, T, hidden] (needs T >= 2). */
export function timeGanSupervisedLoss(h: tf.Tensor, supervised: tf.Tensor): tf.Scalar {
  checkSame('timeGanSupervisedLoss', h, supervised, 'h', 'supervised');
  if (h.rank !== 3 || (h.shape[1] ?? 0) < 2) throw new Error(`timeGanSupervisedLoss: h must be [batch, T, hidden] with T >= 2, got [${h.shape}]`);
  return tf.tidy(() => {
    const [B, T, C] = h.shape;
    // s(h)_{t-1} predicts h_t: compare steps 1..T-1 of h with steps 0..T-2 of s(h).
    return tf.mean(tf.squaredDifference(tf.slice(h, [0, 1, 0], [B, T - 1, C]), tf.slice(supervised, [0, 0, 0], [B, T - 1, C]))) as tf.Scalar;
  });
}

/** L_R: mean squared reconstruction error. */
export function timeGanReconstructionLoss(x: tf.Tensor, recovered: tf.Tensor): tf.Scalar {
  checkSame('timeGanReconstructionLoss', x, recovered, 'x', 'recovered');
  return tf.tidy(() => tf.mean(tf.squaredDifference(x, recovered)) as tf.Scalar);
}

/** L_V: distance between the batch means and standard deviations of generated and real data. */
export function timeGanMomentLoss(fake: tf.Tensor, real: tf.Tensor): tf.Scalar {
  checkSame('timeGanMomentLoss', fake, real, 'fake', 'real');
  return tf.tidy(() => {
    const f = tf.moments(fake, 0), r = tf.moments(real, 0);
    const sd = (v: tf.Tensor) => tf.sqrt(tf.add(v, 1e-6));
    const v1 = tf.mean(tf.abs(tf.sub(sd(f.variance), sd(r.variance))));
    const v2 = tf.mean(tf.abs(tf.sub(f.mean, r.mean)));
    return tf.add(v1, v2) as tf.Scalar;
  });
}

/** Sigmoid cross-entropy of logits against a constant label (1: "real", 0: "fake"), averaged over every element. */
export function bceWithLogits(logits: tf.Tensor, label: 0 | 1): tf.Scalar {
  // -log sigmoid(t) = softplus(-t), -log(1 - sigmoid(t)) = softplus(t).
  return tf.tidy(() => tf.mean(tf.softplus(label === 1 ? tf.neg(logits) : logits)) as tf.Scalar);
}
