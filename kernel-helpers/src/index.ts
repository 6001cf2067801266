/**
 * kernel-helpers: the GAN course's shared library. This is its one public entry point;
 * each area re-exports its own public API from `src/<area>/index.ts`.
 *
 * Layers (lower never imports upper):
 *   runtime -> theory, data -> gan, lipschitz -> metrics, studies -> plot -> display, exercises
 */
export * from './runtime';
export * from './theory';
export * from './data';
export * from './gan';
export * from './lipschitz';
export * from './metrics';
export * from './studies';
export * from './plot';
export * from './display';
export * from './exercises';
