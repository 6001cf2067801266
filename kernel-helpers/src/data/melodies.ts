/**
 * Synthetic melodies as note events, for the sequence-GAN chapter. C-RNN-GAN (Mogren 2016,
 * "C-RNN-GAN: Continuous recurrent neural networks with adversarial training") models music
 * as a sequence of tones with four real-valued features each, and so do we:
 *
 *   [duration (beats), pitch (MIDI number), intensity (0-1), time since the previous tone's start (beats)]
 *
 * Real MIDI corpora are large and licensed piece by piece; a generator with a known structure
 * gives the chapter data whose statistics we control, so the paper's four metrics
 * (`melodyStatistics`) have known targets: every melody is in one of the 24 major/minor keys
 * (scale consistency near 1), moves mostly by small steps, repeats 4-tone motifs (exactly or
 * transposed), follows a few one-bar rhythms, and has the odd two-tone chord (polyphony).
 *
 * The first tone has no previous one: its time-since-previous is 0 by convention, and the
 * statistics skip it when counting chords.
 */
import { argumentError, checkInteger, checkKnownOptions, checkNonNegative, checkPositiveInt } from '../core/args';
import { rng, Rng } from '../core/random';

/** Values per tone: duration, pitch, intensity, time since the previous tone's start. */
export const MELODY_FEATURES = 4;

/** Semitone offsets of the major and natural-minor scales from their tonic. */
export const SCALE_STEPS: Readonly<Record<'major' | 'minor', readonly number[]>> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
};

/**
 * One-bar rhythms in 4/4 (durations in beats, each summing to 4). The shortest value, 1/2
 * beat, is what the polyphony tolerance is measured against.
 */
const BAR_TEMPLATES: readonly (readonly number[])[] = [
  [1, 1, 1, 1],
  [2, 1, 1],
  [0.5, 0.5, 1, 1, 1],
  [1.5, 0.5, 1, 1],
  [1, 0.5, 0.5, 2],
  [0.5, 0.5, 0.5, 0.5, 1, 1],
];

/** Scale degrees the walk may visit (degree 0 is the tonic above middle C's octave). */
const LOWEST_DEGREE = -5;
const HIGHEST_DEGREE = 12;
/** Probability that a tone is the second note of a two-tone chord. */
const CHORD_RATE = 0.05;
/** Probability that a 4-tone phrase restates the melody's motif instead of walking on. */
const MOTIF_RATE = 0.4;

export interface SyntheticMelodiesOptions {
  count: number;
  /** Tones per melody (default 32). */
  length?: number;
  seed: number;
}

export interface SyntheticMelodies {
  count: number;
  length: number;
  /** count * length * 4 values, row-major [melody, tone, feature]. */
  tones: Float32Array;
  /** Tonic pitch class of each melody, 0 (C) to 11 (B). */
  keys: Int32Array;
  /** 0 = major, 1 = (natural) minor. */
  modes: Int32Array;
}

/** MIDI pitch of a scale degree (degree 0 = the tonic in the octave from middle C, MIDI 60). */
function degreePitch(degree: number, tonic: number, steps: readonly number[]): number {
  const octave = Math.floor(degree / 7);
  return 60 + tonic + 12 * octave + steps[degree - 7 * octave];
}

/** Mostly 0, +-1 or +-2 degrees; a leap of 3 or 4 now and then. */
function walkStep(r: Rng): number {
  const u = r.uniform();
  const size = u < 0.15 ? 0 : u < 0.65 ? 1 : u < 0.92 ? 2 : u < 0.98 ? 3 : 4;
  return r.uniform() < 0.5 ? -size : size;
}

/** Keeps a degree inside the range by reflecting at its ends. */
function reflect(d: number): number {
  if (d < LOWEST_DEGREE) return 2 * LOWEST_DEGREE - d;
  if (d > HIGHEST_DEGREE) return 2 * HIGHEST_DEGREE - d;
  return d;
}

