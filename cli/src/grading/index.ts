/** Exercises: nbgrader-compatible format, student versions, grading and the gradebook. */
export * from './nbgrader-cell';
export * from './checksum';
export * from './markers';
export * from './exercise-format';
export * from './student-version';
export * from './merge-submission';
export * from './error-text';
export * from './run-graded';
export * from './score';
export * from './feedback';
export * from './gradebook';
export * from './grade-submission';
export * from './grade-class';
