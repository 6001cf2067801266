export * from './modeCoverage';
