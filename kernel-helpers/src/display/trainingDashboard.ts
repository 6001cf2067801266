/**
 * A live training dashboard: progress bar, loss curves and optional samples, updated in
 * place while a GAN trains. It is a training callback (`callbacks: dashboard` in `train`).
 *
 * Cost control: the dashboard redraws only every `every` steps and at most once per
 * `minIntervalMs`. The Vega-Lite spec (drawn by the browser) is sent at every redraw; the
 * PNG fallback (rendered here, the expensive part) at most once per `pngIntervalMs`, and
 * redraws in between carry the last PNG so static front ends keep an image. On top of
 * that, each kind of redraw waits long enough that its measured cost stays below
 * `maxOverhead` of the wall time (so a slow or busy machine redraws less often instead of
 * training slower). The loss history is thinned to `maxPoints` per curve so a redraw's cost
 * stays flat however long training runs. The last redraw (at the end) always carries a
 * fresh PNG.
 */
import { liveDisplay, LiveDisplay, pngWanted } from './show';
import { importEsm } from './esmImport';
import { renderOutput } from './render';
import { MIME, RenderedOutput } from './mimeBundle';
import { classify, describe } from './showable';
import { COURSE_CONFIG, PALETTE, TRACK_COLOR, TRACK_OPACITY, colorScale } from '../plot/theme';
import { VEGA_LITE_SCHEMA, VegaLiteSpec } from '../plot/types';

/** What the dashboard reads from each step (structurally the training loop's StepInfo). */
export interface DashboardStepInfo {
  step: number;
  total: number;
  lossD: number;
  lossG: number;
  elapsedMs: number;
  /** False when the losses were not read at this step (then they are not recorded). */
  logged?: boolean;
  /** Extra curves, e.g. weighted penalties { r1: 0.02 }. */
  penalties?: { [name: string]: number | undefined };
  stepsPerSecond?: number;
}

/** What the dashboard reads at the end (structurally the training loop's result). */
export interface DashboardEndInfo {
  steps?: number;
  interrupted?: boolean;
  elapsedMs?: number;
}

export interface TrainingDashboardOptions {
  title?: string;
  /** Redraw every this many steps (default 10), time permitting. */
  every?: number;
  /** At most one redraw per this many ms (default 1000). */
  minIntervalMs?: number;
  /** At most one PNG render per this many ms (default 4000); 0 renders one at every redraw. */
  pngIntervalMs?: number;
  /**
   * Share of wall time each kind of redraw (with / without PNG) may take (default 0.02):
   * after a redraw costing c ms, the next one waits at least c / maxOverhead ms.
   * Set 0 to disable (only `every`, `minIntervalMs`, `pngIntervalMs` apply).
   */
  maxOverhead?: number;
  /** Points per loss curve on the chart (default 300; the history is thinned to this). */
  maxPoints?: number;
  /** Samples panel: called at redraws (at most once per `samplesIntervalMs`) with the step info. */
  render?: (info: DashboardStepInfo) => unknown | Promise<unknown>;
  /** At most one samples redraw per this many ms (default 2000). */
  samplesIntervalMs?: number;
  /** Logarithmic loss axis. */
  logY?: boolean;
}

export interface DashboardStats {
  /** Redraws sent. */
  refreshes: number;
  /** PNG renders done. */
  pngRenders: number;
  /** Total ms spent inside dashboard callbacks (building specs, rendering, sending). */
  totalMs: number;
  /** Mean ms of a redraw with a fresh PNG, and of one without. */
  meanMsWithPng: number;
  meanMsWithoutPng: number;
}

export interface TrainingDashboard {
  onStart(info: { total: number }): Promise<void>;
  onStep(info: DashboardStepInfo): void | Promise<void>;
  onEnd(result?: DashboardEndInfo): Promise<void>;
  /** Recorded losses (all logged steps, not thinned). */
  readonly history: ReadonlyArray<{ step: number; series: string; value: number }>;
  readonly stats: DashboardStats;
}

function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

function fmtLoss(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '-' : Math.abs(v) >= 100 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(4);
}

