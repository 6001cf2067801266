export * from './digitClassifier';
export * from './frechetDistance';
export * from './stackedModes';
export * from './generatorReport';
