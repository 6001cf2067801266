/**
 * The sequence chapter's data: synthetic melodies (C-RNN-GAN's note events) and the
 * statistics C-RNN-GAN reports, checked on hand-made melodies; TimeGAN's and RCGAN's sines
 * against their formulas; the S&P 500 file and TimeGAN's windowing of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  syntheticMelodies, melodyStatistics, melodyToNormalized, melodyFromNormalized, MELODY_RANGES, SCALE_STEPS,
  sineSequences, rcganSines, loadSp500, stockWindows, STOCK_COLUMNS,
} from '../../../kernel-helpers/src/data';

/** Tone values [duration, pitch, intensity, since] of one melody from its pitches (1 beat each). */
function melody(pitches: number[], since?: number[]): Float32Array {
  const out = new Float32Array(pitches.length * 4);
  pitches.forEach((p, t) => out.set([1, p, 0.8, since ? since[t] : t === 0 ? 0 : 1], t * 4));
  return out;
}

test('syntheticMelodies: deterministic per seed, 4 values per tone in their ranges, every tone in the melody key', () => {
  const a = syntheticMelodies({ count: 60, length: 32, seed: 7 });
  const b = syntheticMelodies({ count: 60, seed: 7 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(syntheticMelodies({ count: 60, seed: 8 }).tones, a.tones);
  assert.equal(a.tones.length, 60 * 32 * 4);
  assert.equal(a.keys.length, 60);
  // melody 0 does not depend on how many melodies are asked for
  assert.deepEqual(syntheticMelodies({ count: 1, seed: 7 }).tones, a.tones.subarray(0, 32 * 4));
  assert.ok(a.keys.every((k) => k >= 0 && k < 12) && a.modes.every((m) => m === 0 || m === 1));
  assert.ok(new Set(a.modes).size === 2 && new Set(a.keys).size > 6, 'both modes and many keys occur');
  for (let i = 0; i < a.count; i++) {
    const steps = a.modes[i] === 0 ? SCALE_STEPS.major : SCALE_STEPS.minor;
    for (let t = 0; t < a.length; t++) {
      const [d, p, v, s] = a.tones.subarray((i * a.length + t) * 4, (i * a.length + t) * 4 + 4);
      assert.ok([0.5, 1, 1.5, 2].includes(d), `duration ${d}`);
      assert.ok(Number.isInteger(p) && p >= MELODY_RANGES[1][0] && p <= MELODY_RANGES[1][1], `pitch ${p}`);
      assert.ok(steps.includes((((p - a.keys[i]) % 12) + 12) % 12), `pitch ${p} is in the key of melody ${i}`);
      assert.ok(v >= 0.05 && v <= 1, `intensity ${v}`);
      assert.ok(s >= 0 && s <= 2 && (t > 0 || s === 0), `time since previous ${s}`);
    }
  }
  const stats = melodyStatistics(a.tones, a.count, a.length);
  assert.equal(stats.scaleConsistency, 1);
  assert.ok(stats.polyphony > 0.01 && stats.polyphony < 0.12, `chords at a small rate: ${stats.polyphony}`);
  assert.ok(stats.repetitions >= 1, `motifs repeat: ${stats.repetitions}`);
  assert.ok(stats.toneSpan > 7 && stats.toneSpan < 40, `span ${stats.toneSpan}`);
  assert.throws(() => syntheticMelodies({ count: 0, seed: 1 }), /syntheticMelodies: count must be a positive integer, got 0/);
  assert.throws(() => syntheticMelodies({ count: 2, seed: 1, lenght: 3 } as never), /unknown option 'lenght'/);
});

test('melodyStatistics on hand-made melodies: a scale run, a chromatic run, a repeated motif, chords', () => {
  const cMajor = melody([60, 62, 64, 65, 67, 69, 71, 72]);
  const s = melodyStatistics(cMajor, 1, 8);
  assert.equal(s.scaleConsistency, 1);
  assert.equal(s.toneSpan, 12);
  assert.equal(s.polyphony, 0);
  // intervals 2 2 1 2 2 2 1: the windows (2,2,1) (2,1,2) (1,2,2) (2,2,2) (2,2,1), the last repeats the first
  assert.equal(s.repetitions, 1);
  // 13 chromatic tones: the best scale (e.g. C major with both Cs) holds 8 of them
  const chromatic = melody(Array.from({ length: 13 }, (_, i) => 60 + i));
  const c = melodyStatistics(chromatic, 1, 13);
  assert.ok(Math.abs(c.scaleConsistency - 8 / 13) < 1e-12, `${c.scaleConsistency}`);
  assert.equal(c.toneSpan, 12);
  assert.equal(c.repetitions, 9, 'all 10 windows have the intervals (1, 1, 1): 9 repeat the first');
  // real-valued pitches round to the nearest semitone for the scale test, not for the span
  const rough = melodyStatistics(melody([60.3, 61.8, 64.2, 64.6]), 1, 4);
  assert.equal(rough.scaleConsistency, 1);
  assert.ok(Math.abs(rough.toneSpan - 4.3) < 1e-5);
  // a motif (2, 2, -4) and its transposition by a fourth: one repeated pattern
  const motif = melodyStatistics(melody([60, 62, 64, 60, 65, 67, 69, 65]), 1, 8);
  assert.equal(motif.repetitions, 1);
  // chords: time-since-previous below the tolerance (0.05 beats) counts, above it does not
  const chords = melody([60, 64, 65, 69, 67], [0, 0, 1, 0.04, 0.06]);
  assert.ok(Math.abs(melodyStatistics(chords, 1, 5).polyphony - 2 / 4) < 1e-12);
  assert.ok(Math.abs(melodyStatistics(chords, 1, 5, { chordTolerance: 0.1 }).polyphony - 3 / 4) < 1e-12);
  // several melodies: per-melody values and their mean
  const two = new Float32Array([...cMajor, ...melody([60, 61, 62, 63, 64, 65, 66, 67])]);
  const both = melodyStatistics(two, 2, 8);
  assert.deepEqual(Array.from(both.perMelody.toneSpan), [12, 7]);
  assert.equal(both.toneSpan, 9.5);
  assert.throws(() => melodyStatistics(two, 2, 7), /melodyStatistics: tones must hold count \* length \* 4 = 2 \* 7 \* 4 = 56 values \(melodies of equal length/);
  assert.throws(() => melodyStatistics(melody([60, NaN]), 1, 2), /melodyStatistics: tones\[5\] must be a finite number, got NaN/);
  assert.throws(() => melodyStatistics(cMajor, 1, 8, { chordTolerance: -1 }), /opts\.chordTolerance must be a finite number >= 0/);
});

test('melodyToNormalized / melodyFromNormalized: fixed ranges to [-1, 1] and back', () => {
  const m = syntheticMelodies({ count: 20, seed: 3 });
  const z = melodyToNormalized(m.tones);
  assert.ok(z.every((v) => v >= -1 && v <= 1));
  assert.deepEqual(Array.from(melodyToNormalized([0, 36, 0, 0, 4, 96, 1, 4, 2, 66, 0.5, 2])), [-1, -1, -1, -1, 1, 1, 1, 1, 0, 0, 0, 0]);
  const back = melodyFromNormalized(z);
  for (let i = 0; i < back.length; i++) assert.ok(Math.abs(back[i] - m.tones[i]) < 1e-4);
  assert.throws(() => melodyToNormalized([1, 2, 3]), /melodyToNormalized: tones\.length must be a multiple of 4/);
});

test('sineSequences: TimeGAN sines, (sin(f j + phi) + 1) / 2 with f, phi in [0, 0.1], row-major [count, length, features]', () => {
  const s = sineSequences({ count: 50, seed: 1 });
  assert.equal(s.length, 24);
  assert.equal(s.features, 5);
  assert.equal(s.data.length, 50 * 24 * 5);
  assert.deepEqual(sineSequences({ count: 50, seed: 1 }), s);
  assert.notDeepEqual(sineSequences({ count: 50, seed: 2 }).data, s.data);
  assert.ok(s.data.every((v) => v >= 0 && v <= 1));
  assert.ok(s.frequencies.every((f) => f >= 0 && f < 0.1) && s.phases.every((p) => p >= 0 && p < 0.1));
  for (const [i, j, k] of [[0, 0, 0], [3, 10, 2], [49, 23, 4]]) {
    const want = (Math.sin(s.frequencies[i * 5 + k] * j + s.phases[i * 5 + k]) + 1) / 2;
    assert.ok(Math.abs(s.data[(i * 24 + j) * 5 + k] - want) < 1e-6);
  }
  const small = sineSequences({ count: 2, length: 3, features: 1, seed: 0 });
  assert.equal(small.data.length, 6);
  assert.throws(() => sineSequences({ count: 2, features: 0, seed: 0 }), /sineSequences: features must be a positive integer, got 0/);
  assert.throws(() => sineSequences({ count: 2 } as never), /sineSequences: seed must be a finite number, got undefined/);
});

test('rcganSines: one channel, A sin(2 pi f j / length + phi), A in [0.1, 0.9], f in [1, 5] cycles per sequence', () => {
  const s = rcganSines({ count: 40, seed: 5 });
  assert.equal(s.length, 30);
  assert.equal(s.data.length, 40 * 30);
  assert.deepEqual(rcganSines({ count: 40, seed: 5 }), s);
  for (let i = 0; i < 40; i++) {
    const [a, f, phi] = [s.amplitudes[i], s.frequencies[i], s.phases[i]];
    assert.ok(a >= 0.1 && a <= 0.9 && f >= 1 && f <= 5 && Math.abs(phi) <= Math.PI);
    for (let j = 0; j < 30; j++) {
      const v = s.data[i * 30 + j];
      assert.ok(Math.abs(v) <= a + 1e-6);
      assert.ok(Math.abs(v - a * Math.sin((2 * Math.PI * f * (j + 1)) / 30 + phi)) < 1e-5);
    }
  }
  assert.throws(() => rcganSines({ count: 1, length: 2.5, seed: 0 }), /rcganSines: length must be a positive integer, got 2\.5/);
});

test('loadSp500 and stockWindows: six columns, min-max scaled, every overlapping window, shuffled by the seed', () => {
  const s = loadSp500();
  assert.equal(s.days, 5105);
  assert.deepEqual(s.columns, STOCK_COLUMNS);
  assert.equal(s.dates[0], '2000-01-03');
  assert.equal(s.dates[s.days - 1], '2020-04-17');
  assert.ok(Math.abs(s.values[3] - 1455.219971) < 1e-9, 'close on the first day');
  const w = stockWindows({ length: 24, seed: 1 });
  assert.equal(w.count, 5105 - 24 + 1);
  assert.equal(w.features, 6);
  assert.equal(w.data.length, w.count * 24 * 6);
  assert.ok(w.data.every((v) => v >= 0 && v <= 1));
  for (let c = 0; c < 6; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let d = 0; d < s.days; d++) {
      lo = Math.min(lo, s.values[d * 6 + c]);
      hi = Math.max(hi, s.values[d * 6 + c]);
    }
    assert.equal(w.min[c], lo);
    assert.equal(w.max[c], hi);
  }
  assert.deepEqual(Array.from(w.starts).sort((a, b) => a - b), Array.from({ length: w.count }, (_, i) => i), 'each window once');
  for (const k of [0, 17, w.count - 1]) {
    for (const [t, c] of [[0, 0], [23, 5], [11, 3]]) {
      const want = (s.values[(w.starts[k] + t) * 6 + c] - w.min[c]) / (w.max[c] - w.min[c] + 1e-7);
      assert.ok(Math.abs(w.data[(k * 24 + t) * 6 + c] - want) < 1e-6);
    }
  }
  assert.deepEqual(stockWindows({ length: 24, seed: 1 }).starts, w.starts);
  assert.notDeepEqual(stockWindows({ length: 24, seed: 2 }).starts, w.starts);
  assert.equal(stockWindows({ length: 5, seed: 0 }).count, 5101);
  assert.throws(() => stockWindows({ length: 6000 }), /stockWindows: length must be at most the number of days \(5105\), got 6000/);
  assert.throws(() => stockWindows({ length: 0 }), /stockWindows: length must be a positive integer, got 0/);
});