function oneMelody(r: Rng, length: number, out: Float32Array, offset: number): { tonic: number; mode: number } {
  const tonic = r.int(12);
  const mode = r.int(2);
  const steps = mode === 0 ? SCALE_STEPS.major : SCALE_STEPS.minor;
  const loudness = 0.5 + 0.3 * r.uniform();

  // Rhythm: bar after bar of templates; a bar usually repeats the one before, which gives
  // the regular rhythm a listener (and a discriminator) picks up.
  let bar: readonly number[] = BAR_TEMPLATES[r.int(BAR_TEMPLATES.length)];
  let inBar = 0;
  const nextDuration = (): { duration: number; downbeat: boolean } => {
    if (inBar === bar.length) {
      if (r.uniform() > 0.6) bar = BAR_TEMPLATES[r.int(BAR_TEMPLATES.length)];
      inBar = 0;
    }
    return { duration: bar[inBar], downbeat: inBar++ === 0 };
  };

  // Melody: phrases of 4 degrees; the first phrase becomes the motif, later ones restate it
  // (same degrees, or moved by a degree or two: a diatonic sequence, which keeps the key)
  // or walk on from where the last phrase ended.
  let degree = r.int(5);
  let motif: number[] | null = null;
  let phrase: number[] = [];
  const nextDegree = (): number => {
    if (phrase.length === 0) {
      if (motif && r.uniform() < MOTIF_RATE) {
        const shift = r.uniform() < 0.5 ? 0 : walkStep(r);
        const low = Math.min(...motif) + shift;
        const high = Math.max(...motif) + shift;
        const ok = low >= LOWEST_DEGREE && high <= HIGHEST_DEGREE;
        phrase = motif.map((d) => d + (ok ? shift : 0));
      } else {
        let d = degree;
        for (let k = 0; k < 4; k++) {
          d = reflect(d + walkStep(r));
          phrase.push(d);
        }
        if (!motif) motif = phrase.slice();
      }
    }
    degree = phrase.shift() as number;
    return degree;
  };

  let prevDuration = 0;
  let prevDegree = 0;
  for (let t = 0; t < length; t++) {
    const o = offset + t * MELODY_FEATURES;
    let duration: number;
    let pitch: number;
    let since: number;
    let accent = 0;
    if (t > 0 && r.uniform() < CHORD_RATE) {
      // a chord: a third or a fifth above the previous tone, struck with it, held as long
      const upper = Math.min(prevDegree + (r.uniform() < 0.5 ? 2 : 4), HIGHEST_DEGREE + 2);
      duration = prevDuration;
      pitch = degreePitch(upper, tonic, steps);
      since = 0;
    } else {
      const beat = nextDuration();
      duration = beat.duration;
      prevDegree = nextDegree();
      pitch = degreePitch(prevDegree, tonic, steps);
      since = t === 0 ? 0 : prevDuration;
      accent = beat.downbeat ? 0.15 : 0;
      prevDuration = duration;
    }
    out[o] = duration;
    out[o + 1] = pitch;
    out[o + 2] = Math.min(1, Math.max(0.05, loudness + accent + 0.05 * r.normal()));
    out[o + 3] = since;
  }
  return { tonic, mode };
}

/** `count` seeded melodies of `length` tones (see the file comment for their structure). */
export function syntheticMelodies(opts: SyntheticMelodiesOptions): SyntheticMelodies {
  const who = 'syntheticMelodies';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object', opts);
  checkKnownOptions(who, opts, ['count', 'length', 'seed']);
  const { count, length = 32, seed } = opts;
  checkPositiveInt(who, 'count', count);
  checkPositiveInt(who, 'length', length);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argumentError(who, 'seed', 'a finite number', seed);
  const r = rng(seed);
  const tones = new Float32Array(count * length * MELODY_FEATURES);
  const keys = new Int32Array(count);
  const modes = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    // one stream per melody: melody i does not depend on how many random numbers i - 1 used
    const { tonic, mode } = oneMelody(r.fork(), length, tones, i * length * MELODY_FEATURES);
    keys[i] = tonic;
    modes[i] = mode;
  }
  return { count, length, tones, keys, modes };
}

/** Checks `tones` holds `count` melodies of `length` tones, 4 finite values each. */
export function checkMelodies(who: string, tones: ArrayLike<number>, count: number, length: number): void {
  checkPositiveInt(who, 'count', count);
  checkPositiveInt(who, 'length', length);
  if (tones == null || typeof tones.length !== 'number') throw argumentError(who, 'tones', 'an array of tone values', tones);
  const want = count * length * MELODY_FEATURES;
  if (tones.length !== want) {
    throw new Error(`${who}: tones must hold count * length * 4 = ${count} * ${length} * 4 = ${want} values (melodies of equal length, 4 features per tone), got ${tones.length}`);
  }
  for (let i = 0; i < tones.length; i++) {
    if (!Number.isFinite(tones[i])) throw argumentError(who, `tones[${i}]`, 'a finite number', tones[i]);
  }
}

// ---- statistics -----------------------------------------------------------------------

export interface MelodyStatisticsOptions {
  /**
   * Tones whose time-since-previous is below this many beats count as struck together with
   * the previous one (default 0.05: a tenth of the shortest value in the data, 1/2 beat, so a
   * generator's real-valued "almost zero" counts as a chord and a short note never does).
   */
  chordTolerance?: number;
  /** Length of the pitch patterns counted as repetitions (default 4 tones, i.e. 3 intervals). */
  patternLength?: number;
}

export interface MelodyStatistics {
  /** Mean over melodies of the share of tones in the best-fitting of the 24 major/minor scales. */
  scaleConsistency: number;
  /** Mean over melodies of the highest minus the lowest pitch, in semitones. */
  toneSpan: number;
  /** Mean over melodies of the number of repeated pitch-interval patterns. */
  repetitions: number;
  /** Share of tones (after each melody's first) struck together with the previous one. */
  polyphony: number;
  /** The same four numbers for each melody. */
  perMelody: { scaleConsistency: Float64Array; toneSpan: Float64Array; repetitions: Float64Array; polyphony: Float64Array };
}

