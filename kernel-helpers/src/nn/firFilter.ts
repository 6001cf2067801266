/**
 * Windowed-sinc low-pass FIR filter design, plain numbers (no tensors): the filters that the
 * alias-free layers resample with (Karras et al. 2021, "Alias-Free Generative Adversarial
 * Networks", StyleGAN3, sect. 3 and app. C: Kaiser-windowed sinc filters, the cutoff and the
 * transition band chosen per layer).
 *
 * The Kaiser window trades main-lobe width against side-lobe height through one parameter,
 * beta, and Kaiser's empirical formulas (J. F. Kaiser, "Nonrecursive digital filter design
 * using the I0-sinh window function", 1974) link the three design quantities: stopband
 * attenuation A (dB), transition width dF (as a fraction of the sampling rate) and the number
 * of taps N:  N - 1 = (A - 7.95) / (2.285 * 2 pi dF),  and beta from A. Any two determine the
 * third, which is how the design below accepts them.
 *
 * Frequencies are in the units of `fs` (default 1: cycles per sample, Nyquist 0.5).
 */
import { argumentError, checkFinite, checkInteger, checkKnownOptions, checkOneOf, checkPositive } from '../core/args';

export const FIR_WINDOWS = ['kaiser', 'hann', 'hamming', 'blackman', 'rectangular'] as const;
export type FirWindow = (typeof FIR_WINDOWS)[number];

/** Longest filter the design accepts; the layers build dense [L, L'] matrices from the taps. */
export const MAX_FIR_TAPS = 1024;

export interface LowpassFilterOptions {
  /** The -6 dB point (half amplitude), in the units of `fs`; must lie in (0, fs/2). */
  cutoff: number;
  /** Sampling rate (default 1). */
  fs?: number;
  /** Filter length, 1..MAX_FIR_TAPS. With 'kaiser' it may be left out and derived from `transitionWidth` and `attenuationDb`. */
  numTaps?: number;
  /** Width of the transition band, centred on `cutoff`, in the units of `fs` ('kaiser' only). */
  transitionWidth?: number;
  /** Target stopband attenuation in dB, > 0 ('kaiser' only). */
  attenuationDb?: number;
  /** Kaiser's beta, to set the window directly instead of from the attenuation ('kaiser' only). */
  beta?: number;
  /** Window (default 'kaiser'). */
  window?: FirWindow;
}

const LOWPASS_OPTIONS = ['cutoff', 'fs', 'numTaps', 'transitionWidth', 'attenuationDb', 'beta', 'window'] as const;

/** A designed filter: its taps and the numbers it was designed from. */
export interface FirFilter {
  /** Symmetric taps summing to 1 (gain 1 at DC). */
  readonly taps: Float32Array;
  readonly cutoff: number;
  readonly fs: number;
  readonly window: FirWindow;
  /** Kaiser's beta ('kaiser' only). */
  readonly beta?: number;
  /**
   * The stopband attenuation the Kaiser formulas promise, in dB ('kaiser' only). An empirical
   * fit: met to within about 1 dB by long filters; 12 taps over a wide band fall ~2 dB short.
   */
  readonly attenuationDb?: number;
  /** The transition width the Kaiser formulas promise for this length and attenuation ('kaiser' only). */
  readonly transitionWidth?: number;
}

/** Kaiser's beta for a stopband attenuation of `a` dB. */
export function kaiserBeta(a: number): number {
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a > 21) return 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21);
  return 0;
}

/** The attenuation (dB) Kaiser's formula gives to `numTaps` taps and a transition `width` as a fraction of the sampling rate. */
export function kaiserAttenuation(numTaps: number, width: number): number {
  return 2.285 * (numTaps - 1) * 2 * Math.PI * width + 7.95;
}

/** The number of taps Kaiser's formula asks for: attenuation `a` dB over a transition `width` (fraction of the sampling rate). */
export function kaiserOrder(a: number, width: number): number {
  return Math.max(1, Math.ceil((a - 7.95) / (2.285 * 2 * Math.PI * width)) + 1);
}

