export type { InterruptWatch } from './interrupt';
export { courseMode, isQuick, byMode } from './mode';
export type { CourseMode } from './mode';
export { rng } from './random';
export type { Rng } from './random';
