export * from './toy2d';
export * from './mixture1d';
export * from './digits';
