/**
 * The two-point mode-collapse toy: data puts mass p (default 1/2) on -1 and 1 - p on +1; the
 * generator puts mass q on -1 and 1 - q on +1. Full coverage is q = p; collapse is q near 0 or 1.
 * The training landscape is modelled with u = (q - p)/p for q < p and (q - p)/(1 - p) for q >= p
 * (so u = -1, 0, 1 at q = 0, p, 1) as L(q) = a u^2 - b u^4: its global minimum is q = p (L = 0)
 * when a > b, and for b > a/2 the collapsed ends q = 0 and q = 1 are local minima too
 * (L = a - b), behind barriers at u^2 = a/(2b). A generator that starts near collapse slides
 * into it. The cure: an entropy bonus, minimise L(q) - lambda H(q) with lambda annealed from
 * large (a unique minimum, near 1/2) to 0 (homotopy continuation back to q = p). A constant
 * large lambda would also escape collapse but bias q towards 1/2 when p != 1/2.
 * Optimisation runs on the logit s = log(q/(1-q)) so q stays inside (0, 1).
 */
import { argumentError, checkInRange, checkNonNegative, checkNonNegativeInt, checkPositive } from '../../core/args';

export interface TwoPointLandscape {
  /** Pull towards q = 1/2 (default 1). */
  a: number;
  /** Pull towards collapse (default 0.9). */
  b: number;
  /** The data's mass on -1, in (0, 1) (default 1/2). */
  dataShare?: number;
}

export const DEFAULT_TWO_POINT: TwoPointLandscape = { a: 1, b: 0.9 };

/** A probability strictly inside (0, 1). */
function checkOpenUnit(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !(v > 0 && v < 1)) throw argumentError(who, name, 'in (0, 1)', v);
}

function checkLandscape(who: string, name: string, l: TwoPointLandscape): void {
  if (l == null || typeof l !== 'object') throw argumentError(who, name, 'an object { a, b, dataShare? }', l);
  checkPositive(who, `${name}.a`, l.a);
  checkNonNegative(who, `${name}.b`, l.b);
  checkOpenUnit(who, `${name}.dataShare`, l.dataShare ?? 0.5);
}

/** u(q) and du/dq: -1 at q = 0, 0 at the data share, +1 at q = 1. */
function coordinate(q: number, l: TwoPointLandscape): { u: number; du: number } {
  const p = l.dataShare ?? 0.5;
  return q < p ? { u: (q - p) / p, du: 1 / p } : { u: (q - p) / (1 - p), du: 1 / (1 - p) };
}

export function twoPointLoss(q: number, landscape: TwoPointLandscape = DEFAULT_TWO_POINT): number {
  checkInRange('twoPointLoss', 'q', q, 0, 1, { closed: true });
  checkLandscape('twoPointLoss', 'landscape', landscape);
  const { u } = coordinate(q, landscape);
  return landscape.a * u * u - landscape.b * u ** 4;
}

/** dL/dq. */
export function twoPointLossGradient(q: number, landscape: TwoPointLandscape = DEFAULT_TWO_POINT): number {
  const { u, du } = coordinate(q, landscape);
  return (2 * landscape.a * u - 4 * landscape.b * u ** 3) * du;
}

/** H(q) = -q log q - (1 - q) log(1 - q), in nats; maximal (log 2) at q = 1/2. */
export function binaryEntropy(q: number): number {
  checkInRange('binaryEntropy', 'q', q, 0, 1, { closed: true });
  const t = (p: number) => (p > 0 ? -p * Math.log(p) : 0);
  return t(q) + t(1 - q);
}

/** L(q) - lambda H(q). */
export function entropyRegularisedLoss(q: number, lambda: number, landscape: TwoPointLandscape = DEFAULT_TWO_POINT): number {
  checkNonNegative('entropyRegularisedLoss', 'lambda', lambda);
  return twoPointLoss(q, landscape) - lambda * binaryEntropy(q);
}

export interface AnnealRun {
  /** Initial generator mass on -1, in (0, 1). */
  q0: number;
  /** Learning rate on the logit of q. */
  lr: number;
  /** Steps of the annealing phase. */
  steps: number;
  /** lambda at the first step (0 = no bonus). */
  lambdaStart: number;
  /** lambda at the last annealing step; decay is geometric from lambdaStart to lambdaEnd (default lambdaStart / 1000). */
  lambdaEnd?: number;
  /** Extra steps with lambda = 0 after annealing (default 0). */
  finalSteps?: number;
  landscape?: TwoPointLandscape;
}

export interface AnnealTrajectory {
  q: number[];
  lambda: number[];
}

/** Gradient descent on s = logit(q) of L(q) - lambda_t H(q). */
export function annealedEntropyDescent(run: AnnealRun): AnnealTrajectory {
  const { q0, lr, steps, lambdaStart, finalSteps = 0, landscape = DEFAULT_TWO_POINT } = run;
  const lambdaEnd = run.lambdaEnd ?? lambdaStart / 1000;
  checkOpenUnit('annealedEntropyDescent', 'q0', q0);
  checkPositive('annealedEntropyDescent', 'lr', lr);
  checkNonNegativeInt('annealedEntropyDescent', 'steps', steps);
  checkNonNegativeInt('annealedEntropyDescent', 'finalSteps', finalSteps);
  checkNonNegative('annealedEntropyDescent', 'lambdaStart', lambdaStart);
  checkNonNegative('annealedEntropyDescent', 'lambdaEnd', lambdaEnd);
  if (lambdaEnd > lambdaStart) throw argumentError('annealedEntropyDescent', 'lambdaEnd', `<= lambdaStart (${lambdaStart})`, lambdaEnd);
  if (lambdaStart > 0 && lambdaEnd === 0) throw argumentError('annealedEntropyDescent', 'lambdaEnd', '> 0 for a geometric schedule (use finalSteps for the lambda = 0 phase)', lambdaEnd);
  checkLandscape('annealedEntropyDescent', 'landscape', landscape);
  let s = Math.log(q0 / (1 - q0));
  const q: number[] = [q0];
  const lambdas: number[] = [];
  const total = steps + finalSteps;
  for (let t = 0; t < total; t++) {
    const lambda = t >= steps || lambdaStart === 0 ? 0 : lambdaStart * Math.pow(lambdaEnd / lambdaStart, steps > 1 ? t / (steps - 1) : 0);
    const qt = 1 / (1 + Math.exp(-s));
    // dF/dq with H'(q) = log((1 - q)/q) = -s; chain rule dq/ds = q (1 - q).
    const grad = (twoPointLossGradient(qt, landscape) + lambda * s) * qt * (1 - qt);
    s -= lr * grad;
    lambdas.push(lambda);
    q.push(1 / (1 + Math.exp(-s)));
  }
  return { q, lambda: lambdas };
}
