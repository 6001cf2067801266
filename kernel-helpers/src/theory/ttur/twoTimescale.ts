/**
 * The two-timescale update rule (Heusel et al. 2017, "GANs trained by a two time-scale update
 * rule converge to a local Nash equilibrium"):
 *
 *   d_{n+1} = d_n - b(n) (grad_d L_D(g_n, d_n) + M_d),   g_{n+1} = g_n - a(n) (grad_g L_G(g_n, d_n) + M_g)
 *
 * with martingale-difference noise M. The theorem asks for decaying steps with
 * sum a = sum b = inf, sum a^2, sum b^2 < inf and a(n) = o(b(n)): the discriminator runs on the
 * faster timescale and tracks its best response to a generator that looks frozen to it.
 * `decayG` / `decayD` give steps lr / (1 + n / decaySteps)^decay, so that a(n)/b(n) -> 0 when
 * decayG > decayD; with both 0 the rates are the constant ones used in practice.
 */
import { rng as makeRng } from '../../core/random';
import type { TwoPlayerGame } from './twoPlayerGame';
import { checkNonNegative, checkNonNegativeInt, checkOneOf, checkPositive, checkPositiveInt } from '../../core/args';
import { ArrayAdamOptions, ArrayOptimizerKind, makeArrayOptimizer } from './arrayOptimizers';

/** The GAN setting of Adam the chapter's games use unless told otherwise (Radford et al. 2016). */
export const GAN_ADAM: Readonly<ArrayAdamOptions> = { beta1: 0.5, beta2: 0.999 };

export interface TwoTimescaleOptions {
  /** Generator learning rate alpha_G (>= 0). */
  lrG: number;
  /** Discriminator learning rate alpha_D (>= 0). */
  lrD: number;
  steps: number;
  optimizer?: ArrayOptimizerKind;
  /** Adam's options (default `GAN_ADAM`: beta1 0.5, beta2 0.999). */
  adam?: ArrayAdamOptions;
  /** Simultaneous updates (both from the same state, as in the theorem) or alternating (D first). */
  order?: 'simultaneous' | 'alternating';
  /** Exponent of the generator's step decay (0 = constant). */
  decayG?: number;
  /** Exponent of the discriminator's step decay (0 = constant). */
  decayD?: number;
  /** Steps over which the decay acts (default 100). */
  decaySteps?: number;
  /** Record every `every`-th state (default 1). */
  every?: number;
  /** Stop early once the error exceeds this (default 1e6): the run diverged. */
  divergeAbove?: number;
  seed?: number;
}

export interface TwoTimescaleRun {
  /** Step index of every recorded state. */
  step: number[];
  g: number[][];
  d: number[][];
  error: number[];
  /** True when the run left the bounded region or produced a non-finite number. */
  diverged: boolean;
}

const UPDATE_ORDERS = ['simultaneous', 'alternating'] as const;

export function simulateTwoTimescale(game: TwoPlayerGame, opts: TwoTimescaleOptions): TwoTimescaleRun {
  const who = 'simulateTwoTimescale';
  checkNonNegative(who, 'lrG', opts.lrG);
  checkNonNegative(who, 'lrD', opts.lrD);
  const {
    steps,
    optimizer = 'sgd',
    order = 'simultaneous',
    decayG = 0,
    decayD = 0,
    decaySteps = 100,
    every = 1,
    divergeAbove = 1e6,
    seed = 0,
  } = opts;
  checkNonNegativeInt(who, 'steps', steps);
  checkPositiveInt(who, 'every', every);
  checkNonNegative(who, 'decayG', decayG);
  checkNonNegative(who, 'decayD', decayD);
  checkPositive(who, 'decaySteps', decaySteps);
  checkOneOf(who, 'order', order, UPDATE_ORDERS);
  const r = makeRng(seed);
  const { g, d } = game.init();
  const optG = makeArrayOptimizer(optimizer, opts.lrG, opts.adam ?? GAN_ADAM);
  const optD = makeArrayOptimizer(optimizer, opts.lrD, opts.adam ?? GAN_ADAM);
  const run: TwoTimescaleRun = { step: [], g: [], d: [], error: [], diverged: false };
  const record = (n: number, e: number) => {
    run.step.push(n);
    run.g.push(g.slice());
    run.d.push(d.slice());
    run.error.push(e);
  };
  record(0, game.error(g, d));
  for (let n = 0; n < steps; n++) {
    optG.lr = opts.lrG / Math.pow(1 + n / decaySteps, decayG);
    optD.lr = opts.lrD / Math.pow(1 + n / decaySteps, decayD);
    if (order === 'simultaneous') {
      const gd = game.gradD(g, d, r);
      const gg = game.gradG(g, d, r);
      optD.step(d, gd);
      optG.step(g, gg);
    } else {
      optD.step(d, game.gradD(g, d, r));
      optG.step(g, game.gradG(g, d, r));
    }
    const e = game.error(g, d);
    const bad = !Number.isFinite(e) || e > divergeAbove || g.some((v) => !Number.isFinite(v)) || d.some((v) => !Number.isFinite(v));
    if (bad) {
      run.diverged = true;
      record(n + 1, Number.isFinite(e) ? e : Infinity);
      break;
    }
    if ((n + 1) % every === 0 || n + 1 === steps) record(n + 1, e);
  }
  return run;
}

/**
 * First recorded step from which the error stays below `tol` until the end of the run;
 * Infinity when the run diverged or ends above `tol`.
 */
export function stepsToConverge(run: TwoTimescaleRun, tol: number): number {
  checkPositive('stepsToConverge', 'tol', tol);
  if (run.diverged || run.error.length === 0) return Infinity;
  let k = run.error.length;
  while (k > 0 && run.error[k - 1] < tol) k--;
  return k === run.error.length ? Infinity : run.step[k];
}
