/**
 * The GAN area: networks, losses, penalties and the one training loop every chapter uses.
 *
 *   const G = mlpGenerator({ seed: 1 });            // [n, 2] -> [n, 2]
 *   const D = mlpDiscriminator({ seed: 2 });        // [n, 2] -> [n, 1] logits
 *   const result = await train({
 *     generator: G, discriminator: D,
 *     sampleReal: (n) => ..., sampleLatent: (n) => tf.randomNormal([n, 2]),
 *     loss: 'relativisticPaired', penalties: { r1: 1, r2: 1 },
 *     lrD: 4e-4, lrG: 1e-4, betas: [0, 0.99], batchSize: 256, steps: 2000, ema: 0.999,
 *     callbacks: trainingDashboard({ title: 'RpGAN + R1 + R2' }),
 *   });
 *
 * Every activation offered for discriminators has correct second derivatives, so R1, R2
 * and the gradient penalty are right (finite-difference tests in test/unit/gan).
 */
export * from './net';
export * from './layerOptions';
export * from './activations';
export * from './init';
export * from './dense';
export * from './conv2d';
export * from './conv2dTranspose';
export * from './reshapeLayers';
export * from './mlp';
export * from './dcgan';
export * from './residual';
export * from './gru';
export * from './sequenceNets';
export * from './losses';
export * from './penalties';
export * from './schedules';
export * from './optimizers';
export * from './ema';
export * from './train';
