/**
 * `show(x)`: the one way notebooks display outputs, and `liveDisplay()` for outputs that
 * update in place (a Jupyter `display_id`).
 */
import { randomBytes } from 'crypto';
import { renderOutput, ShowOptions } from './render';
import { kernelWriter } from './kernelTransport';
import { figuresDir, nextFigureName, writeFigureFiles } from './figureFiles';
import type { RenderedOutput } from './mimeBundle';

export type { ShowOptions } from './render';

function deliver(out: RenderedOutput, name: string, displayId: string | undefined, isUpdate: boolean, quiet: boolean): void {
  const written = figuresDir() ? writeFigureFiles(out, name) : [];
  const writer = kernelWriter();
  if (writer) {
    writer(
      {
        data: out.bundle.data,
        metadata: out.bundle.metadata,
        ...(displayId ? { transient: { display_id: displayId } } : {}),
      },
      isUpdate,
    );
    return;
  }
  if (quiet) return;
  const firstLine = out.summary.split('\n')[0];
  const multi = out.summary.includes('\n');
  const pngFile = written.find((p) => p.endsWith('.png'));
  console.log(multi ? out.summary : `${firstLine}${pngFile ? ` -> ${pngFile}` : ''}`);
}

/**
 * Displays `x` as one multi-MIME bundle (rich type + image/png + text/plain).
 * In a tslab kernel it becomes a `display_data` message; elsewhere a one-line summary is
 * printed, and the files are written to `GAN_COURSE_FIGURES_DIR` when it is set.
 * Accepts: Vega-Lite specs, Plotly figures, image tensors/`images(...)`, arrays of records
 * or `table(...)`, `latex(...)`, `markdown(...)`, strings and numbers.
 */
export async function show(x: unknown, opts: ShowOptions = {}): Promise<void> {
  const out = await renderOutput(x, opts);
  deliver(out, opts.name ?? out.name ?? nextFigureName(), undefined, false, false);
}

export interface LiveDisplay {
  /** The Jupyter display_id shared by every update. */
  readonly id: string;
  /** Shows `x` the first time, then replaces the output in place. */
  update(x: unknown, opts?: ShowOptions): Promise<void>;
  /** Number of updates sent so far. */
  readonly updates: number;
  /** Milliseconds spent rendering PNGs in the last update. */
  readonly lastRenderMs: number;
}

export interface LiveDisplayOptions {
  /** Base name for files in GAN_COURSE_FIGURES_DIR (overwritten by each update). */
  name?: string;
  /** Outside a kernel, print a summary line only for the first and every n-th update (default 1). */
  printEvery?: number;
}

/**
 * An output that updates in place: the first `update(x)` displays `x` with a fresh
 * display_id, later calls send `update_display_data` for that id. Outside a kernel each
 * update prints its summary (see `printEvery`) and overwrites the saved files.
 */
export function liveDisplay(options: LiveDisplayOptions = {}): LiveDisplay {
  const id = `gan-course-${randomBytes(8).toString('hex')}`;
  let updates = 0;
  let lastRenderMs = 0;
  let name = options.name;
  const printEvery = Math.max(1, Math.floor(options.printEvery ?? 1));
  return {
    id,
    get updates() {
      return updates;
    },
    get lastRenderMs() {
      return lastRenderMs;
    },
    async update(x: unknown, opts: ShowOptions = {}): Promise<void> {
      const out = await renderOutput(x, opts);
      lastRenderMs = out.renderMs;
      name = name ?? opts.name ?? out.name ?? nextFigureName();
      const quiet = updates % printEvery !== 0;
      deliver(out, name, id, updates > 0, quiet);
      updates += 1;
    },
  };
}
