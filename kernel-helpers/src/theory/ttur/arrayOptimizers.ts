/**
 * Plain-array optimizers for the small games of the TTUR chapter: parameters are a few
 * numbers, so tensors would only add overhead. Each optimizer keeps its own state and
 * moves the parameters against the gradient it is given (every player minimises its loss).
 * Same rules, option names and defaults as the tensor optimizers of `nn` (`adamOptimizer`,
 * `sgdOptimizer`); the `array` prefix keeps the two families apart.
 */
import { checkInRange, checkNonNegative, checkOneOf, checkPositive } from '../../core/args';

export const ARRAY_OPTIMIZER_KINDS = ['sgd', 'adam'] as const;
export type ArrayOptimizerKind = (typeof ARRAY_OPTIMIZER_KINDS)[number];

export interface ArrayOptimizer {
  readonly kind: ArrayOptimizerKind;
  /** Learning rate of the next step (changeable, e.g. by a decaying schedule). */
  lr: number;
  /** Updates `params` in place by one step against `grad`. */
  step(params: number[], grad: number[]): void;
}

/** As `AdamOptimizerOptions` of `nn`: defaults beta1 0.9, beta2 0.999, epsilon 1e-8. */
export interface ArrayAdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** One gradient entry per parameter. */
function checkGradLength(who: string, name: string, grad: readonly number[], params: readonly number[]): void {
  if (grad.length !== params.length) throw new Error(`${who}: ${name} must have one entry per parameter (${params.length}), got ${grad.length}`);
}

/** Plain gradient descent: p <- p - lr * g. */
export function arraySgd(lr: number): ArrayOptimizer {
  checkNonNegative('arraySgd', 'lr', lr);
  return {
    kind: 'sgd',
    lr,
    step(params, grad) {
      checkGradLength('arraySgd.step', 'grad', grad, params);
      for (let i = 0; i < params.length; i++) params[i] -= this.lr * grad[i];
    },
  };
}

/** Adam (Kingma and Ba 2015) with bias correction; GANs usually ask for betas (0, 0.99) or (0.5, 0.999). */
export function arrayAdam(lr: number, opts: ArrayAdamOptions = {}): ArrayOptimizer {
  checkNonNegative('arrayAdam', 'lr', lr);
  const { beta1 = 0.9, beta2 = 0.999, epsilon: eps = 1e-8 } = opts;
  checkInRange('arrayAdam', 'beta1', beta1, 0, 1);
  checkInRange('arrayAdam', 'beta2', beta2, 0, 1);
  checkPositive('arrayAdam', 'epsilon', eps);
  let m: number[] = [];
  let v: number[] = [];
  let t = 0;
  return {
    kind: 'adam',
    lr,
    step(params, grad) {
      checkGradLength('arrayAdam.step', 'grad', grad, params);
      if (m.length !== params.length) {
        m = new Array(params.length).fill(0);
        v = new Array(params.length).fill(0);
      }
      t++;
      const c1 = 1 - Math.pow(beta1, t);
      const c2 = 1 - Math.pow(beta2, t);
      for (let i = 0; i < params.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
        v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
        params[i] -= (this.lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    },
  };
}

export function makeArrayOptimizer(kind: ArrayOptimizerKind, lr: number, adamOptions?: ArrayAdamOptions): ArrayOptimizer {
  checkOneOf('makeArrayOptimizer', 'kind', kind, ARRAY_OPTIMIZER_KINDS);
  return kind === 'sgd' ? arraySgd(lr) : arrayAdam(lr, adamOptions);
}
