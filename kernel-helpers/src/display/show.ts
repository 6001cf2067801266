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

/**
 * Whether to render PNGs: always inside a kernel or when figures are saved; in a plain
 * script nobody would see them, so only the text summary is produced (unless asked).
 */
function wantPng(opts: ShowOptions): boolean {
  if (opts.png !== undefined) return opts.png;
  return kernelWriter() !== null || figuresDir() !== undefined;
}

/** Sends a rendered output to the kernel, or prints its summary; saves files if configured. */
export function deliverOutput(out: RenderedOutput, name: string, displayId: string | undefined, isUpdate: boolean, quiet = false): void {
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
  const pngFile = written.find((p) => p.endsWith('.png'));
  console.log(out.summary.includes('\n') || !pngFile ? out.summary : `${out.summary} -> ${pngFile}`);
}

/**
 * Displays `x` as one multi-MIME bundle (rich type + image/png + text/plain).
 * In a tslab kernel it becomes a `display_data` message; elsewhere a one-line summary is
 * printed, and the files (PNG, spec JSON, ...) are written to `GAN_COURSE_FIGURES_DIR`
 * when it is set. Accepts: Vega-Lite specs, Plotly figures, image tensors / `images(...)`,
 * arrays of records / `table(...)`, `latex(...)`, `markdown(...)`, strings and numbers;
 * anything else throws an error listing these.
 */
export async function show(x: unknown, opts: ShowOptions = {}): Promise<void> {
  const out = await renderOutput(x, { ...opts, png: wantPng(opts) });
  deliverOutput(out, opts.name ?? out.name ?? nextFigureName(), undefined, false);
}

export interface LiveDisplay {
  /** The Jupyter display_id shared by every update. */
  readonly id: string;
  /** Shows `x` the first time, then replaces the output in place. */
  update(x: unknown, opts?: ShowOptions): Promise<void>;
  /** Like update, with an output already rendered by `renderOutput`. */
  updateRendered(out: RenderedOutput, quiet?: boolean): void;
  /** Number of updates sent so far. */
  readonly updates: number;
  /** Milliseconds spent rendering the PNG of the last update. */
  readonly lastRenderMs: number;
}

export interface LiveDisplayOptions {
  /** Base name for files in GAN_COURSE_FIGURES_DIR (overwritten by each update). */
  name?: string;
}

/**
 * An output that updates in place: the first `update(x)` displays `x` with a fresh
 * display_id, later calls send `update_display_data` for that id. Outside a kernel each
 * update prints its summary and overwrites the saved files.
 */
export function liveDisplay(options: LiveDisplayOptions = {}): LiveDisplay {
  const id = `gan-course-${randomBytes(8).toString('hex')}`;
  let updates = 0;
  let lastRenderMs = 0;
  let name = options.name;
  const self: LiveDisplay = {
    id,
    get updates() {
      return updates;
    },
    get lastRenderMs() {
      return lastRenderMs;
    },
    updateRendered(out: RenderedOutput, quiet = false): void {
      lastRenderMs = out.renderMs;
      name = name ?? out.name ?? nextFigureName();
      deliverOutput(out, name, id, updates > 0, quiet);
      updates += 1;
    },
    async update(x: unknown, opts: ShowOptions = {}): Promise<void> {
      const out = await renderOutput(x, { ...opts, png: wantPng(opts) });
      if (opts.name && !name) name = opts.name;
      self.updateRendered(out);
    },
  };
  return self;
}

export { wantPng as pngWanted };
