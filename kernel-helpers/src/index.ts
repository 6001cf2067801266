/**
 * kernel-helpers: the GAN course's shared library. This is its one public entry point; each
 * area lists its public names in `src/<area>/index.ts` (internals stay in their modules).
 *
 * Layers, lowest first; a module imports only from its own area or from lower ones
 * (test/unit/layout.test.ts checks it):
 *   core       random numbers, quick/full mode, interrupts, argument checks
 *   backend    TensorFlow.js, backend choice, the wasm and native training kernels
 *   theory     plain-number theory: divergences, games, optimal transport, TTUR
 *   data       toy distributions, digits
 *   sampling   Gaussian mixtures, importance weights, annealed importance sampling
 *   nn         the network vocabulary: Net, layers, activations, optimisers, schedules, EMA
 *   lipschitz  weight clipping, spectral normalisation, Lipschitz bounds
 *   gan        losses, penalties, the training loop, model factories
 *   metrics    mode coverage, the digit classifier and its distances
 *   plot       chart builders (plain Vega-Lite and Plotly specs)
 *   studies    multi-run experiments (the loss study, critic shapes)
 *   display    show(): MIME bundles, PNG fallbacks, live dashboards
 *   exercises  check helpers for graded exercises
 */
export * from './core';
export * from './backend';
export * from './theory';
export * from './data';
export * from './sampling';
export * from './nn';
export * from './lipschitz';
export * from './gan';
export * from './metrics';
export * from './plot';
export * from './studies';
export * from './display';
export * from './exercises';
