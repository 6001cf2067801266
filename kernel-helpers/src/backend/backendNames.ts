/** The backends `initBackend` knows, fastest first (a module of its own: it loads no TensorFlow.js). */
export const BACKEND_NAMES = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
