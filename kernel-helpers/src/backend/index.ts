export { BACKEND_NAMES, BACKEND_ENV, initBackend, describeBackend } from './backend';
export type { BackendName, BackendInfo, InitBackendOptions } from './backend';
export { memoryReport } from './memory';
export type { MemoryReport } from './memory';
export { NATIVE_BLAS_ENV, nativeBlas, nativeBlasStatus, setNativeBlasEnabled } from './nativeBlas';
export { tf } from './tf';
export { reshape, dispose } from './wasmKernels/wasmContext';
export { MULTI_THREAD_FLOPS, MULTI_THREAD_ELEMENTS, wasmPoolsStatus } from './wasmPools';
export { installWasmTrainingKernels, wasmTrainingKernels } from './wasmKernels';
// Ops tfjs lacks on a gradient tape, the course's gradients kept in force, corrected cpu kernels.
export { floatMask, greaterMask, stopGradient } from './tfjsExtras';
export type { CompareOp } from './tfjsExtras';
export { ensureCourseGradients, replacedCourseGradients } from './courseGradients';
export { cpuKernelFixes, installCpuKernelFixes } from './cpuKernels';
// webgpu (optional packages): the adapter in use, a probe for doctor, the limits the course needs.
export { webgpuAdapter, probeWebgpu, isSoftwareAdapter, webgpuLimitProblems, WEBGPU_REQUIRED_LIMITS, WEBGPU_API_ENV, WEBGPU_APIS, WebgpuSyncReadError } from './webgpuBackend';
export type { WebgpuAdapter, WebgpuApi, WebgpuStart } from './webgpuBackend';
