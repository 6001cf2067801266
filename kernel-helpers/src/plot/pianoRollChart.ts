/**
 * Piano rolls of note-event melodies (C-RNN-GAN's representation, Mogren 2016; see
 * data/melodies.ts): one bar per tone, from its onset to its end along time, at its pitch.
 * A piano roll shows at a glance what the C-RNN-GAN metrics count: the range of pitches (tone
 * span), stepwise motion and repeated figures, chords (bars that start together), rhythm.
 * The tones' intensity sets the bars' opacity.
 */
import { argumentError, checkPositiveInt } from '../core/args';
import { ChartOptions, chartFrame } from './chartBase';
import { checkRange, r6 } from './inputs';
import { PALETTE } from './theme';
import type { VegaLiteSpec } from './types';

/** Values per tone: duration, pitch, intensity, time since the previous tone's start. */
const FEATURES = 4;

export interface PianoRollChartOptions extends ChartOptions {
  /** Which melodies to draw (indices; default the first min(count, 4)). */
  melodies?: number[];
  /** Panels per row when several melodies are drawn (default min(melodies, 2)). */
  columns?: number;
  /** Fixed pitch axis [low, high] in MIDI numbers (default: fitted to the tones drawn). */
  pitchDomain?: [number, number];
}

/**
 * Piano roll of melodies given as tone values [count, length, 4] (`tones` flat, row-major).
 * A generator's real-valued output draws as well: onsets add up time-since-previous (negative
 * values count as 0), a non-positive duration draws as a thin sliver. Example:
 * `pianoRollChart(melodies.tones, melodies.length, { melodies: [0, 1], title: 'Real melodies' })`.
 */
export function pianoRollChart(tones: ArrayLike<number>, length: number, opts: PianoRollChartOptions = {}): VegaLiteSpec {
  const who = 'pianoRollChart';
  checkPositiveInt(who, 'length', length);
  if (tones == null || typeof tones.length !== 'number') throw argumentError(who, 'tones', 'an array of tone values [count, length, 4]', tones);
  if (tones.length === 0 || tones.length % (length * FEATURES) !== 0) {
    throw argumentError(who, 'tones.length', `a positive multiple of length * 4 = ${length * FEATURES} (melodies of ${length} tones, 4 values each)`, tones.length);
  }
  const count = tones.length / (length * FEATURES);
  const shown = opts.melodies ?? Array.from({ length: Math.min(count, 4) }, (_, i) => i);
  if (!Array.isArray(shown) || shown.length === 0) throw argumentError(who, 'opts.melodies', 'a non-empty list of melody indices', shown);
  shown.forEach((m, i) => {
    if (!Number.isInteger(m) || m < 0 || m >= count) throw argumentError(who, `opts.melodies[${i}]`, `a melody index in [0, ${count - 1}]`, m);
  });
  const pitchDomain = opts.pitchDomain ? checkRange(who, 'opts.pitchDomain', opts.pitchDomain) : undefined;

  const values: Array<{ melody: string; start: number; end: number; low: number; high: number; pitch: number; intensity: number }> = [];
  for (const m of shown) {
    let onset = 0;
    for (let t = 0; t < length; t++) {
      const o = (m * length + t) * FEATURES;
      const [duration, pitch, intensity, since] = [tones[o], tones[o + 1], tones[o + 2], tones[o + 3]];
      if (![duration, pitch, intensity, since].every(Number.isFinite)) continue;
      if (t > 0) onset += Math.max(0, since);
      // half a semitone either side: adjacent pitches touch without overlapping
      values.push({
        melody: `melody ${m}`,
        start: r6(onset),
        end: r6(onset + Math.max(duration, 0.02)),
        low: r6(pitch - 0.45),
        high: r6(pitch + 0.45),
        pitch: r6(pitch),
        intensity: r6(Math.min(1, Math.max(0, intensity))),
      });
    }
  }
  const layer = {
    mark: { type: 'rect', color: PALETTE[0], stroke: PALETTE[0], strokeWidth: 0.5, clip: true },
    encoding: {
      x: { field: 'start', type: 'quantitative', title: opts.xTitle ?? 'time (beats)', scale: { zero: false, nice: false } },
      x2: { field: 'end' },
      y: { field: 'low', type: 'quantitative', title: opts.yTitle ?? 'pitch (MIDI)', scale: { zero: false, ...(pitchDomain ? { domain: pitchDomain } : {}) } },
      y2: { field: 'high' },
      opacity: { field: 'intensity', type: 'quantitative', title: 'intensity', scale: { domain: [0, 1], range: [0.25, 1] } },
      tooltip: [
        { field: 'pitch', type: 'quantitative', title: 'pitch' },
        { field: 'start', type: 'quantitative', title: 'onset' },
        { field: 'intensity', type: 'quantitative', title: 'intensity' },
      ],
    },
  };
  if (shown.length === 1) {
    const spec = chartFrame(opts, { width: 420, height: 220 });
    spec.data = { values };
    Object.assign(spec, layer);
    return spec;
  }
  const frame = chartFrame(opts, { width: 300, height: 180 });
  const { width, height, ...top } = frame;
  const columns = Math.max(1, Math.round(opts.columns ?? Math.min(shown.length, 2)));
  return {
    ...top,
    data: { values },
    facet: { field: 'melody', type: 'nominal', title: null, sort: shown.map((m) => `melody ${m}`) },
    columns,
    spec: { width, height, ...layer },
    resolve: { scale: { x: 'independent' } },
  };
}
