/**
 * The parts of nbformat 4 the runner reads and writes, and loading with clear errors.
 * Reference: https://nbformat.readthedocs.io/en/latest/format_description.html
 */
import * as fs from 'fs';
import { KERNEL_LANGUAGE, KERNEL_NAME } from './kernelspec';

export type MultilineString = string | string[];
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: 'code';
  id?: string;
  metadata: Record<string, any>;
  source: MultilineString;
  outputs: Output[];
  execution_count: number | null;
}
export interface TextCell {
  cell_type: 'markdown' | 'raw';
  id?: string;
  metadata: Record<string, any>;
  source: MultilineString;
  attachments?: Record<string, unknown>;
}
export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: {
    kernelspec?: { name?: string; display_name?: string; language?: string };
    language_info?: { name?: string; [k: string]: unknown };
    [k: string]: unknown;
  };
  cells: Cell[];
}

export class NotebookError extends Error {}

export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** Parses and checks a notebook; throws NotebookError naming the file and the problem. */
export function parseNotebook(text: string, file: string): Notebook {
  let nb: any;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new NotebookError(`${file}: not a valid notebook, the file is not JSON (${(e as Error).message})`);
  }
  if (typeof nb !== 'object' || nb === null || Array.isArray(nb)) throw new NotebookError(`${file}: not a valid notebook, the JSON is not an object`);
  if (nb.nbformat !== 4) throw new NotebookError(`${file}: nbformat ${JSON.stringify(nb.nbformat)} is not supported, expected 4`);
  if (!Array.isArray(nb.cells)) throw new NotebookError(`${file}: not a valid notebook, "cells" is missing or not a list`);
  nb.metadata = nb.metadata ?? {};
  nb.cells.forEach((c: any, i: number) => {
    if (typeof c !== 'object' || c === null || !['code', 'markdown', 'raw'].includes(c.cell_type)) {
      throw new NotebookError(`${file}: cell ${i} has no valid cell_type`);
    }
    if (typeof c.source !== 'string' && !Array.isArray(c.source)) throw new NotebookError(`${file}: cell ${i} has no source`);
    c.metadata = c.metadata ?? {};
    if (c.cell_type === 'code') {
      c.outputs = Array.isArray(c.outputs) ? c.outputs : [];
      c.execution_count = c.execution_count ?? null;
    }
  });
  return nb as Notebook;
}

/** Rejects notebooks written for another kernel (a Python notebook, say). */
export function checkKernel(nb: Notebook, file: string): void {
  const ks = nb.metadata.kernelspec;
  const lang = ks?.language ?? nb.metadata.language_info?.name;
  if (ks?.name === KERNEL_NAME) return;
  if (ks?.name !== undefined || (lang !== undefined && lang !== KERNEL_LANGUAGE)) {
    throw new NotebookError(
      `${file}: this notebook is for kernel '${ks?.name ?? '?'}' (language ${lang ?? '?'}); ` +
        `the course runner executes ${KERNEL_LANGUAGE} notebooks on the '${KERNEL_NAME}' kernel`,
    );
  }
}

export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NotebookError(code === 'ENOENT' ? `${file}: no such notebook` : `${file}: cannot read (${(e as Error).message})`);
  }
  const nb = parseNotebook(text, file);
  checkKernel(nb, file);
  return nb;
}

/** Splits text into nbformat's list-of-lines form (each line keeps its newline). */
export function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** JSON as Jupyter writes it: one-space indent, trailing newline. */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + '\n';
}
