/** The notebook runner: a tslab kernel client and notebook execution. */
export * from './protocol';
export * from './connection';
export * from './kernelspec';
export * from './notebook';
export * from './kernel-session';
export * from './run-notebook';
export * from './run-times';
export * from './front-ends';
