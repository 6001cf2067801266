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

/** Vega-Lite `config` shared by every chart. */
export const COURSE_CONFIG = {
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
  title: { fontSize: 14, fontWeight: 'bold', anchor: 'start', offset: 8 },
  range: { category: PALETTE },
} as const;

/**
 * A colour scale for the given series names: recurring names keep their fixed colour,
 * the others take palette colours in order (skipping ones already used).
 */
export function colorScale(names: string[]): { domain: string[]; range: string[] } {
  const used = new Set<string>();
  const range: string[] = [];
  for (const n of names) {
    const fixed = NAMED_COLORS[n] ?? NAMED_COLORS[n.toLowerCase()];
    if (fixed && !used.has(fixed)) {
      range.push(fixed);
      used.add(fixed);
    } else range.push('');
  }
  let next = 0;
  for (let i = 0; i < range.length; i++) {
    if (range[i]) continue;
    while (used.has(PALETTE[next % PALETTE.length]) && next < PALETTE.length) next++;
    range[i] = PALETTE[next % PALETTE.length];
    used.add(range[i]);
    next++;
  }
  return { domain: names, range };
}
