/**
 * Annealing schedules for annealed importance sampling: the inverse temperatures
 * 0 = beta_0 < beta_1 < ... < beta_T < beta_{T+1} = 1 of the intermediate distributions
 * f_t(z) = p(z) p(x|z)^{beta_t} between the prior (beta = 0) and the unnormalised posterior
 * (beta = 1) (Neal 2001, "Annealed importance sampling").
 *
 * Where the betas sit matters as much as how many there are: the log-weight increments
 * (beta_t - beta_{t-1}) log p(x|z) are largest where log p(x|z) changes fastest in beta,
 * which for a sharp likelihood is at the very start. Hence the geometric schedule, and the
 * sigmoid one that Grosse, Ghahramani and Adams 2015 ("Sandwiching the marginal likelihood
 * using bidirectional Monte Carlo") and Wu, Burda, Salakhutdinov and Grosse 2017 ("On the
 * quantitative analysis of decoder-based generative models") use, which packs betas at both
 * ends.
 */
import { argumentError, checkKnownOptions, checkNonNegativeInt, checkOneOf, checkPositive } from '../core/args';

export const ANNEALING_SCHEDULES = ['linear', 'geometric', 'sigmoid'] as const;
export type AnnealingScheduleKind = (typeof ANNEALING_SCHEDULES)[number];

export interface AnnealingScheduleOptions {
  /** geometric: the first intermediate beta, in (0, 1) (default 1e-4). */
  start?: number;
  /** sigmoid: the half-width of the logistic's argument, > 0 (default 4, Wu et al.'s value). */
  delta?: number;
}

/**
 * The betas for `intermediate` = T intermediate distributions: T + 2 entries, exactly 0 first
 * and exactly 1 last; `intermediate = 0` gives [0, 1], which is plain importance sampling
 * from the prior.
 *
 * - linear:    beta_t = t / (T + 1).
 * - geometric: beta_t = start^((T + 1 - t) / T) for t = 1..T+1, i.e. log-evenly spaced from
 *              beta_1 = start to beta_{T+1} = 1, with beta_0 = 0 put in front (a geometric
 *              sequence never reaches 0 by itself).
 * - sigmoid:   s_t = sigmoid(delta (2t / (T + 1) - 1)), rescaled as (s_t - s_0) / (s_{T+1} - s_0)
 *              so that the ends are exactly 0 and 1; symmetric: beta_t + beta_{T+1-t} = 1.
 */
export function annealingSchedule(kind: AnnealingScheduleKind, intermediate: number, opts: AnnealingScheduleOptions = {}): Float64Array {
  const who = 'annealingSchedule';
  checkOneOf(who, 'kind', kind, ANNEALING_SCHEDULES);
  checkNonNegativeInt(who, 'intermediate', intermediate);
  checkKnownOptions(who, opts, ['start', 'delta']);
  const n = intermediate + 2;
  const last = intermediate + 1;
  const betas = new Float64Array(n);
  if (kind === 'linear') {
    for (let t = 1; t < last; t++) betas[t] = t / last;
  } else if (kind === 'geometric') {
    const start = opts.start ?? 1e-4;
    if (typeof start !== 'number' || !(start > 0 && start < 1)) throw argumentError(who, 'opts.start', 'a number in (0, 1)', start);
    const logStart = Math.log(start);
    for (let t = 1; t < last; t++) betas[t] = Math.exp(logStart * ((last - t) / intermediate));
  } else {
    const delta = opts.delta ?? 4;
    checkPositive(who, 'opts.delta', delta);
    const sigmoid = (t: number) => 1 / (1 + Math.exp(-delta * ((2 * t) / last - 1)));
    const lo = sigmoid(0);
    const span = sigmoid(last) - lo;
    for (let t = 1; t < last; t++) betas[t] = (sigmoid(t) - lo) / span;
  }
  betas[last] = 1;
  // A huge delta or a tiny start can make neighbouring betas equal in float64; say so here
  // rather than let AIS run on a schedule with repeated temperatures.
  return checkSchedule(who, betas);
}

/**
 * A copy of `schedule` as float64, after checking it is an annealing schedule: at least two
 * entries, no NaN, 0 first, 1 last, strictly increasing. Errors name the first bad index.
 */
export function checkSchedule(who: string, schedule: ArrayLike<number>): Float64Array {
  if (schedule == null || typeof schedule !== 'object' || typeof schedule.length !== 'number') {
    throw argumentError(who, 'schedule', 'an array of betas from 0 to 1', schedule);
  }
  const n = schedule.length;
  if (n < 2) throw new Error(`${who}: schedule must have at least 2 entries (0 first, 1 last), got ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = schedule[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw argumentError(who, `schedule[${i}]`, 'a finite number', v);
    if (i === 0) {
      if (v !== 0) throw argumentError(who, 'schedule[0]', '0 (the prior)', v);
    } else {
      if (!(v > out[i - 1])) throw argumentError(who, `schedule[${i}]`, `> schedule[${i - 1}] (${out[i - 1]})`, v);
      if (v > 1) throw argumentError(who, `schedule[${i}]`, '<= 1', v);
      if (i === n - 1 && v !== 1) throw argumentError(who, `schedule[${i}]`, '1 (the posterior), the last entry', v);
    }
    out[i] = v;
  }
  return out;
}
