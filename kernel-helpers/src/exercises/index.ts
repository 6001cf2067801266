export * from './check';
export * from './notImplemented';
export { describe as describeValue } from './describe';
