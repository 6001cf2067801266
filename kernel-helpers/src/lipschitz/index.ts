export { largestSingularValue, powerIteration } from './matrix';
export { kernelSpectralNorm, networkLipschitzBound, inputGradientNorms } from './networkBound';
export type { LipschitzBound } from './networkBound';
export { spectralNormalization } from './spectralNorm';
export type { KernelLayer, SpectralNormalization } from './spectralNorm';
export { clipWeights, weightClipper, saturatedShare } from './weightClipping';
