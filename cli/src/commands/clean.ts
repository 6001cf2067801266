/**
 * `gan-course clean [notebooks...]`: strips what running a notebook adds (outputs, execution
 * counts, per-run cell metadata) in place, keeping cell ids, sources and all other metadata,
 * so that a notebook saved from Jupyter is committed clean again (the hygiene unit test).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ArgError, parseArgs } from '../options';
import { parseNotebook, projectRoot } from '../runner';

export const summary = 'strip outputs and execution counts from notebooks in place (default: notebooks/*.ipynb)';

const HELP = `usage: gan-course clean [--check] [notebooks...]

Removes from every code cell its outputs, its execution count and the metadata that Jupyter
records with a run (execution timings; the collapsed/scrolled output view, as
'jupyter nbconvert --clear-output' does), in place. Cell ids, sources, nbgrader and all
other metadata are kept; a notebook that is already clean is not rewritten.
Without notebooks it cleans notebooks/*.ipynb of the course.

  --check   change nothing; exit 1 if a notebook is not clean (for CI or a git hook)`;

/** Cell metadata that belongs to one run, not to the notebook. */
const RUN_METADATA = ['execution', 'collapsed', 'scrolled'] as const;

/** The clean JSON text of a notebook's text (as Jupyter writes it: one-space indent, final newline). */
export function cleanNotebookText(text: string, file: string): string {
  parseNotebook(text, file); // the checks, with their messages; the parse below keeps the file as it is
  const nb = JSON.parse(text) as { cells: Array<Record<string, unknown>> };
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    cell.outputs = [];
    cell.execution_count = null;
    const meta = cell.metadata;
    if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
      for (const k of RUN_METADATA) delete (meta as Record<string, unknown>)[k];
    }
  }
  return JSON.stringify(nb, null, 1) + '\n';
}

export interface CleanResult {
  file: string;
  changed: boolean;
  error?: string;
}

/** Cleans each file in place (or only checks, with `check`). */
export function cleanNotebooks(files: readonly string[], check = false): CleanResult[] {
  return files.map((file) => {
    try {
      const text = fs.readFileSync(file, 'utf8');
      const clean = cleanNotebookText(text, file);
      if (clean === text) return { file, changed: false };
      if (!check) {
        const target = fs.realpathSync(file);
        const tmp = `${target}.clean-${process.pid}`;
        fs.writeFileSync(tmp, clean, { mode: fs.statSync(target).mode });
        fs.renameSync(tmp, target);
      }
      return { file, changed: true };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { file, changed: false, error: code === 'ENOENT' ? `${file}: no such notebook` : (e as Error).message };
    }
  });
}

/** notebooks/*.ipynb of the course, relative to the current folder where that is shorter. */
export function defaultNotebooks(root = projectRoot()): string[] {
  const dir = path.join(root, 'notebooks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => {
      const abs = path.join(dir, f);
      const rel = path.relative(process.cwd(), abs);
      return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
    });
}

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let files: string[];
  let check: boolean;
  try {
    const p = parseArgs(args, [], ['check']);
    check = p.flags.has('check');
    files = p.positional.length ? p.positional : defaultNotebooks();
    if (files.length === 0) throw new ArgError(`no notebooks given, and none in ${path.join(projectRoot(), 'notebooks')}`);
    const notIpynb = files.find((f) => !f.endsWith('.ipynb'));
    if (notIpynb) throw new ArgError(`${notIpynb}: not a .ipynb file`);
  } catch (e) {
    console.error(`gan-course clean: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const results = cleanNotebooks(files, check);
  for (const r of results) {
    if (r.error) console.error(`gan-course clean: ${r.error}`);
    else console.log(`${r.file}: ${r.changed ? (check ? 'NOT clean (outputs or execution counts)' : 'cleaned') : 'clean'}`);
  }
  const dirty = results.filter((r) => r.changed).length;
  if (check && dirty) console.error(`${dirty} notebook(s) not clean: run \`npx gan-course clean\` (or \`node cli/dist/main.js clean\`) to strip them`);
  return results.some((r) => r.error) || (check && dirty > 0) ? 1 : 0;
}
