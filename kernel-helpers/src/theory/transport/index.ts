export * from './metric';
export * from './lpSolver';
export * from './primalLp';
export * from './krDual';
export * from './oneDimensional';
export * from './assignment';
export * from './sampleW1';
export { MASS_TOLERANCE } from './checks';
