/**
 * Hamiltonian Monte Carlo (Duane, Kennedy, Pendleton and Roweth 1987; Neal 2011, "MCMC using
 * Hamiltonian dynamics") for a batch of independent chains, one chain per row of z, each row
 * with its own target: the transition annealed importance sampling uses (Neal 2001; Wu,
 * Burda, Salakhutdinov and Grosse 2017, whose decoder-based AIS runs HMC in the latent space).
 *
 * One transition: draw a momentum p ~ N(0, I), run L leapfrog steps of the dynamics with
 * potential -log f(z) and kinetic energy |p|^2 / 2, and accept the end point with probability
 * min(1, exp(H_start - H_end)), row by row. The leapfrog map is volume-preserving and
 * reversible, so this Metropolis test makes the transition leave each row's f invariant,
 * whatever the step size, and a rejected row simply stays where it was.
 *
 * Cost: the rows share every tensor op, so a transition is L gradient evaluations of the
 * whole batch (one tf.grad each) plus one read of three numbers per row for the accept test,
 * which is done on the host in float64. The internals below keep the gradient at the current
 * point between transitions, which is what lets AIS change the temperature without paying
 * for an extra evaluation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkKnownOptions, checkPositive, checkPositiveInt } from '../core/args';
import type { Rng } from '../core/random';

/**
 * The target HMC runs on, split so that a change of temperature needs no new evaluation:
 *   log f(z) = (prior ? -|z|^2 / 2 : 0) + beta * ell(z)   (up to a constant).
 * `ell` maps z [n, k] to one value per row, [n]; rows must not interact.
 */
export interface SplitTarget {
  ell: (z: tf.Tensor2D) => tf.Tensor1D;
  beta: number;
  prior: boolean;
}

/**
 * A batch of chains at their current points. The state owns `gradEll`; `z` belongs to whoever
 * created it (the caller of `hmcStep`, or the AIS loop). ell and zz are float32 device values
 * carried on the host as float64.
 */
export interface ChainState {
  /** [n, k] */
  z: tf.Tensor2D;
  /** grad_z ell(z), [n, k] */
  gradEll: tf.Tensor2D;
  /** ell(z) per row, [n] */
  ell: Float64Array;
  /** |z|^2 per row, [n] */
  zz: Float64Array;
}

/** Throws unless v is one value per row, [rows]. */
function checkRowValues(who: string, v: unknown, rows: number): void {
  if (!(v instanceof tf.Tensor) || v.rank !== 1 || v.shape[0] !== rows) {
    throw new Error(`${who}: the log-density must give one value per row, shape [${rows}], got ${v instanceof tf.Tensor ? `[${v.shape.join(', ')}]` : String(v)}`);
  }
}

/** ell(z) per row and the gradient of its sum (= each row's own gradient, rows being independent). */
export function ellAndGradient(who: string, ell: (z: tf.Tensor2D) => tf.Tensor1D, z: tf.Tensor2D): { value: tf.Tensor1D; grad: tf.Tensor2D } {
  const rows = z.shape[0];
  const box: { value?: tf.Tensor1D } = {};
  const grad = tf.grad((zi: tf.Tensor) => {
    const v = ell(zi as tf.Tensor2D);
    checkRowValues(who, v, rows);
    // Kept so that it outlives tf.grad's forward scope: the accept test needs the values.
    box.value = tf.keep(v);
    return tf.sum(v);
  })(z) as tf.Tensor2D;
  return { value: box.value as tf.Tensor1D, grad };
}

/** ell(z) and |z|^2 per row as one [2, n] tensor (one read), and the gradient of ell. */
export function evaluateChains(who: string, ell: (z: tf.Tensor2D) => tf.Tensor1D, z: tf.Tensor2D): { gradEll: tf.Tensor2D; summary: tf.Tensor2D } {
  const { value, grad } = ellAndGradient(who, ell, z);
  const summary = tf.tidy(() => tf.stack([value, tf.sum(tf.square(z), 1)]) as tf.Tensor2D);
  value.dispose();
  return { gradEll: grad, summary };
}

/** Builds the state from `evaluateChains`'s output and the read of its summary; disposes the summary. */
export function chainState(z: tf.Tensor2D, evaluated: { gradEll: tf.Tensor2D; summary: tf.Tensor2D }, summaryValues: ArrayLike<number>): ChainState {
  const n = z.shape[0];
  evaluated.summary.dispose();
  const ell = new Float64Array(n);
  const zz = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    ell[r] = summaryValues[r];
    zz[r] = summaryValues[n + r];
  }
  return { z, gradEll: evaluated.gradEll, ell, zz };
}

