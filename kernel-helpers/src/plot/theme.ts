/**
 * The course's chart look: one palette, one size, one set of fonts and axis styles, so
 * every chapter's figures read alike. Builders merge `COURSE_CONFIG` into each spec.
 */

/** Categorical colours (Tableau 10 order: distinct, colour-blind aware). */
export const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#bab0ac'];

/** Fixed colours for names that recur across chapters, so "real" is always the same blue. */
export const NAMED_COLORS: { [name: string]: string } = {
  real: '#4c78a8',
  data: '#4c78a8',
  generated: '#f58518',
  fake: '#f58518',
  generator: '#f58518',
  G: '#f58518',
  lossG: '#f58518',
  discriminator: '#4c78a8',
  critic: '#4c78a8',
  D: '#4c78a8',
  lossD: '#4c78a8',
};

/** Default chart size in CSS pixels (the plotting area, without axes and legend). */
export const DEFAULT_WIDTH = 420;
export const DEFAULT_HEIGHT = 280;

/**
 * Lines drawn on the chart background (grid, frame, progress track) are a mid grey made
 * translucent, so they read as faint lines on a light theme and on a dark one alike (the
 * PNG has a white background; JupyterLab's dark theme draws the live chart on dark grey).
 */
export const LINE_GREY = '#888';
export const GRID_OPACITY = 0.2;
/** The unfilled part of a progress bar. */
export const TRACK_COLOR = LINE_GREY;
export const TRACK_OPACITY = 0.2;

/** Vega-Lite `config` shared by every chart. */
export const COURSE_CONFIG = {
  view: { stroke: LINE_GREY, strokeOpacity: 0.3 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: LINE_GREY, gridOpacity: GRID_OPACITY, domainColor: LINE_GREY, tickColor: LINE_GREY },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
  title: { fontSize: 14, fontWeight: 'bold', anchor: 'start', offset: 8 },
  range: { category: PALETTE },
} as const;

const FIXED = new Set(Object.values(NAMED_COLORS));
/** Palette colours for names without a fixed colour: blue and orange stay real/D and generated/G. */
const FREE = PALETTE.filter((c) => !FIXED.has(c));
/** Colours given so far to names without a fixed one (for this process, i.e. this kernel). */
const assigned = new Map<string, string>();

function fixedColor(name: string): string | undefined {
  return NAMED_COLORS[name] ?? NAMED_COLORS[name.toLowerCase()];
}

/** Forgets the colours given to series names so far (tests). */
export function resetSeriesColors(): void {
  assigned.clear();
}

/**
 * A colour scale for the given series names. A name keeps one colour across charts: the
 * recurring names their fixed colour (real/D blue, generated/G orange), any other name the
 * palette colour it got the first time it was drawn (the least used one, blue and orange
 * excepted), so a method has the same colour in every chart of a chapter. Within one chart
 * colours never repeat: a name whose colour is taken there gets another (for that chart only).
 */
export function colorScale(names: string[]): { domain: string[]; range: string[] } {
  const used = new Set<string>();
  const range = names.map(() => '');
  const take = (i: number, c: string | undefined): void => {
    if (c && !range[i] && !used.has(c)) {
      range[i] = c;
      used.add(c);
    }
  };
  names.forEach((n, i) => take(i, fixedColor(n)));
  names.forEach((n, i) => take(i, assigned.get(n)));
  names.forEach((n, i) => {
    if (range[i]) return;
    const fresh = !assigned.has(n) && !fixedColor(n);
    const count = (c: string): number => [...assigned.values()].filter((a) => a === c).length;
    const candidates = [FREE, PALETTE].map((list) => list.filter((c) => !used.has(c))).find((l) => l.length > 0);
    // More series than colours: repeat the palette.
    const c = candidates ? candidates.reduce((best, c) => (count(c) < count(best) ? c : best)) : PALETTE[i % PALETTE.length];
    range[i] = c;
    used.add(c);
    if (fresh) assigned.set(n, c);
  });
  return { domain: names, range };
}
