/** Options every weight-bearing layer (dense, conv, conv-transpose, GRU) shares. */
import type { Activation } from './activations';
import type { Init, SeedLike } from './init';
import type { WeightTransform } from './net';

export interface WeightLayerOptions {
  init?: Init;
  /** Applied to the layer's kernel at every forward pass (e.g. spectral normalisation). */
  weightTransform?: WeightTransform;
  name?: string;
  /** Position among the network's weight-bearing layers (passed to `weightTransform`). */
  index?: number;
  seed?: SeedLike;
}

/** The feed-forward layers' options on top of those: activation, bias and initial scale. */
export interface FeedForwardLayerOptions extends WeightLayerOptions {
  activation?: Activation;
  useBias?: boolean;
  /** Scales the initial kernel; 0 gives a zero-initialised layer (identity residual branches). */
  initGain?: number;
}
