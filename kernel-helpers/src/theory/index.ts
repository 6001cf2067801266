export * from './divergences';
export * from './dynamics';
export * from './transport';
export * from './ttur';
