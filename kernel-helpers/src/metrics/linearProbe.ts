/**
 * A linear probe: multinomial logistic regression trained on frozen features, the standard
 * way to ask how much label information a network's representation carries without training
 * the network further (Radford et al. 2016 classified CIFAR-10 with a linear model on DCGAN
 * discriminator features; Alain and Bengio 2016 named the probe). "Linear probe with 100
 * labels" trains it on a few labelled examples and tests it on many, so it measures the
 * features, not the amount of supervision.
 *
 * Features are standardised with the training set's mean and std (a probe should not depend
 * on the scale of a unit), the loss is mean cross-entropy + (weightDecay/2) |W|^2 (the bias is
 * not decayed), and it is minimised from zero by full-batch accelerated gradient descent
 * (Nesterov 1983, with the gradient restart of O'Donoghue and Candes 2015) for a fixed number
 * of steps, or fewer once the gradient has vanished; no randomness, so the same inputs always
 * give the same probe. The loss is convex, so the minimum found is the global one.
 */
import { checkInteger, checkKnownOptions, checkNonNegative, checkPositiveInt } from '../core/args';
import { checkLabels, checkRows } from './featureRows';

export interface LinearProbeOptions {
  /** L2 penalty on the weights (default 1e-2: about 1/n for a 100-label probe). */
  weightDecay?: number;
  /** Full-batch gradient steps (default 300; training stops earlier once every gradient entry is below 1e-7). */
  iterations?: number;
}

export interface LinearProbe {
  dim: number;
  classes: number;
  /** Row-major classes x dim weights acting on standardised features. */
  weights: Float64Array;
  bias: Float64Array;
  /** The training set's per-feature mean and std used to standardise every input. */
  mean: Float64Array;
  std: Float64Array;
  /** Accuracy on the training rows. */
  trainAccuracy: number;
  /** Mean cross-entropy on the training rows, in nats (without the penalty). */
  trainLoss: number;
  /** Gradient steps taken: opts.iterations, or fewer when the gradient vanished first. */
  steps: number;
  /** Predicted class of each of `n` rows. */
  predict(rows: ArrayLike<number>, n: number): Int32Array;
  /** Share of `n` rows whose predicted class is the label. */
  accuracy(rows: ArrayLike<number>, labels: ArrayLike<number>, n: number): number;
}

const GRADIENT_TOLERANCE = 1e-7;

/** Standardised copy of the rows, by the given mean and std. */
function standardise(rows: ArrayLike<number>, n: number, dim: number, mean: Float64Array, std: Float64Array): Float64Array {
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) x[i * dim + j] = (rows[i * dim + j] - mean[j]) / std[j];
  return x;
}

/** Logits of row i into `out` (length classes). theta = [W (classes x dim), b (classes)]. */
function logits(theta: Float64Array, x: Float64Array, i: number, dim: number, classes: number, out: Float64Array): void {
  const bOff = classes * dim;
  for (let c = 0; c < classes; c++) {
    let s = theta[bOff + c];
    const w = c * dim;
    const o = i * dim;
    for (let j = 0; j < dim; j++) s += theta[w + j] * x[o + j];
    out[c] = s;
  }
}

/** Mean cross-entropy (plus the penalty when `lambda` > 0); fills `grad` when given. */
function lossAndGradient(
  theta: Float64Array, x: Float64Array, y: ArrayLike<number>, n: number, dim: number, classes: number, lambda: number, grad: Float64Array | null,
): number {
  const z = new Float64Array(classes);
  const bOff = classes * dim;
  if (grad) grad.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    logits(theta, x, i, dim, classes, z);
    let m = -Infinity;
    for (let c = 0; c < classes; c++) if (z[c] > m) m = z[c];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(z[c] - m);
    const lse = m + Math.log(sum);
    loss += lse - z[y[i]];
    if (!grad) continue;
    for (let c = 0; c < classes; c++) {
      const r = Math.exp(z[c] - lse) - (c === y[i] ? 1 : 0); // softmax minus one-hot
      grad[bOff + c] += r;
      const w = c * dim;
      const o = i * dim;
      for (let j = 0; j < dim; j++) grad[w + j] += r * x[o + j];
    }
  }
  let penalty = 0;
  for (let k = 0; k < bOff; k++) penalty += theta[k] * theta[k];
  if (grad) {
    for (let k = 0; k < grad.length; k++) grad[k] /= n;
    for (let k = 0; k < bOff; k++) grad[k] += lambda * theta[k];
  }
  return loss / n + 0.5 * lambda * penalty;
}

/**
 * Largest eigenvalue of (1/n) sum [x;1][x;1]^T by power iteration: with the softmax Hessian
 * bounded by I/2 it bounds the loss's curvature, which fixes a safe step without a line search.
 */
function curvatureBound(x: Float64Array, n: number, dim: number): number {
  const d = dim + 1;
  let v = new Float64Array(d).fill(1 / Math.sqrt(d));
  let lambda = 0;
  for (let it = 0; it < 100; it++) {
    const w = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      let s = v[dim];
      for (let j = 0; j < dim; j++) s += x[i * dim + j] * v[j];
      for (let j = 0; j < dim; j++) w[j] += s * x[i * dim + j];
      w[dim] += s;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (w[j] / n) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    const next = w.map((t) => t / n / norm);
    const done = Math.abs(norm - lambda) <= 1e-9 * norm;
    lambda = norm;
    v = next;
    if (done) break;
  }
  return lambda;
}

