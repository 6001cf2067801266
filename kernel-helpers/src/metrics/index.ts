export * from './modeCoverage';
export * from './digits';
