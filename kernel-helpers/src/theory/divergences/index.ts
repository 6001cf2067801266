export * from './discrete';
export * from './grid';
export * from './optimalDiscriminator';
export * from './generatorLoss';
export * from './gaussianFit';
export * from './parallelLines';
export * from './kernelDensity';
