export * from './mode';
export * from './random';
export * from './interrupt';
export * from './tf';
export * from './backend';
export * from './memory';
export { installWasmTrainingKernels, wasmTrainingKernels } from './wasm-kernels';
export { referenceStep, REFERENCE_MODELS } from './benchmark/reference-steps';
export type { ReferenceModel, ReferenceStep } from './benchmark/reference-steps';
