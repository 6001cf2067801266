export * from './mode';
export * from './random';
export * from './interrupt';
