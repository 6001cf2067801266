export * from './matrix';
export * from './weightClipping';
export * from './spectralNorm';
export * from './networkBound';
