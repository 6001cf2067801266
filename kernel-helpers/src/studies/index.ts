export * from './toyTasks';
export * from './evaluate';
export * from './toyGan';
export * from './lossStudy';
export * from './criticShape';
export * from './lossStudyRecord';
export * from './lossStudyView';
