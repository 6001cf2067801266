/**
 * The course's kernel: the project's own tslab, with hints under its two most common
 * compiler errors (hints.ts). Registered by `gan-course kernel install` as
 * `node cli/dist/kernel/tslabKernel.js kernel --config-path {connection_file}`.
 */
import * as path from 'path';
import { format } from 'util';
import { withHints } from './hints';

const tslab = path.join(path.dirname(require.resolve('tslab/package.json')), 'dist', 'main.js');
console.error = withHints(console.error.bind(console), format);
(require(tslab) as { main(): void }).main();
