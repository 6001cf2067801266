export type { InterruptWatch } from './interrupt';
export { courseMode, isQuick, byMode, quickModeNote } from './mode';
export type { CourseMode } from './mode';
export { rng } from './random';
export type { Rng } from './random';
