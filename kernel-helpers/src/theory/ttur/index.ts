export * from './vectorOptimizer';
export * from './twoPlayerGame';
export * from './twoTimescale';
export * from './saddleToy';
export * from './diracGame';
export * from './gaussianGame2d';
export * from './ratioSweep';
