export { CheckError, check } from './check';
export type { CloseOptions, Check } from './check';
export { SOLUTION_STUB_LINES, NOT_IMPLEMENTED_MESSAGE } from './notImplemented';

// Frozen, so the package root's re-export of `check` is not configurable either.
Object.freeze(module.exports);
