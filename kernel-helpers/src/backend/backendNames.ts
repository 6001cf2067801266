/** The backends `initBackend` knows, fastest first (a module of its own: it loads no TensorFlow.js). */
export const BACKEND_NAMES = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** tfjs's registered names of the backends whose tensors live in main memory (reading their data costs no transfer). */
export const MAIN_MEMORY_BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm', 'tensorflow']);
