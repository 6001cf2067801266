export { largestSingularValue, powerIteration } from './matrix';
export { kernelSpectralNorm, networkLipschitzBound, inputGradientNorms, convOperatorNorm } from './networkBound';
export type { LipschitzBound, LipschitzBoundOptions, ConvGeometry, OperatorNormOptions } from './networkBound';
export { spectralNormalization } from './spectralNorm';
export type { KernelLayer, SpectralNormalization } from './spectralNorm';
export { clipWeights, weightClipper, saturatedShare } from './weightClipping';