/** A leapfrog trajectory's end point, with what the accept test needs. */
export interface Proposal {
  z: tf.Tensor2D;
  gradEll: tf.Tensor2D;
  /** [3, n]: ell, |z|^2 and |p|^2 at the end point; read it and pass the values to `acceptProposal`. */
  summary: tf.Tensor2D;
  /** |p|^2 of the initial momentum per row (from the float32 values the device used). */
  pp0: Float64Array;
  /** The uniforms of the accept test, drawn with the momenta so the random stream does not depend on outcomes. */
  u: Float64Array;
}

function logTargetGradient(target: SplitTarget, z: tf.Tensor2D, gradEll: tf.Tensor2D): tf.Tensor2D {
  const scaled = target.beta === 1 ? gradEll : tf.mul(gradEll, target.beta);
  return (target.prior ? tf.sub(scaled, z) : scaled) as tf.Tensor2D;
}

/**
 * Runs L leapfrog steps from `state` with per-row step sizes. The state is left as it was;
 * the proposal's tensors are new.
 */
export function leapfrogProposal(who: string, target: SplitTarget, state: ChainState, stepSizes: Float64Array, leapfrogSteps: number, random: Rng): Proposal {
  const [n, k] = state.z.shape;
  const momentum = new Float32Array(n * k);
  for (let i = 0; i < momentum.length; i++) momentum[i] = random.normal();
  const pp0 = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += momentum[r * k + j] ** 2;
    pp0[r] = s;
  }
  const u = new Float64Array(n);
  for (let r = 0; r < n; r++) u[r] = random.uniform();

  const eps = tf.tensor2d(Float32Array.from(stepSizes), [n, 1]);
  const halfEps = tf.mul(eps, 0.5);
  let p = tf.tidy(() => tf.add(tf.tensor2d(momentum, [n, k]), tf.mul(halfEps, logTargetGradient(target, state.z, state.gradEll))) as tf.Tensor2D);
  let z = state.z;
  let gradEll = state.gradEll;
  let value: tf.Tensor1D | null = null;
  try {
    for (let l = 1; l <= leapfrogSteps; l++) {
      const zPrev = z;
      const gPrev = gradEll;
      const pPrev = p;
      const vPrev = value;
      const next = tf.tidy(() => {
        const zNew = tf.add(zPrev, tf.mul(eps, pPrev)) as tf.Tensor2D;
        const ev = ellAndGradient(who, target.ell, zNew);
        // The last half step of momentum only matters for the kinetic energy in the accept test.
        const pNew = tf.add(pPrev, tf.mul(l < leapfrogSteps ? eps : halfEps, logTargetGradient(target, zNew, ev.grad))) as tf.Tensor2D;
        return { z: zNew, gradEll: ev.grad, p: pNew, value: ev.value };
      });
      z = next.z;
      gradEll = next.gradEll;
      p = next.p;
      value = next.value;
      if (zPrev !== state.z) zPrev.dispose();
      if (gPrev !== state.gradEll) gPrev.dispose();
      pPrev.dispose();
      vPrev?.dispose();
    }
    const v = value as tf.Tensor1D;
    const zEnd = z;
    const pEnd = p;
    const summary = tf.tidy(() => tf.stack([v, tf.sum(tf.square(zEnd), 1), tf.sum(tf.square(pEnd), 1)]) as tf.Tensor2D);
    return { z, gradEll, summary, pp0, u };
  } catch (e) {
    if (z !== state.z) z.dispose();
    if (gradEll !== state.gradEll) gradEll.dispose();
    throw e;
  } finally {
    p.dispose();
    value?.dispose();
    eps.dispose();
    halfEps.dispose();
  }
}

/**
 * The Metropolis test, on the host in float64: H = -log f(z) + |p|^2 / 2, accept row r when
 * log u_r < H_start - H_end. A NaN or infinite end energy compares false and is rejected.
 * Returns the new state (new z and gradEll tensors, chosen row by row) and disposes the
 * proposal and the old state's gradEll; the old z is the caller's to dispose.
 */
export function acceptProposal(target: SplitTarget, state: ChainState, proposal: Proposal, summaryValues: ArrayLike<number>): { state: ChainState; accepted: Uint8Array; acceptance: number } {
  const n = state.z.shape[0];
  const accepted = new Uint8Array(n);
  const ell = new Float64Array(n);
  const zz = new Float64Array(n);
  const half = target.prior ? 0.5 : 0;
  let count = 0;
  for (let r = 0; r < n; r++) {
    const ell1 = summaryValues[r];
    const zz1 = summaryValues[n + r];
    const pp1 = summaryValues[2 * n + r];
    const h0 = half * state.zz[r] - target.beta * state.ell[r] + 0.5 * proposal.pp0[r];
    const h1 = half * zz1 - target.beta * ell1 + 0.5 * pp1;
    const ok = Math.log(proposal.u[r]) < h0 - h1;
    accepted[r] = ok ? 1 : 0;
    count += accepted[r];
    ell[r] = ok ? ell1 : state.ell[r];
    zz[r] = ok ? zz1 : state.zz[r];
  }
  const { z, gradEll } = tf.tidy(() => {
    const mask = tf.tensor2d(accepted, [n, 1], 'bool');
    return { z: tf.where(mask, proposal.z, state.z) as tf.Tensor2D, gradEll: tf.where(mask, proposal.gradEll, state.gradEll) as tf.Tensor2D };
  });
  proposal.z.dispose();
  proposal.gradEll.dispose();
  proposal.summary.dispose();
  state.gradEll.dispose();
  return { state: { z, gradEll, ell, zz }, accepted, acceptance: count / n };
}

