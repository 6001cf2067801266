export { CheckError, check } from './check';
export type { CloseOptions, Check } from './check';
export { SOLUTION_STUB_LINES, NOT_IMPLEMENTED_MESSAGE } from './notImplemented';
