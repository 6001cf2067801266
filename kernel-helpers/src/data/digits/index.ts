export * from './mnistDigits';
export * from './stackedDigits';
