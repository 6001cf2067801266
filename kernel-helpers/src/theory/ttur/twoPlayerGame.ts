/**
 * A differentiable two-player game in the GAN convention: the generator's parameters g and
 * the discriminator's parameters d, each player minimising its own loss. Gradients may be
 * stochastic (minibatches, added noise): they receive the run's random stream.
 */
import type { Rng } from '../../core/random';

export interface TwoPlayerGame {
  readonly name: string;
  /** Starting parameters of the generator and the discriminator. */
  init(): { g: number[]; d: number[] };
  /** Gradient of the generator's loss with respect to g (possibly a noisy estimate). */
  gradG(g: number[], d: number[], r: Rng): number[];
  /** Gradient of the discriminator's loss with respect to d (possibly a noisy estimate). */
  gradD(g: number[], d: number[], r: Rng): number[];
  /** Distance of the current state from the game's equilibrium (the convergence measure). */
  error(g: number[], d: number[]): number;
}
