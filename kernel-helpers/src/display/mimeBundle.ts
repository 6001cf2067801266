/**
 * What one output is made of: a Jupyter MIME bundle (data + metadata, as carried by
 * `display_data` / `update_display_data` messages) plus what is needed outside a kernel.
 */

/** A Jupyter MIME bundle. Binary types (image/png) are base64 strings, +json types objects. */
export interface MimeBundle {
  data: { [mimeType: string]: unknown };
  metadata: { [mimeType: string]: unknown };
}

/** A file written next to the PNG when `GAN_COURSE_FIGURES_DIR` is set (e.g. the spec as JSON). */
export interface FigureFile {
  /** File name suffix including the dot, e.g. '.png', '.vl.json'. */
  suffix: string;
  content: Buffer | string;
}

/** A rendered output: the bundle, a one-line summary for the console, files to save. */
export interface RenderedOutput {
  bundle: MimeBundle;
  /** One line describing the output (printed when no kernel is attached). */
  summary: string;
  /** Suggested base name for saved files (from the title), without extension. */
  name?: string;
  files: FigureFile[];
  /** Milliseconds spent producing the PNG (0 when none). */
  renderMs: number;
}

export const MIME = {
  vegaLite: 'application/vnd.vegalite.v5+json',
  plotly: 'application/vnd.plotly.v1+json',
  png: 'image/png',
  plain: 'text/plain',
  markdown: 'text/markdown',
  latex: 'text/latex',
} as const;