function argmaxRows(theta: Float64Array, x: Float64Array, n: number, dim: number, classes: number): Int32Array {
  const out = new Int32Array(n);
  const z = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    logits(theta, x, i, dim, classes, z);
    let best = 0;
    for (let c = 1; c < classes; c++) if (z[c] > z[best]) best = c;
    out[i] = best;
  }
  return out;
}

export function trainLinearProbe(
  features: ArrayLike<number>,
  labels: ArrayLike<number>,
  n: number,
  dim: number,
  classes: number,
  opts: LinearProbeOptions = {},
): LinearProbe {
  const who = 'trainLinearProbe';
  checkKnownOptions(who, opts, ['weightDecay', 'iterations']);
  const { weightDecay = 1e-2, iterations = 300 } = opts;
  checkNonNegative(who, 'opts.weightDecay', weightDecay);
  checkInteger(who, 'opts.iterations', iterations, 0);
  checkInteger(who, 'classes', classes, 2);
  checkRows(who, 'features', features, n, dim, 2);
  checkLabels(who, 'labels', labels, n, classes);

  const mean = new Float64Array(dim);
  const std = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) std[j] += (features[i * dim + j] - mean[j]) ** 2;
  // a unit constant on the training set (a dead ReLU) carries no information: scale 1 keeps it at 0
  for (let j = 0; j < dim; j++) std[j] = Math.sqrt(std[j] / n) || 1;
  const x = standardise(features, n, dim, mean, std);

  const size = classes * (dim + 1);
  const step = 1 / (0.5 * 1.1 * curvatureBound(x, n, dim) + weightDecay); // 10% margin over the power-iteration estimate
  let theta = new Float64Array(size);
  let prev = new Float64Array(size);
  const yk = new Float64Array(size);
  const g = new Float64Array(size);
  let t = 1;
  let steps = 0;
  for (let it = 0; it < iterations; it++) {
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    for (let k = 0; k < size; k++) yk[k] = theta[k] + beta * (theta[k] - prev[k]);
    lossAndGradient(yk, x, labels, n, dim, classes, weightDecay, g);
    let gMax = 0;
    for (let k = 0; k < size; k++) gMax = Math.max(gMax, Math.abs(g[k]));
    // converged: further steps would move the loss by far less than anything reported
    if (gMax < GRADIENT_TOLERANCE) break;
    steps++;
    const next = new Float64Array(size);
    let uphill = 0;
    for (let k = 0; k < size; k++) {
      next[k] = yk[k] - step * g[k];
      uphill += g[k] * (next[k] - theta[k]);
    }
    prev = theta;
    theta = next;
    // momentum that points uphill only slows convergence: drop it and start the sequence again
    t = uphill > 0 ? 1 : tNext;
  }

  const predictStd = (rows: ArrayLike<number>, m: number, name: string, whoP: string): Int32Array => {
    checkRows(whoP, name, rows, m, dim, 1);
    return argmaxRows(theta, standardise(rows, m, dim, mean, std), m, dim, classes);
  };
  const trainPred = argmaxRows(theta, x, n, dim, classes);
  let correct = 0;
  for (let i = 0; i < n; i++) if (trainPred[i] === labels[i]) correct++;
  return {
    dim,
    classes,
    weights: theta.slice(0, classes * dim),
    bias: theta.slice(classes * dim),
    mean,
    std,
    trainAccuracy: correct / n,
    trainLoss: lossAndGradient(theta, x, labels, n, dim, classes, 0, null),
    steps,
    predict: (rows, m) => predictStd(rows, m, 'rows', 'LinearProbe.predict'),
    accuracy(rows, lab, m) {
      const p = predictStd(rows, m, 'rows', 'LinearProbe.accuracy');
      checkLabels('LinearProbe.accuracy', 'labels', lab, m, classes);
      let ok = 0;
      for (let i = 0; i < m; i++) if (p[i] === lab[i]) ok++;
      return ok / m;
    },
  };
}

export interface LinearProbeResult {
  trainAccuracy: number;
  testAccuracy: number;
  /** 1 / classes, for reading testAccuracy. */
  chance: number;
  probe: LinearProbe;
}

/** Trains a probe on the labelled rows and evaluates it on the test rows (same `dim`). */
export function linearProbeAccuracy(
  trainFeatures: ArrayLike<number>,
  trainLabels: ArrayLike<number>,
  nTrain: number,
  testFeatures: ArrayLike<number>,
  testLabels: ArrayLike<number>,
  nTest: number,
  dim: number,
  classes: number,
  opts: LinearProbeOptions = {},
): LinearProbeResult {
  checkPositiveInt('linearProbeAccuracy', 'dim', dim);
  checkRows('linearProbeAccuracy', 'testFeatures', testFeatures, nTest, dim, 1);
  checkLabels('linearProbeAccuracy', 'testLabels', testLabels, nTest, classes);
  const probe = trainLinearProbe(trainFeatures, trainLabels, nTrain, dim, classes, opts);
  return { trainAccuracy: probe.trainAccuracy, testAccuracy: probe.accuracy(testFeatures, testLabels, nTest), chance: 1 / classes, probe };
}
