// Mixtures and importance weights (plain numbers)
export { gaussianMixture, standardNormalMixture, mixtureLogDensity, sampleMixture, fitMixtureEM, smoothMixture } from './gaussianMixture';
export type { DiagonalGaussianMixture, GaussianMixtureSpec, StandardNormalMixtureOptions, MixtureSample, FitMixtureEMOptions, FitMixtureEMResult } from './gaussianMixture';
export { selfNormalizedWeights, effectiveSampleSize, logMeanExp, standardNormalLogDensity } from './importanceWeights';
// Annealed importance sampling (TensorFlow.js)
export { ANNEALING_SCHEDULES, annealingSchedule, checkSchedule } from './schedules';
export type { AnnealingScheduleKind, AnnealingScheduleOptions } from './schedules';
export { hmcStep } from './hmc';
export type { HmcStepOptions, HmcStepResult } from './hmc';
export { annealedImportanceSampling } from './ais';
export type { AisOptions, AisResult } from './ais';
export { quadratureLogLikelihood } from './quadrature';
export type { QuadratureOptions } from './quadrature';