export interface HmcStepOptions {
  /** Leapfrog step size per row, [n], each > 0: chains (or data points) adapt their own. */
  stepSizes: Float64Array;
  /** Leapfrog steps L per transition (>= 1). */
  leapfrogSteps: number;
  /** Draws the momenta and the accept-test uniforms (host side, so runs repeat on every backend). */
  random: Rng;
}

export interface HmcStepResult {
  /** The chains after the transition, [n, k], a new tensor (the input z is not disposed). */
  z: tf.Tensor2D;
  /** 1 where row r's proposal was accepted, [n]. */
  accepted: Uint8Array;
  /** Share of rows accepted. */
  acceptance: number;
}

function checkRandom(who: string, random: Rng): void {
  if (random == null || typeof random.normal !== 'function' || typeof random.uniform !== 'function') {
    throw argumentError(who, 'opts.random', 'a random stream (rng(seed))', random);
  }
}

/** Checks what every HMC entry point shares: z [n, k] float32, one positive step size per row, L >= 1. */
export function checkHmcArguments(who: string, z: tf.Tensor, stepSizes: Float64Array, leapfrogSteps: number, rows: number): void {
  if (!(z instanceof tf.Tensor) || z.rank !== 2) throw argumentError(who, 'z', 'a tf.Tensor2D [rows, dim]', z instanceof tf.Tensor ? `shape [${z.shape.join(', ')}]` : z);
  if (z.dtype !== 'float32') throw argumentError(who, 'z', 'float32', z.dtype);
  if (!(stepSizes instanceof Float64Array) || stepSizes.length !== rows) {
    throw argumentError(who, 'opts.stepSizes', `a Float64Array with one step size per row (${rows})`, stepSizes instanceof Float64Array ? `${stepSizes.length} entries` : stepSizes);
  }
  for (let r = 0; r < rows; r++) checkPositive(who, `opts.stepSizes[${r}]`, stepSizes[r]);
  checkPositiveInt(who, 'opts.leapfrogSteps', leapfrogSteps);
}

/**
 * One HMC transition for every row of z [n, k], row r leaving exp(logTarget(z)_r) invariant.
 * `logTarget` maps [n, k] to [n] unnormalised log-densities and must be differentiable with
 * tf.grad; rows must not interact (the gradient of the sum is taken as each row's gradient).
 * Costs L + 1 gradient evaluations (the one at the start is not kept between calls; AIS keeps
 * it) and one plain evaluation that checks the output's shape, and reads two small tensors
 * with dataSync, so run it on cpu, wasm or a native backend (AIS itself awaits its reads).
 */
export function hmcStep(logTarget: (z: tf.Tensor2D) => tf.Tensor1D, z: tf.Tensor2D, opts: HmcStepOptions): HmcStepResult {
  const who = 'hmcStep';
  if (typeof logTarget !== 'function') throw argumentError(who, 'logTarget', 'a function from [n, k] to [n] log-densities', logTarget);
  if (opts == null) throw argumentError(who, 'opts', 'an object with stepSizes, leapfrogSteps and random', opts);
  checkKnownOptions(who, opts, ['stepSizes', 'leapfrogSteps', 'random']);
  if (!(z instanceof tf.Tensor)) throw argumentError(who, 'z', 'a tf.Tensor2D [rows, dim]', z);
  checkHmcArguments(who, z, opts.stepSizes, opts.leapfrogSteps, z.shape[0]);
  checkRandom(who, opts.random);
  // Shape check outside any gradient tape: tfjs 4.22 leaks the tensors a tf.grad forward pass
  // saved for the backward pass when that forward pass throws.
  tf.tidy(() => checkRowValues(who, logTarget(z), z.shape[0]));
  const target: SplitTarget = { ell: logTarget, beta: 1, prior: false };
  const evaluated = evaluateChains(who, logTarget, z);
  const state = chainState(z, evaluated, evaluated.summary.dataSync());
  let proposal: Proposal;
  try {
    proposal = leapfrogProposal(who, target, state, opts.stepSizes, opts.leapfrogSteps, opts.random);
  } catch (e) {
    state.gradEll.dispose();
    throw e;
  }
  const next = acceptProposal(target, state, proposal, proposal.summary.dataSync());
  next.state.gradEll.dispose();
  return { z: next.state.z, accepted: next.accepted, acceptance: next.acceptance };
}
