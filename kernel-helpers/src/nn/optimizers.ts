/**
 * Adam and SGD (with momentum) written out, so the learning rate can follow a schedule and
 * the update rule is visible:
 *   SGD:  v <- mu v + g;  w <- w - lr v                       (mu = 0: plain gradient descent)
 *   Adam: m <- b1 m + (1 - b1) g;  s <- b2 s + (1 - b2) g^2;
 *         w <- w - lr m_hat / (sqrt(s_hat) + eps),  m_hat = m / (1 - b1^t),  s_hat = s / (1 - b2^t)
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInRange, checkKnownOptions, checkNonNegative, checkPositive } from '../core/args';

export interface Optimizer {
  readonly name: string;
  /** One update of `variables` given `grads` (same order) and the learning rate. */
  step(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void;
  /** Frees the optimizer's state. */
  dispose(): void;
}

export interface AdamOptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export type OptimizerSpec = 'adam' | 'sgd' | ({ kind: 'adam' } & AdamOptimizerOptions) | { kind: 'sgd'; momentum?: number };

const ADAM_OPTIONS = ['beta1', 'beta2', 'epsilon'] as const;
const SGD_OPTIONS = ['momentum'] as const;

function slotsFor(slots: tf.Variable[], variables: readonly tf.Variable[]): void {
  if (slots.length === 0) {
    for (const v of variables) {
      const z = tf.zerosLike(v);
      slots.push(tf.variable(z, false));
      z.dispose();
    }
  }
  if (slots.length !== variables.length) throw new Error('optimizer: used with a different list of variables than at its first step');
}

/**
 * Adam keeps its moments for all variables in two flat vectors and updates them with one
 * kernel per term of the formula (concatenated gradients in, split steps out): about 30
 * kernels per step instead of ~20 per variable, which is most of the optimiser's cost on the
 * small tensors of the course's models.
 */
export function adamOptimizer(opts: AdamOptimizerOptions = {}): Optimizer {
  checkKnownOptions('adam', opts, ADAM_OPTIONS);
  const b1 = opts.beta1 ?? 0.9;
  const b2 = opts.beta2 ?? 0.999;
  const eps = opts.epsilon ?? 1e-8;
  checkInRange('adam', 'beta1', b1, 0, 1);
  checkInRange('adam', 'beta2', b2, 0, 1);
  checkPositive('adam', 'epsilon', eps);
  let state: { m: tf.Variable; s: tf.Variable; sizes: number[] } | null = null;
  let t = 0;
  return {
    name: `adam(beta1=${b1}, beta2=${b2})`,
    step(variables, grads, lr) {
      checkNonNegative('adam.step', 'lr (the learning rate)', lr);
      if (grads.length !== variables.length) throw new Error(`adam: ${grads.length} gradients for ${variables.length} variables`);
      if (variables.length === 0) return;
      grads.forEach((g, i) => {
        if (g.size !== variables[i].size) throw new Error(`adam: gradient ${i} has shape [${g.shape}] but its variable has shape [${variables[i].shape}]`);
      });
      const sizes = variables.map((v) => v.size);
      if (!state) {
        const total = sizes.reduce((a, b) => a + b, 0);
        const zeros = tf.zeros([total]);
        state = { m: tf.variable(zeros, false), s: tf.variable(zeros, false), sizes };
        zeros.dispose();
      } else if (state.sizes.length !== sizes.length || state.sizes.some((n, i) => n !== sizes[i])) {
        throw new Error('optimizer: used with a different list of variables than at its first step');
      }
      const { m, s } = state;
      t += 1;
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      tf.tidy(() => {
        const flat = grads.map((g) => tf.reshape(g, [-1]));
        const g = flat.length === 1 ? flat[0] : tf.concat(flat);
        const mi = tf.add(tf.mul(tf.scalar(b1), m), tf.mul(tf.scalar(1 - b1), g));
        const si = tf.add(tf.mul(tf.scalar(b2), s), tf.mul(tf.scalar(1 - b2), tf.square(g)));
        m.assign(mi);
        s.assign(si);
        const denom = tf.add(tf.sqrt(tf.div(si, tf.scalar(c2))), tf.scalar(eps));
        const delta = tf.div(tf.mul(tf.scalar(lr / c1), mi), denom);
        const parts = sizes.length === 1 ? [delta] : tf.split(delta, sizes);
        variables.forEach((v, i) => v.assign(tf.sub(v, tf.reshape(parts[i], v.shape))));
      });
    },
    dispose() {
      if (state) tf.dispose([state.m, state.s]);
      state = null;
    },
  };
}

export function sgdOptimizer(opts: { momentum?: number } = {}): Optimizer {
  checkKnownOptions('sgd', opts, SGD_OPTIONS);
  const mu = opts.momentum ?? 0;
  checkInRange('sgd', 'momentum', mu, 0, 1);
  const vel: tf.Variable[] = [];
  return {
    name: mu > 0 ? `sgd(momentum=${mu})` : 'sgd',
    step(variables, grads, lr) {
      checkNonNegative('sgd.step', 'lr (the learning rate)', lr);
      if (grads.length !== variables.length) throw new Error(`sgd: ${grads.length} gradients for ${variables.length} variables`);
      tf.tidy(() => {
        if (mu === 0) {
          for (let i = 0; i < variables.length; i++) variables[i].assign(tf.sub(variables[i], tf.mul(tf.scalar(lr), grads[i])));
          return;
        }
        slotsFor(vel, variables);
        for (let i = 0; i < variables.length; i++) {
          const v = tf.add(tf.mul(tf.scalar(mu), vel[i]), grads[i]);
          vel[i].assign(v);
          variables[i].assign(tf.sub(variables[i], tf.mul(tf.scalar(lr), v)));
        }
      });
    },
    dispose() {
      for (const v of vel) v.dispose();
      vel.length = 0;
    },
  };
}

export function createOptimizer(spec: OptimizerSpec): Optimizer {
  if (spec === 'adam') return adamOptimizer();
  if (spec === 'sgd') return sgdOptimizer();
  if (typeof spec === 'object' && spec !== null) {
    if (spec.kind === 'adam') {
      const { kind: _, ...adamOptions } = spec;
      return adamOptimizer(adamOptions);
    }
    if (spec.kind === 'sgd') {
      const { kind: _, ...sgdOptions } = spec;
      return sgdOptimizer(sgdOptions);
    }
  }
  throw argumentError('createOptimizer', 'spec', "'adam', 'sgd', { kind: 'adam', beta1, beta2, epsilon } or { kind: 'sgd', momentum }", spec);
}