/** Modified Bessel function of the first kind, order 0, by its power series (converges for every x). */
export function besselI0(x: number): number {
  const q = (x / 2) ** 2;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500 && term > 1e-17 * sum; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

/** The symmetric window of length n (n = 1 gives [1]). */
export function firWindow(window: FirWindow, n: number, beta = 0): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
    return w;
  }
  const i0b = besselI0(beta);
  const shapes: Record<FirWindow, (t: number) => number> = {
    // t = 2 pi i / (n - 1) for the cosine windows; Kaiser uses the position r in [-1, 1].
    kaiser: (t) => {
      const r = t / Math.PI - 1;
      return besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
    },
    hann: (t) => 0.5 - 0.5 * Math.cos(t),
    hamming: (t) => 0.54 - 0.46 * Math.cos(t),
    blackman: (t) => 0.42 - 0.5 * Math.cos(t) + 0.08 * Math.cos(2 * t),
    rectangular: () => 1,
  };
  const shape = shapes[window];
  for (let i = 0; i < n; i++) w[i] = shape((2 * Math.PI * i) / (n - 1));
  return w;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * A low-pass filter: the ideal response's impulse response 2 fc sinc(2 fc (n - (N-1)/2))
 * (fc = cutoff / fs) times the window, scaled to gain 1 at DC (as scipy's `firwin`, which
 * StyleGAN3's `design_lowpass_filter` calls).
 *
 * With window 'kaiser', give `numTaps` and one of `transitionWidth`, `attenuationDb`, `beta`;
 * or `transitionWidth` and `attenuationDb` without `numTaps` (a third would over-determine it). The other windows need only
 * `numTaps` (their attenuation is fixed: about 44 dB Hann, 53 dB Hamming, 74 dB Blackman).
 */
export function designLowpassFilter(opts: LowpassFilterOptions): FirFilter {
  const who = 'designLowpassFilter';
  checkKnownOptions(who, opts, LOWPASS_OPTIONS);
  const fs = opts.fs ?? 1;
  checkPositive(who, 'fs', fs);
  const cutoff = opts.cutoff;
  if (typeof cutoff !== 'number' || !Number.isFinite(cutoff) || cutoff <= 0 || cutoff >= fs / 2) {
    throw argumentError(who, 'cutoff', `in (0, fs/2) = (0, ${fs / 2})`, cutoff);
  }
  const window = opts.window ?? 'kaiser';
  checkOneOf(who, 'window', window, FIR_WINDOWS);
  const { transitionWidth, attenuationDb, beta } = opts;
  if (transitionWidth !== undefined) checkPositive(who, 'transitionWidth', transitionWidth);
  if (attenuationDb !== undefined) checkPositive(who, 'attenuationDb', attenuationDb);
  if (beta !== undefined) {
    checkFinite(who, 'beta', beta);
    if (beta < 0) throw argumentError(who, 'beta', 'a finite number >= 0', beta);
  }
  let numTaps = opts.numTaps;
  if (window !== 'kaiser') {
    for (const [k, v] of [['transitionWidth', transitionWidth], ['attenuationDb', attenuationDb], ['beta', beta]] as const) {
      if (v !== undefined) throw new Error(`${who}: ${k} only applies to window 'kaiser', got window '${window}'`);
    }
    if (numTaps === undefined) throw new Error(`${who}: numTaps is required with window '${window}'`);
    checkInteger(who, 'numTaps', numTaps, 1, MAX_FIR_TAPS);
    return { taps: sincTaps(numTaps, cutoff / fs, firWindow(window, numTaps)), cutoff, fs, window };
  }
  const given = [numTaps, transitionWidth, attenuationDb ?? beta].filter((v) => v !== undefined).length;
  if (given !== 2 || (attenuationDb !== undefined && beta !== undefined)) {
    throw new Error(
      `${who}: a Kaiser design needs exactly two of numTaps, transitionWidth and attenuationDb (or beta in place of attenuationDb), ` +
        `got ${JSON.stringify({ numTaps, transitionWidth, attenuationDb, beta })}`,
    );
  }
  const width = transitionWidth === undefined ? undefined : transitionWidth / fs;
  if (numTaps === undefined) {
    if (attenuationDb === undefined) throw new Error(`${who}: deriving numTaps needs attenuationDb (not beta) with transitionWidth`);
    numTaps = kaiserOrder(attenuationDb, width!);
    if (numTaps > MAX_FIR_TAPS) {
      throw new Error(`${who}: attenuationDb ${attenuationDb} over transitionWidth ${transitionWidth} needs ${numTaps} taps, more than ${MAX_FIR_TAPS}; widen the transition band`);
    }
  }
  checkInteger(who, 'numTaps', numTaps, 1, MAX_FIR_TAPS);
  // Attenuation: given, or what this length buys over the given transition band.
  const a = attenuationDb ?? (width !== undefined ? kaiserAttenuation(numTaps, width) : undefined);
  const b = beta ?? kaiserBeta(a!);
  const promisedWidth = a !== undefined && numTaps > 1 ? ((a - 7.95) / (2.285 * (numTaps - 1) * 2 * Math.PI)) * fs : undefined;
  return {
    taps: sincTaps(numTaps, cutoff / fs, firWindow('kaiser', numTaps, b)),
    cutoff,
    fs,
    window,
    beta: b,
    attenuationDb: a,
    transitionWidth: transitionWidth ?? promisedWidth,
  };
}

function sincTaps(n: number, fc: number, w: Float64Array): Float32Array {
  const h = new Float64Array(n);
  const mid = (n - 1) / 2;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    h[i] = 2 * fc * sinc(2 * fc * (i - mid)) * w[i];
    sum += h[i];
  }
  return Float32Array.from(h, (v) => v / sum);
}

/** |H(f)| of the taps at each frequency in `freqs` (units of `fs`, default 1): for plotting and checking a design. */
export function firAmplitudeResponse(taps: ArrayLike<number>, freqs: ArrayLike<number>, fs = 1): Float64Array {
  checkPositive('firAmplitudeResponse', 'fs', fs);
  const out = new Float64Array(freqs.length);
  for (let k = 0; k < freqs.length; k++) {
    const omega = (2 * Math.PI * freqs[k]) / fs;
    let re = 0;
    let im = 0;
    for (let i = 0; i < taps.length; i++) {
      re += taps[i] * Math.cos(omega * i);
      im -= taps[i] * Math.sin(omega * i);
    }
    out[k] = Math.hypot(re, im);
  }
  return out;
}

/** The taps of a filter or a tap list, checked: a non-empty list of finite numbers, at most MAX_FIR_TAPS long. */
export function filterTaps(who: string, name: string, f: FirFilter | ArrayLike<number>): Float32Array {
  const taps = f && typeof f === 'object' && 'taps' in f ? f.taps : (f as ArrayLike<number>);
  const ok =
    taps != null &&
    typeof taps.length === 'number' &&
    taps.length >= 1 &&
    taps.length <= MAX_FIR_TAPS &&
    Array.from(taps).every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) {
    const shown = taps != null && typeof taps.length === 'number' ? (taps.length > 8 ? `a list of length ${taps.length}` : Array.from(taps)) : taps;
    throw argumentError(who, name, `a FirFilter or a list of 1..${MAX_FIR_TAPS} finite taps`, shown);
  }
  return Float32Array.from(taps);
}
