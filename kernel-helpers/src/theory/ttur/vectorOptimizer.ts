/**
 * Plain-array optimizers for the small games of the TTUR chapter: parameters are a few
 * numbers, so tensors would only add overhead. Each optimizer keeps its own state and
 * moves the parameters against the gradient it is given (every player minimises its loss).
 */
export type OptimizerKind = 'sgd' | 'adam';

export interface VectorOptimizer {
  readonly kind: OptimizerKind;
  /** Learning rate of the next step (changeable, e.g. by a decaying schedule). */
  lr: number;
  /** Updates `params` in place by one step against `grad`. */
  step(params: number[], grad: number[]): void;
}

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export function checkLearningRate(lr: number, who: string, name = 'lr'): void {
  if (!Number.isFinite(lr) || lr < 0) throw new Error(`${who}: ${name} must be a finite number >= 0, got ${lr}`);
}

function checkShapes(params: number[], grad: number[], who: string): void {
  if (params.length !== grad.length) {
    throw new Error(`${who}: grad has length ${grad.length} but params have length ${params.length}`);
  }
}

/** Plain gradient descent: p <- p - lr * g. */
export function sgd(lr: number): VectorOptimizer {
  checkLearningRate(lr, 'sgd');
  return {
    kind: 'sgd',
    lr,
    step(params, grad) {
      checkShapes(params, grad, 'sgd.step');
      for (let i = 0; i < params.length; i++) params[i] -= this.lr * grad[i];
    },
  };
}

/** Adam (Kingma and Ba 2015) with bias correction; the GAN default betas are (0, 0.99) or (0.5, 0.999). */
export function adam(lr: number, opts: AdamOptions = {}): VectorOptimizer {
  checkLearningRate(lr, 'adam');
  const { beta1 = 0.5, beta2 = 0.999, eps = 1e-8 } = opts;
  if (!(beta1 >= 0 && beta1 < 1)) throw new Error(`adam: beta1 must be in [0, 1), got ${beta1}`);
  if (!(beta2 >= 0 && beta2 < 1)) throw new Error(`adam: beta2 must be in [0, 1), got ${beta2}`);
  if (!(eps > 0)) throw new Error(`adam: eps must be > 0, got ${eps}`);
  let m: number[] = [];
  let v: number[] = [];
  let t = 0;
  return {
    kind: 'adam',
    lr,
    step(params, grad) {
      checkShapes(params, grad, 'adam.step');
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

export function makeOptimizer(kind: OptimizerKind, lr: number, adamOptions?: AdamOptions): VectorOptimizer {
  if (kind === 'sgd') return sgd(lr);
  if (kind === 'adam') return adam(lr, adamOptions);
  throw new Error(`makeOptimizer: kind must be 'sgd' or 'adam', got ${String(kind)}`);
}