interface StoredPng {
  data: unknown;
  meta: unknown;
}

/**
 * Remembers a fresh PNG, or puts the remembered one into a bundle rendered without one, so
 * static front ends keep showing an image (a few seconds old) instead of flipping to text.
 */
function keepPng(out: RenderedOutput, store: { [k: string]: StoredPng | undefined }, key: string): void {
  if (out.bundle.data[MIME.png] !== undefined) {
    store[key] = { data: out.bundle.data[MIME.png], meta: out.bundle.metadata[MIME.png] };
  } else if (store[key]) {
    out.bundle.data[MIME.png] = store[key]!.data;
    out.bundle.metadata[MIME.png] = store[key]!.meta;
  }
}

/** Keeps at most `max` points, evenly spaced, always including the last one. */
function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const out: T[] = [];
  const stride = xs.length / max;
  for (let k = 0; k < max - 1; k++) out.push(xs[Math.floor(k * stride)]);
  out.push(xs[xs.length - 1]);
  return out;
}

/** Plain-text progress line: `title [#######-------] 47% step 470/1000 | lossD ... | ETA 0:12`. */
export function progressLine(title: string | undefined, info: DashboardStepInfo, state = ''): string {
  const frac = info.total > 0 ? Math.min(1, info.step / info.total) : 0;
  const width = 24;
  const filled = Math.round(frac * width);
  const rate = info.elapsedMs > 0 ? (1000 * info.step) / info.elapsedMs : 0;
  const eta = rate > 0 ? ((info.total - info.step) / rate) * 1000 : NaN;
  const parts = [
    `${title ? `${title} ` : ''}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(frac * 100)}%`,
    `step ${info.step}/${info.total}`,
    `lossD ${fmtLoss(info.lossD)}`,
    `lossG ${fmtLoss(info.lossG)}`,
    `${rate.toFixed(rate >= 10 ? 0 : 1)} it/s`,
    state || `elapsed ${fmtDuration(info.elapsedMs)}, ETA ${fmtDuration(eta)}`,
  ];
  return parts.join(' | ');
}

