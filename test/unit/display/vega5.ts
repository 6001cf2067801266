/**
 * vega 5.33 + vega-lite 5.6.1, the versions JupyterLab 4.6's `@jupyterlab/vega5-extension`
 * bundles, loaded in Node (devDependencies `vega5` and `vega-lite5`, npm aliases), to check
 * that the course's Vega-Lite specs draw there too.
 *
 * vega 5's Node build is CommonJS. vega-lite 5's build is a UMD bundle that takes `vega`
 * (for vega-util's helpers) from `require('vega')`, which here is vega 6 (an ES module
 * with top-level await, not loadable by `require`); so the bundle is evaluated with a
 * `require` that hands it vega 5, as in JupyterLab, where the two are bundled together.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import { measureTextWithChartFont } from '../../../kernel-helpers/src/display/textMeasure';

const req = createRequire(__filename);

export interface Vega5View {
  runAsync(): Promise<unknown>;
  width(): number;
  height(): number;
  toSVG(scale?: number): Promise<string>;
  finalize(): void;
}
export interface Vega5 {
  version: string;
  parse(spec: unknown, config?: unknown): unknown;
  View: new (runtime: unknown, opts: { renderer: string; logLevel?: number }) => Vega5View;
}
export interface VegaLite5 {
  version: string;
  compile(spec: unknown, opts?: unknown): { spec: unknown };
}

let loaded: { vega: Vega5; vegaLite: VegaLite5 } | undefined;

/** vega 5 and vega-lite 5, loaded once. */
export function loadVega5(): { vega: Vega5; vegaLite: VegaLite5 } {
  if (loaded) return loaded;
  const vega = req('vega5') as Vega5;
  const file = req.resolve('vega-lite5');
  const source = fs.readFileSync(file, 'utf8');
  const mod: { exports: unknown } = { exports: {} };
  const localRequire = (name: string): unknown => (name === 'vega' ? vega : createRequire(file)(name));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('exports', 'module', 'require', source)(mod.exports, mod, localRequire);
  // Measure text as a browser does (vega 5 in Node would estimate 0.8 em per character),
  // with the font the course's PNGs use, so sizes compare with vega 6's.
  measureTextWithChartFont(vega);
  loaded = { vega, vegaLite: mod.exports as VegaLite5 };
  return loaded;
}

export interface Vega5Result {
  /** View size after layout (vega's width()/height() are the plot area; the SVG's are the whole). */
  svgWidth: number;
  svgHeight: number;
  warnings: string[];
  svg: string;
}

/**
 * Compiles a Vega-Lite spec with vega-lite 5.6.1 and renders it with vega 5.33 (renderer
 * 'none', toSVG); throws on an exception, an empty, zero-sized or non-finite view, or NaN
 * in the drawing.
 */
export async function renderWithVega5(spec: unknown): Promise<Vega5Result> {
  const { vega, vegaLite } = loadVega5();
  const warnings: string[] = [];
  const text = (args: unknown[]): string => args.map(String).join(' ');
  const logger = {
    level: () => 2,
    error: (...a: unknown[]) => {
      throw new Error(text(a));
    },
    warn: (...a: unknown[]) => {
      warnings.push(text(a));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const compiled = vegaLite.compile(JSON.parse(JSON.stringify(spec)), { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: 0 });
  try {
    await view.runAsync();
    const svg = await view.toSVG();
    const attr = (name: string): number => {
      const m = new RegExp(`^<svg[^>]*\\s${name}="([^"]*)"`).exec(svg);
      return m ? Number(m[1]) : NaN;
    };
    const svgWidth = attr('width');
    const svgHeight = attr('height');
    const problems: string[] = [];
    if (!Number.isFinite(svgWidth) || !Number.isFinite(svgHeight) || svgWidth > 1e5 || svgHeight > 1e5) {
      problems.push(`view size is ${svgWidth} x ${svgHeight}`);
    } else if (svgWidth < 10 || svgHeight < 10) problems.push(`view is empty (${svgWidth} x ${svgHeight})`);
    if (!Number.isFinite(view.width()) || !Number.isFinite(view.height())) problems.push(`plot area is ${view.width()} x ${view.height()}`);
    // NaN or Infinity in the drawing is a broken mark; in an accessibility label it is an
    // empty scale domain ("values from NaN to NaN": an axis with no data) or a NaN tooltip.
    const drawing = svg.replace(/aria-label="[^"]*"/g, '');
    const bad = /[^"]{0,60}(NaN|Infinity)[^"]{0,20}/.exec(drawing);
    if (bad) problems.push(`the drawing contains ${bad[1]}: …${bad[0]}…`);
    const label = /aria-label="([^"]*(NaN|Infinity)[^"]*)"/.exec(svg);
    if (label) problems.push(`a label says ${JSON.stringify(label[1])}`);
    if (problems.length) throw new Error(`vega ${vega.version} / vega-lite ${vegaLite.version}: ${problems.join('; ')}`);
    return { svgWidth, svgHeight, warnings, svg };
  } finally {
    view.finalize();
  }
}
