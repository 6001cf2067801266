/**
 * Daily S&P 500 values (2000-2020, `data/sp500-2000.csv`, see `data/sp500-2000.md`) cut into
 * windows the way TimeGAN (Yoon, Jarrett & van der Schaar 2019) prepares its "Stocks" data in
 * the official code's `real_data_loading`: the six numeric columns (open, high, low, close,
 * adjusted close, volume; the same six as TimeGAN's Google stock data), each min-max
 * normalised over the whole series, (x - min) / (max - min + 1e-7); then every window of
 * `length` consecutive days, in random order.
 *
 * One deviation: the official loop `range(0, len(data) - seq_len)` leaves out the last
 * window; here every one of the `days - length + 1` windows is kept. The official code also
 * flips its file to oldest-first; this file is oldest-first already.
 */
import * as fs from 'fs';
import { argumentError, checkKnownOptions, checkPositiveInt } from '../core/args';
import { courseDataFile } from '../core/paths';
import { rng } from '../core/random';

/** The numeric columns, in the file's order. */
export const STOCK_COLUMNS = ['open', 'high', 'low', 'close', 'adjclose', 'volume'] as const;
export type StockColumn = (typeof STOCK_COLUMNS)[number];

export interface StockSeries {
  /** Trading days, oldest first, as YYYY-MM-DD. */
  dates: string[];
  /** days * 6 values, row-major [day, column] in `STOCK_COLUMNS` order. */
  values: Float64Array;
  days: number;
  columns: readonly StockColumn[];
}

let cache: StockSeries | null = null;

/** Reads `data/sp500-2000.csv` (once per process; later calls share the parsed series). */
export function loadSp500(): StockSeries {
  if (cache) return cache;
  const file = courseDataFile('sp500-2000.csv');
  if (!fs.existsSync(file)) throw new Error(`loadSp500: ${file} not found (it ships with the course, see data/sp500-2000.md)`);
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((h) => h.trim());
  const expected = ['date', ...STOCK_COLUMNS];
  if (header.join(',') !== expected.join(',')) throw new Error(`loadSp500: ${file} must have the columns ${expected.join(', ')}, got ${header.join(', ')}`);
  const days = lines.length - 1;
  const dates: string[] = new Array(days);
  const values = new Float64Array(days * STOCK_COLUMNS.length);
  for (let d = 0; d < days; d++) {
    const cells = lines[d + 1].split(',');
    dates[d] = cells[0];
    for (let c = 0; c < STOCK_COLUMNS.length; c++) {
      const v = Number(cells[c + 1]);
      if (!Number.isFinite(v)) throw new Error(`loadSp500: ${file} line ${d + 2}, column ${STOCK_COLUMNS[c]}: not a number (${JSON.stringify(cells[c + 1])})`);
      values[d * STOCK_COLUMNS.length + c] = v;
    }
  }
  cache = { dates, values, days, columns: STOCK_COLUMNS };
  return cache;
}

export interface StockWindowsOptions {
  /** Days per window (default 24, as in TimeGAN). */
  length?: number;
  /** Seed of the shuffle (default 0). */
  seed?: number;
}

export interface StockWindows {
  count: number;
  length: number;
  /** Always 6: `STOCK_COLUMNS`. */
  features: number;
  /** count * length * 6 values in [0, 1], row-major [window, day, column]. */
  data: Float32Array;
  /** Per-column minimum and maximum over the whole series, used for the scaling (undo with x (max - min + 1e-7) + min). */
  min: Float64Array;
  max: Float64Array;
  /** First day (index into `loadSp500().dates`) of each window, in the shuffled order. */
  starts: Int32Array;
}

/** TimeGAN's denominator guard, kept so that windows match the official preprocessing. */
const SCALE_EPSILON = 1e-7;

/** All overlapping `length`-day windows of the normalised S&P 500 series, shuffled (see the file comment). */
export function stockWindows(opts: StockWindowsOptions = {}): StockWindows {
  const who = 'stockWindows';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object', opts);
  checkKnownOptions(who, opts, ['length', 'seed']);
  const { length = 24, seed = 0 } = opts;
  checkPositiveInt(who, 'length', length);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argumentError(who, 'seed', 'a finite number', seed);
  const series = loadSp500();
  const F = STOCK_COLUMNS.length;
  if (length > series.days) throw argumentError(who, 'length', `at most the number of days (${series.days})`, length);
  const min = new Float64Array(F).fill(Infinity);
  const max = new Float64Array(F).fill(-Infinity);
  for (let d = 0; d < series.days; d++) {
    for (let c = 0; c < F; c++) {
      const v = series.values[d * F + c];
      if (v < min[c]) min[c] = v;
      if (v > max[c]) max[c] = v;
    }
  }
  const count = series.days - length + 1;
  const starts = Int32Array.from({ length: count }, (_, i) => i);
  const r = rng(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = starts[i];
    starts[i] = starts[j];
    starts[j] = t;
  }
  const data = new Float32Array(count * length * F);
  for (let w = 0; w < count; w++) {
    for (let t = 0; t < length; t++) {
      const d = starts[w] + t;
      for (let c = 0; c < F; c++) data[(w * length + t) * F + c] = (series.values[d * F + c] - min[c]) / (max[c] - min[c] + SCALE_EPSILON);
    }
  }
  return { count, length, features: F, data, min, max, starts };
}
