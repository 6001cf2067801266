/**
 * What the fused GRU and LSTM recurrences share (gruRecurrence.ts, lstmRecurrence.ts): the
 * shape check, the custom gradient around plain-loop forward and backward passes, and the
 * refusal to be differentiated twice (its gradient is computed, not built from
 * differentiable ops, so a penalty such as R1 or GP through it would be silently wrong).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface RecurrenceKernel<Saved> {
  /** 'gruRecurrence' or 'lstmRecurrence' (errors). */
  name: string;
  /** 'GRU' or 'LSTM' (the error that names the way out). */
  layer: string;
  /** Gate blocks per step: 3 for the GRU, 4 for the LSTM. */
  gates: number;
  forward(p: Float32Array, u: Float32Array, B: number, T: number, H: number): { states: Float32Array; saved: Saved };
  backward(dStates: Float32Array, saved: Saved): { dp: Float32Array; du: Float32Array };
}

/** Every state [batch, T, H] from the input projections `p` [batch, T, gates H] and the recurrent kernel `u` [H, gates H]. */
export function runFusedRecurrence<Saved>(k: RecurrenceKernel<Saved>, p: tf.Tensor, u: tf.Tensor): tf.Tensor {
  const G = k.gates;
  if (p.rank !== 3 || u.rank !== 2 || u.shape[1] !== G * u.shape[0] || p.shape[2] !== u.shape[1]) {
    throw new Error(`${k.name}: needs p [batch, T, ${G}H] and u [H, ${G}H], got p [${p.shape.join(', ')}] and u [${u.shape.join(', ')}]`);
  }
  const [B, T] = p.shape as [number, number, number];
  const H = u.shape[0];
  const f = tf.customGrad(((pi: tf.Tensor, ui: tf.Tensor) => {
    const { states, saved } = k.forward(pi.dataSync() as Float32Array, ui.dataSync() as Float32Array, B, T, H);
    return {
      value: tf.tensor3d(states, [B, T, H]),
      gradFunc: (dy: tf.Tensor) => {
        if (tf.engine().isTapeOn()) {
          throw new Error(`${k.name}: a gradient of its gradient was asked for (a penalty such as R1 or GP through ${k.layer === 'LSTM' ? 'an' : 'a'} ${k.layer} built with fused: true); the fused ${k.layer} is first-order only: build it with fused: false`);
        }
        const { dp, du } = k.backward(dy.dataSync() as Float32Array, saved);
        return [tf.tensor3d(dp, [B, T, G * H]), tf.tensor2d(du, [H, G * H])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(p, u) as tf.Tensor;
}
