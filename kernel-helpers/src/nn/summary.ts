/**
 * A table of a net's tree, like Keras' `model.summary()`: every net (the root, its parts,
 * theirs, ...) with its per-example output shape, trainable parameters and non-trainable state.
 * Output shapes come from one forward pass on zeros when the input shape is known (traced:
 * the nets' `apply` is wrapped for the pass and restored after), else from what each net
 * declares. The pass runs in training mode with `updateStats: false`, so running statistics
 * are neither needed nor changed, and with labels 0 for conditional nets.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownOptions, checkShape } from '../core/args';
import type { ApplyOptions, Net } from './net';

export interface SummaryRow {
  /** 0 for the net itself, 1 for its parts, 2 for theirs, ... */
  depth: number;
  name: string;
  /** Whether this net is made of parts (its counts then include theirs). */
  hasParts: boolean;
  /** Per-example output shape (no batch axis; -1 for a free size); undefined when unknown. */
  outputShape?: readonly number[];
  /** Trainable scalars of this net and its parts. */
  params: number;
  /** Non-trainable scalars (running statistics) of this net and its parts. */
  stateSize: number;
}

export interface NetSummary {
  name: string;
  /** Depth first, parts in order. */
  rows: SummaryRow[];
  /** Trainable scalars, a variable shared by two parts counted once. */
  trainableParams: number;
  nonTrainableParams: number;
  /** The per-example input shape the output shapes were traced with, if they were. */
  tracedInputShape?: readonly number[];
  /** The table as plain text (also what `console.log` and `String()` show). */
  text: string;
}

export interface SummaryOptions {
  /** Per-example input shape for the trace (default: the net's, when it has no free size). */
  inputShape?: readonly number[];
  /** false: no forward pass, declared shapes only (default true). */
  trace?: boolean;
}

const SUMMARY_OPTIONS = ['inputShape', 'trace'] as const;
/** Two examples: batch norm's training mode needs more than one value per channel. */
const TRACE_BATCH = 2;

function size(vars: readonly tf.Variable[]): number {
  return vars.reduce((s, v) => s + v.size, 0);
}

function walk(net: Net, depth: number, visit: (n: Net, depth: number) => void): void {
  visit(net, depth);
  for (const p of net.parts ?? []) walk(p, depth + 1, visit);
}

/** Runs `net` once on zeros and returns the first output shape each node produced. */
function traceShapes(net: Net, inputShape: readonly number[]): Map<Net, number[]> {
  const shapes = new Map<Net, number[]>();
  const originals = new Map<Net, Net['apply']>();
  walk(net, 0, (n) => {
    if (originals.has(n)) return;
    const apply = n.apply;
    originals.set(n, apply);
    (n as { apply: Net['apply'] }).apply = (x: tf.Tensor, o?: ApplyOptions) => {
      const y = apply.call(n, x, o);
      if (!shapes.has(n)) shapes.set(n, y.shape.slice(1));
      return y;
    };
  });
  try {
    tf.tidy(() => {
      const x = tf.zeros([TRACE_BATCH, ...inputShape]);
      const labels = tf.zeros([TRACE_BATCH], 'int32');
      net.apply(x, { training: true, updateStats: false, labels });
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`summary: tracing ${net.name} on input [batch, ${inputShape.join(', ')}] failed: ${msg}`);
  } finally {
    for (const [n, apply] of originals) (n as { apply: Net['apply'] }).apply = apply;
  }
  return shapes;
}

function shapeText(s: readonly number[] | undefined): string {
  if (!s) return '?';
  return `[${['batch', ...s.map((d) => (d < 0 ? '*' : String(d)))].join(', ')}]`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function table(name: string, rows: SummaryRow[], trainable: number, nonTrainable: number, traced?: readonly number[]): string {
  const withState = nonTrainable > 0;
  const head = ['Net', 'Output shape', 'Params', ...(withState ? ['State'] : [])];
  const body = rows.map((r) => [
    `${'  '.repeat(r.depth)}${r.name}`,
    shapeText(r.outputShape),
    count(r.params),
    ...(withState ? [count(r.stateSize)] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('   ').trimEnd();
  const rule = '-'.repeat(widths.reduce((s, w) => s + w, 0) + 3 * (widths.length - 1));
  const source = traced ? `output shapes traced on input ${shapeText(traced)}` : 'declared output shapes';
  return [
    `Summary of ${name} (${source})`,
    rule,
    line(head),
    rule,
    ...body.map(line),
    rule,
    `Trainable params: ${count(trainable)}`,
    `Non-trainable params: ${count(nonTrainable)}${withState ? ' (running statistics)' : ''}`,
    `Total params: ${count(trainable + nonTrainable)}`,
  ].join('\n');
}

/** The tree of `net` as rows and as a text table. */
export function summary(net: Net, opts: SummaryOptions = {}): NetSummary {
  if (!net || typeof net.apply !== 'function' || !Array.isArray(net.variables)) {
    throw new Error(`summary: net must be a Net, got ${net === null ? 'null' : typeof net}`);
  }
  checkKnownOptions('summary', opts, SUMMARY_OPTIONS);
  if (opts.inputShape !== undefined) checkShape('summary', 'opts.inputShape', opts.inputShape);
  const declared = net.inputShape && net.inputShape.every((d) => d > 0) ? net.inputShape : undefined;
  const inputShape = opts.trace === false ? undefined : (opts.inputShape ?? declared);
  const traced = inputShape ? traceShapes(net, inputShape) : undefined;
  const rows: SummaryRow[] = [];
  walk(net, 0, (n, depth) =>
    rows.push({
      depth,
      name: n.name,
      hasParts: (n.parts?.length ?? 0) > 0,
      outputShape: traced?.get(n) ?? n.outputShape,
      params: size([...new Set(n.variables)]),
      stateSize: size([...new Set(n.state ?? [])]),
    }),
  );
  const trainableParams = rows[0].params;
  const nonTrainableParams = rows[0].stateSize;
  const text = table(net.name, rows, trainableParams, nonTrainableParams, inputShape);
  const result: NetSummary = { name: net.name, rows, trainableParams, nonTrainableParams, tracedInputShape: inputShape, text };
  // Not enumerable: the data stays plain, while a notebook's console.log shows the table.
  Object.defineProperty(result, Symbol.for('nodejs.util.inspect.custom'), { value: () => text, enumerable: false });
  Object.defineProperty(result, 'toString', { value: () => text, enumerable: false });
  return result;
}