/** The dashboard chart: a progress bar over the loss curves, as one Vega-Lite spec. */
export function dashboardSpec(
  title: string | undefined,
  info: DashboardStepInfo,
  curves: Array<{ step: number; series: string; value: number }>,
  opts: { logY?: boolean; state?: string } = {},
): VegaLiteSpec {
  // The colour domain is seeded with the two losses, so the legend has entries from the first
  // frame on: vega 5 (JupyterLab 4's renderer) lays a legend with no entries out at an infinite
  // size, and the chart then draws as nothing.
  const names = [...new Set(['lossD', 'lossG', ...curves.map((c) => c.series)])];
  const frac = info.total > 0 ? Math.min(1, info.step / info.total) : 0;
  // The bar itself shows the fraction: the label keeps the numbers (not the text bar).
  const label = progressLine(undefined, info, opts.state)
    .split(' | ')
    .filter((_, i) => i !== 2 && i !== 3)
    .map((p, i) => (i === 0 ? p.replace(/^\[[#-]*\] /, '') : p))
    .join('  ·  ');
  const values = opts.logY ? curves.filter((c) => c.value > 0) : curves;
  // No losses yet (the start view): a fixed loss range instead of an empty scale domain.
  const emptyDomain = values.length === 0 ? { domain: opts.logY ? [0.1, 10] : [0, 1] } : {};
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title ? { title } : {}),
    config: COURSE_CONFIG,
    vconcat: [
      {
        width: 480,
        height: 14,
        data: { values: [{ done: frac, label }] },
        layer: [
          { mark: { type: 'bar', color: TRACK_COLOR, opacity: TRACK_OPACITY, height: 14 }, encoding: { x: { datum: 1, type: 'quantitative', scale: { domain: [0, 1] }, axis: null } } },
          { mark: { type: 'bar', color: PALETTE[2], height: 14 }, encoding: { x: { field: 'done', type: 'quantitative', scale: { domain: [0, 1] }, axis: null } } },
          { mark: { type: 'text', align: 'left', dx: 4, dy: -16, fontSize: 11 }, encoding: { x: { datum: 0, type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
      {
        width: 480,
        height: 200,
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5, clip: true },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step', scale: { domain: [0, Math.max(1, info.total)], nice: false } },
          y: { field: 'value', type: 'quantitative', title: 'loss', scale: { ...(opts.logY ? { type: 'log' } : { zero: false }), ...emptyDomain } },
          color: { field: 'series', type: 'nominal', scale: colorScale(names), legend: { title: null, orient: 'top-right' } },
        },
      },
    ],
  };
}

/**
 * A training callback showing progress, losses and (with `render`) samples, updated in place.
 * Example: `await train({ ..., callbacks: trainingDashboard({ title: '2D GAN', render: (i) => scatterChart(...) }) })`.
 */
export function trainingDashboard(options: TrainingDashboardOptions = {}): TrainingDashboard {
  const every = Math.max(1, Math.floor(options.every ?? 10));
  const minIntervalMs = Math.max(0, options.minIntervalMs ?? 1000);
  const pngIntervalMs = Math.max(0, options.pngIntervalMs ?? 4000);
  const maxOverhead = Math.max(0, options.maxOverhead ?? 0.02);
  const budgetWait = (costMs: number): number => (maxOverhead > 0 ? costMs / maxOverhead : 0);
  const samplesIntervalMs = Math.max(0, options.samplesIntervalMs ?? 2000);
  const maxPoints = Math.max(10, Math.floor(options.maxPoints ?? 300));
  if (options.render !== undefined && typeof options.render !== 'function') {
    throw new Error(`trainingDashboard: options.render must be a function (info) => showable, got ${describe(options.render)}`);
  }
  const history: Array<{ step: number; series: string; value: number }> = [];
  const bySeries = new Map<string, Array<{ step: number; series: string; value: number }>>();
  let chart: LiveDisplay | undefined;
  let samples: LiveDisplay | undefined;
  let lastInfo: DashboardStepInfo | undefined;
  let nextRefreshAt = -Infinity;
  let lastRefreshStep = 0;
  let nextPngAt = -Infinity;
  let cheapCostMs = 0;
  let lastSamplesAt = -Infinity;
  const lastPng: { chart?: StoredPng; samples?: StoredPng } = {};
  let lastPrintAt = -Infinity;
  const stats = { refreshes: 0, pngRenders: 0, totalMs: 0, msWithPng: 0, msWithoutPng: 0, nWithoutPng: 0 };

  const record = (step: number, series: string, value: number | undefined): void => {
    if (value === undefined || !Number.isFinite(value)) return;
    const e = { step, series, value };
    history.push(e);
    let arr = bySeries.get(series);
    if (!arr) bySeries.set(series, (arr = []));
    arr.push(e);
  };

  const refresh = async (info: DashboardStepInfo, final: boolean, state = '', start = false): Promise<void> => {
    const t0 = Date.now();
    chart = chart ?? liveDisplay({ name: options.title ? undefined : 'training-dashboard' });
    const curves = [...bySeries.values()].flatMap((a) => thin(a, maxPoints));
    const spec = dashboardSpec(options.title, info, curves, { logY: options.logY, state });
    // Every display carries a PNG, the start view too: JupyterLab's Vega renderer stores its own
    // PNG of a bundle that has none, and static viewers need one anyway.
    const png = pngWanted({}) && (start || final || t0 >= nextPngAt);
    const out: RenderedOutput = await renderOutput(spec, { png, name: options.title ? undefined : 'training-dashboard' });
    const text = progressLine(options.title, info, state);
    out.bundle.data[MIME.plain] = text;
    out.summary = text;
    if (png) stats.pngRenders++;
    keepPng(out, lastPng, 'chart');
    // Outside a kernel, print the progress line at most every 10 s (and at the end).
    const quiet = !final && t0 - lastPrintAt < 10_000;
    if (!quiet) lastPrintAt = t0;
    chart.updateRendered(out, quiet);

    if (options.render && (final || t0 - lastSamplesAt >= samplesIntervalMs)) {
      lastSamplesAt = t0;
      const x = await options.render(info);
      classify(x, 'render(info)'); // a clear error if render returns something show cannot display
      samples = samples ?? liveDisplay({ name: options.title ? undefined : 'training-samples' });
      const sOut = await renderOutput(x, { png });
      keepPng(sOut, lastPng, 'samples');
      samples.updateRendered(sOut, !final);
    }
    const dt = Date.now() - t0;
    stats.refreshes++;
    stats.totalMs += dt;
    if (png) stats.msWithPng += dt;
    else {
      stats.msWithoutPng += dt;
      stats.nWithoutPng++;
    }
    const now = Date.now();
    // The start view's PNG (a nearly empty chart, with the renderer's one-time warm-up in its
    // cost) does not hold back the first PNG of the curves.
    if (png && !start) nextPngAt = now + Math.max(pngIntervalMs, budgetWait(dt));
    else cheapCostMs = dt;
    nextRefreshAt = now + Math.max(minIntervalMs, budgetWait(cheapCostMs));
    lastRefreshStep = info.step;
  };

  const dashboard: TrainingDashboard = {
    async onStart(info: { total: number }): Promise<void> {
      const start: DashboardStepInfo = { step: 0, total: info?.total ?? 0, lossD: NaN, lossG: NaN, elapsedMs: 0 };
      // A dashboard reused for another run starts afresh, in new outputs.
      history.length = 0;
      bySeries.clear();
      chart = undefined;
      samples = undefined;
      lastRefreshStep = 0;
      nextRefreshAt = -Infinity;
      nextPngAt = -Infinity;
      lastSamplesAt = -Infinity;
      lastPng.chart = lastPng.samples = undefined;
      lastInfo = start;
      // Load the chart modules now, outside the measured redraw costs (a one-time cost that
      // would otherwise look like an expensive PNG and delay the next ones for minutes).
      if (pngWanted({})) {
        const t0 = Date.now();
        await Promise.all([importEsm('vega'), importEsm('vega-lite')]);
        stats.totalMs += Date.now() - t0;
      }
      // Nothing to plot yet: the start view shows the empty chart (with its PNG).
      await refresh(start, false, 'starting', true);
    },
    onStep(info: DashboardStepInfo): void | Promise<void> {
      if (!info || typeof info.step !== 'number' || typeof info.total !== 'number') {
        throw new Error(`trainingDashboard.onStep: info must have numeric step and total, got ${describe(info)}`);
      }
      const t0 = Date.now();
      if (info.logged !== false) {
        record(info.step, 'lossD', info.lossD);
        record(info.step, 'lossG', info.lossG);
        if (info.penalties) for (const [k, v] of Object.entries(info.penalties)) record(info.step, k, v);
      }
      lastInfo = info;
      stats.totalMs += Date.now() - t0;
      const due = info.step - lastRefreshStep >= every && Date.now() >= nextRefreshAt;
      if (due && info.step < info.total) return refresh(info, false);
    },
    async onEnd(result?: DashboardEndInfo): Promise<void> {
      const info = lastInfo ?? { step: 0, total: 0, lossD: NaN, lossG: NaN, elapsedMs: 0 };
      const elapsedMs = result?.elapsedMs ?? info.elapsedMs;
      const state = result?.interrupted
        ? `interrupted at step ${result.steps ?? info.step} after ${fmtDuration(elapsedMs)}`
        : `done in ${fmtDuration(elapsedMs)}`;
      await refresh({ ...info, elapsedMs }, true, state);
    },
    get history() {
      return history;
    },
    get stats(): DashboardStats {
      const nPng = stats.pngRenders;
      return {
        refreshes: stats.refreshes,
        pngRenders: nPng,
        totalMs: stats.totalMs,
        meanMsWithPng: nPng ? stats.msWithPng / nPng : 0,
        meanMsWithoutPng: stats.nWithoutPng ? stats.msWithoutPng / stats.nWithoutPng : 0,
      };
    },
  };
  return dashboard;
}
