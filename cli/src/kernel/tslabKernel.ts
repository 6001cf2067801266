/**
 * The course's kernel: the project's own tslab, with hints under its two most common
 * compiler errors (hints.ts), and its sockets' sends serialised (kernel-helpers'
 * exercises/sendQueue.ts: without it a kernel dies after ~250 cells). Registered by `gan-course kernel install` as
 * `node cli/dist/kernel/tslabKernel.js kernel --config-path {connection_file}`.
 */
import * as path from 'path';
import { format } from 'util';
import { serialiseSends } from 'kernel-helpers/dist/exercises/sendQueue';
import { withHints } from './hints';

const tslab = path.join(path.dirname(require.resolve('tslab/package.json')), 'dist', 'main.js');
console.error = withHints(console.error.bind(console), format);
// The zeromq that tslab loads: one send in flight per socket (else "Socket is busy writing").
serialiseSends(require(require.resolve('zeromq', { paths: [path.dirname(tslab)] })));
(require(tslab) as { main(): void }).main();
