/**
 * Text widths for laying charts out in Node, from the glyph advances of the font the PNG is
 * drawn with.
 *
 * Without a canvas, vega estimates a text's width as 0.8 em per character, about 40 % more
 * than DejaVu Sans needs: legends, axis labels and titles get room they do not use, and a
 * PNG came out a median 58 px wider than the same chart drawn live by a browser (which
 * measures its text). vega lets `textMetrics.width` be replaced (as vl-convert does), so
 * the layout here measures each string with the advances of the PNG's own font (regular or
 * bold as the mark asks), read from the font file's `cmap` and `hmtx` tables. Kerning is
 * ignored (a fraction of a pixel per label). If the font cannot be read, vega's estimate
 * stays.
 */
import * as fs from 'fs';
import { chartFonts } from './fonts';

/** Advance widths of one font, in em. */
export interface FontAdvances {
  advance(codePoint: number): number;
}

/** Reads a TrueType/OpenType font's advance widths (a single font, not a collection). */
export function readAdvances(buf: Buffer): FontAdvances {
  if (buf.toString('latin1', 0, 4) === 'ttcf') throw new Error('font collections (.ttc) are not read');
  const numTables = buf.readUInt16BE(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const need = (tag: string): number => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`the font has no ${tag} table`);
    return off;
  };
  const unitsPerEm = buf.readUInt16BE(need('head') + 18);
  const numberOfHMetrics = buf.readUInt16BE(need('hhea') + 34);
  const hmtx = need('hmtx');
  const advanceOf = (glyph: number): number => buf.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
  const glyphOf = cmapLookup(buf, need('cmap'));
  const cache = new Map<number, number>();
  return {
    advance(cp: number): number {
      let a = cache.get(cp);
      if (a === undefined) {
        a = advanceOf(glyphOf(cp)) / unitsPerEm;
        cache.set(cp, a);
      }
      return a;
    },
  };
}

/** Code point -> glyph id from the best Unicode subtable (format 12, else format 4). */
function cmapLookup(buf: Buffer, cmap: number): (cp: number) => number {
  const n = buf.readUInt16BE(cmap + 2);
  let f4: number | undefined;
  let f12: number | undefined;
  for (let i = 0; i < n; i++) {
    const platform = buf.readUInt16BE(cmap + 4 + 8 * i);
    const encoding = buf.readUInt16BE(cmap + 6 + 8 * i);
    const sub = cmap + buf.readUInt32BE(cmap + 8 + 8 * i);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = buf.readUInt16BE(sub);
    if (format === 12) f12 = sub;
    else if (format === 4) f4 = sub;
  }
  if (f12 !== undefined) {
    const sub = f12;
    const groups = buf.readUInt32BE(sub + 12);
    return (cp) => {
      let lo = 0, hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = sub + 16 + 12 * mid;
        const start = buf.readUInt32BE(g), end = buf.readUInt32BE(g + 4);
        if (cp < start) hi = mid - 1;
        else if (cp > end) lo = mid + 1;
        else return buf.readUInt32BE(g + 8) + (cp - start);
      }
      return 0;
    };
  }
  if (f4 === undefined) throw new Error('the font has no Unicode cmap');
  const sub = f4;
  const segX2 = buf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segX2; s += 2) {
      if (cp > buf.readUInt16BE(ends + s)) continue;
      const start = buf.readUInt16BE(starts + s);
      if (cp < start) return 0;
      const delta = buf.readUInt16BE(deltas + s);
      const ro = buf.readUInt16BE(rangeOffsets + s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const g = buf.readUInt16BE(rangeOffsets + s + ro + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}

interface Fonts {
  regular: FontAdvances;
  bold: FontAdvances;
}

let fonts: Fonts | null | undefined;

/** The PNG's fonts' advances (null when none can be read). */
function chartAdvances(): Fonts | null {
  if (fonts !== undefined) return fonts;
  try {
    const files = chartFonts().files.filter((f) => !/\.ttc$/i.test(f));
    const regularFile = files.find((f) => !/bold|oblique|italic/i.test(f)) ?? files[0];
    if (!regularFile) return (fonts = null);
    const boldFile = files.find((f) => /bold/i.test(f) && !/oblique|italic/i.test(f)) ?? regularFile;
    const regular = readAdvances(fs.readFileSync(regularFile));
    fonts = { regular, bold: boldFile === regularFile ? regular : readAdvances(fs.readFileSync(boldFile)) };
  } catch {
    fonts = null;
  }
  return fonts;
}

/** Width in px of `text` at `fontSize` px in the chart font (bold or not); undefined without a font. */
export function chartTextWidth(text: string, fontSize: number, bold = false): number | undefined {
  const f = chartAdvances();
  if (!f) return undefined;
  const font = bold ? f.bold : f.regular;
  let em = 0;
  for (const ch of text) em += font.advance(ch.codePointAt(0)!);
  return em * fontSize;
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}
interface VegaWithTextMetrics {
  textMetrics?: { width: (item: TextItem, text?: unknown) => number; estimateWidth?: unknown };
}

const installed = new WeakSet<object>();

/**
 * Makes a vega module measure text with the chart font (once per module). Returns false
 * when it could not (no readable font, or a vega without `textMetrics`).
 */
export function measureTextWithChartFont(vega: unknown): boolean {
  const tm = (vega as VegaWithTextMetrics).textMetrics;
  if (!tm || typeof tm.width !== 'function') return false;
  if (installed.has(tm)) return true;
  if (!chartAdvances()) return false;
  const fallback = tm.width;
  tm.width = (item: TextItem, text?: unknown): number => {
    const t = text ?? item.text;
    const size = item.fontSize ?? 11;
    if (size <= 0 || t === undefined || t === null || t === '') return 0;
    const weight = item.fontWeight;
    const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
    const lines = Array.isArray(t) ? t.map((l) => String(l).trim()) : [String(t).trim()];
    const w = Math.max(...lines.map((line) => chartTextWidth(line, size, bold) ?? NaN));
    if (!Number.isFinite(w)) return fallback(item, text);
    // vega truncates a text longer than its limit (with an ellipsis) to fit the limit.
    return item.limit !== undefined && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
  installed.add(tm);
  return true;
}