/**
 * C-RNN-GAN's evaluation statistics (Mogren 2016, sect. 3), computed per melody and averaged:
 * - scale consistency: the share of tones whose pitch (rounded to the nearest semitone) lies
 *   in a scale, for the best of the 12 major and 12 natural-minor scales;
 * - tone span: highest minus lowest pitch in semitones (on the pitches as given, so a
 *   generator's real-valued pitches give a real-valued span);
 * - repetitions: how many `patternLength`-tone windows repeat the interval pattern (the
 *   rounded pitch differences, so a transposed motif counts) of an earlier window of the same
 *   melody; timing is ignored, as in the paper;
 * - polyphony: the share of tones starting with the previous one (time-since-previous below
 *   `chordTolerance`), over tones 2..length of each melody.
 */
export function melodyStatistics(tones: ArrayLike<number>, count: number, length: number, opts: MelodyStatisticsOptions = {}): MelodyStatistics {
  const who = 'melodyStatistics';
  checkKnownOptions(who, opts, ['chordTolerance', 'patternLength']);
  const { chordTolerance = 0.05, patternLength = 4 } = opts;
  checkNonNegative(who, 'opts.chordTolerance', chordTolerance);
  checkInteger(who, 'opts.patternLength', patternLength, 2);
  checkMelodies(who, tones, count, length);
  const perMelody = {
    scaleConsistency: new Float64Array(count),
    toneSpan: new Float64Array(count),
    repetitions: new Float64Array(count),
    polyphony: new Float64Array(count),
  };
  const scales: boolean[][] = [];
  for (const steps of [SCALE_STEPS.major, SCALE_STEPS.minor]) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const inScale = new Array<boolean>(12).fill(false);
      for (const s of steps) inScale[(tonic + s) % 12] = true;
      scales.push(inScale);
    }
  }
  const classes = new Int32Array(length);
  const rounded = new Int32Array(length);
  for (let i = 0; i < count; i++) {
    const base = i * length * MELODY_FEATURES;
    let lo = Infinity;
    let hi = -Infinity;
    let chords = 0;
    for (let t = 0; t < length; t++) {
      const p = tones[base + t * MELODY_FEATURES + 1];
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
      rounded[t] = Math.round(p);
      classes[t] = ((rounded[t] % 12) + 12) % 12;
      if (t > 0 && tones[base + t * MELODY_FEATURES + 3] < chordTolerance) chords++;
    }
    let best = 0;
    for (const inScale of scales) {
      let hits = 0;
      for (let t = 0; t < length; t++) if (inScale[classes[t]]) hits++;
      best = Math.max(best, hits);
    }
    const seen = new Set<string>();
    let repeats = 0;
    for (let t = 0; t + patternLength <= length; t++) {
      const key = Array.from({ length: patternLength - 1 }, (_, k) => rounded[t + k + 1] - rounded[t + k]).join(',');
      if (seen.has(key)) repeats++;
      else seen.add(key);
    }
    perMelody.scaleConsistency[i] = best / length;
    perMelody.toneSpan[i] = hi - lo;
    perMelody.repetitions[i] = repeats;
    perMelody.polyphony[i] = length > 1 ? chords / (length - 1) : 0;
  }
  const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  return {
    scaleConsistency: mean(perMelody.scaleConsistency),
    toneSpan: mean(perMelody.toneSpan),
    repetitions: mean(perMelody.repetitions),
    polyphony: mean(perMelody.polyphony),
    perMelody,
  };
}

// ---- scaling for a GAN ----------------------------------------------------------------

/**
 * The fixed range of each feature that `melodyToNormalized` maps to [-1, 1] (fixed, not fitted
 * to the data, so real and generated melodies share one scale): duration and
 * time-since-previous 0-4 beats (one 4/4 bar), pitch MIDI 36-96 (C2-C7; the generator uses
 * about 48-95), intensity 0-1.
 */
export const MELODY_RANGES: readonly (readonly [number, number])[] = [
  [0, 4],
  [36, 96],
  [0, 1],
  [0, 4],
];

function affine(who: string, tones: ArrayLike<number>, forward: boolean): Float32Array {
  if (tones == null || typeof tones.length !== 'number') throw argumentError(who, 'tones', 'an array of tone values', tones);
  if (tones.length % MELODY_FEATURES !== 0) throw argumentError(who, 'tones.length', 'a multiple of 4 (4 features per tone)', tones.length);
  const out = new Float32Array(tones.length);
  for (let i = 0; i < tones.length; i++) {
    const [lo, hi] = MELODY_RANGES[i % MELODY_FEATURES];
    out[i] = forward ? (2 * (tones[i] - lo)) / (hi - lo) - 1 : lo + ((tones[i] + 1) / 2) * (hi - lo);
  }
  return out;
}

/** Tones scaled feature by feature from `MELODY_RANGES` to [-1, 1] (a tanh generator's range). Values outside a range are not clipped. */
export function melodyToNormalized(tones: ArrayLike<number>): Float32Array {
  return affine('melodyToNormalized', tones, true);
}

/** The inverse of `melodyToNormalized` (no clipping: a generator's overshoot stays visible). */
export function melodyFromNormalized(normalized: ArrayLike<number>): Float32Array {
  return affine('melodyFromNormalized', normalized, false);
}
