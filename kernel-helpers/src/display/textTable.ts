/**
 * Arrays of records -> a Markdown table (rendered by every front end) and an aligned
 * plain-text table (for consoles and static fallbacks).
 */
import type { TableOptions, TableRow } from './showable';

function formatCell(v: unknown, digits: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits)));
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? String(v);
}

export interface TextTables {
  markdown: string;
  plain: string;
  rows: number;
  columns: string[];
}

export function formatTable(rows: TableRow[], options: TableOptions = {}): TextTables {
  if (rows.length === 0) throw new Error('table: rows must hold at least one record, got []');
  const digits = options.digits ?? 4;
  const maxRows = options.maxRows ?? 50;
  let columns = options.columns;
  if (!columns) {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
    columns = [...seen];
  }
  const shown = rows.slice(0, maxRows);
  const cells = shown.map((r) => columns!.map((c) => formatCell(r[c], digits)));
  const numeric = columns.map((c) => shown.every((r) => typeof r[c] === 'number' || r[c] == null));
  // A `|` as the HTML entity: Markdown renderers that ignore the `\|` escape (nbconvert's
  // mistune among them) would otherwise split the cell and shift every column after it.
  const esc = (s: string): string => s.replace(/\|/g, '&#124;').replace(/\n/g, ' ');
  const md = [
    `| ${columns.map(esc).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : ':---')).join(' | ')} |`,
    ...cells.map((row) => `| ${row.map(esc).join(' | ')} |`),
  ];
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const pad = (s: string, j: number): string => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const plain = [
    columns.map((c, j) => pad(c, j)).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((row) => row.map((s, j) => pad(s, j)).join('  ')),
  ];
  if (rows.length > shown.length) {
    const more = `... ${rows.length - shown.length} more rows`;
    md.push('', `*${more}*`);
    plain.push(more);
  }
  if (options.caption) {
    const caption = options.caption.replace(/\n/g, ' ');
    md.unshift(`*${caption.replace(/([*_\\`])/g, '\\$1')}*`, '');
    plain.unshift(caption);
  }
  return { markdown: md.join('\n'), plain: plain.map((l) => l.trimEnd()).join('\n'), rows: rows.length, columns };
}
