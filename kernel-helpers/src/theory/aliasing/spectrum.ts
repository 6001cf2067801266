/**
 * Aliasing in plain numbers: power spectra by a direct DFT, how much of a nonlinearity's
 * output has folded back onto the grid, the filtered nonlinearity that avoids most of it, and
 * a filter's measured stopband attenuation. The 1-D story behind StyleGAN3 (Karras et al.
 * 2021, "Alias-Free Generative Adversarial Networks", sect. 2-3 and fig. 3): a pointwise
 * nonlinearity on a sampled signal creates harmonics of the continuous signal above Nyquist,
 * and sampling folds them back into the band as energy at frequencies the continuous result
 * does not have; evaluating the nonlinearity at a higher rate between two low-pass filters
 * keeps most of them out (Shannon 1949; any DSP text, e.g. Oppenheim & Schafer, "Discrete-
 * Time Signal Processing", ch. 4, on sampling and multirate filtering).
 *
 * Direct DFTs (O(N^2), O(HW(H+W)) in 2-D) rather than an FFT: the course's sizes are small
 * (N <= 1024, images up to 128 or so), the code is short enough to read, and the wasm backend
 * has no FFT kernel to lean on anyway.
 *
 * This module sits in the theory layer, below `nn`: it takes filter taps as numbers (from
 * `designLowpassFilter(...).taps`) rather than importing the designer, and computes its own
 * amplitude response (the same sum as `firAmplitudeResponse`).
 *
 * Signals here are one period of a periodic signal: `filteredNonlinearity1d` filters
 * circularly, so a signal with a whole number of cycles stays exactly periodic and its DFT
 * has no leakage; borders are a separate matter (the synthesis paths' margins).
 */
import { argumentError, checkInRange, checkInteger, checkKnownOptions, checkPositive } from '../../core/args';

/** Longest signal `dftPower1d` accepts (N^2 work: 4096 is about 17M multiply-adds). */
export const MAX_DFT_LENGTH = 4096;
/** Largest side `dftPower2d` accepts. */
export const MAX_DFT_SIDE = 512;

function checkSignal(who: string, name: string, x: ArrayLike<number>, maxLength: number): void {
  const ok = x != null && typeof x.length === 'number' && x.length >= 1;
  if (!ok) throw argumentError(who, name, 'a non-empty list of finite numbers', x);
  if (x.length > maxLength) throw argumentError(who, `${name}.length`, `at most ${maxLength}`, x.length);
  for (let i = 0; i < x.length; i++) {
    if (typeof x[i] !== 'number' || !Number.isFinite(x[i])) throw argumentError(who, `${name}[${i}]`, 'a finite number', x[i]);
  }
}

/** cos and sin of 2 pi m / n for m = 0..n-1: every DFT angle, read by index (k j mod n), which keeps large k j exact. */
function trigTable(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    cos[m] = Math.cos((2 * Math.PI * m) / n);
    sin[m] = Math.sin((2 * Math.PI * m) / n);
  }
  return { cos, sin };
}

/**
 * Energy per frequency bin k = 0..floor(N/2) (frequency k fs / N) of a real signal of N samples:
 * one-sided and scaled so that the bins sum to the signal's energy sum x^2 (Parseval), i.e.
 * |X_k|^2 / N, doubled for the bins that stand for both +k and -k (all but DC and, for even N,
 * Nyquist). A cosine of amplitude A at an integer bin k0 puts A^2 N / 2 into bin k0 alone.
 */
export function dftPower1d(signal: ArrayLike<number>): Float64Array {
  checkSignal('dftPower1d', 'signal', signal, MAX_DFT_LENGTH);
  const n = signal.length;
  const { cos, sin } = trigTable(n);
  const half = Math.floor(n / 2);
  const out = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    let re = 0;
    let im = 0;
    let m = 0;
    for (let j = 0; j < n; j++) {
      re += signal[j] * cos[m];
      im -= signal[j] * sin[m];
      m += k;
      if (m >= n) m -= n;
    }
    const both = k === 0 || 2 * k === n ? 1 : 2;
    out[k] = (both * (re * re + im * im)) / n;
  }
  return out;
}

/**
 * The frequencies of DFT bins, in the units of `fs` (default 1: cycles per sample). One-sided
 * (default): bins 0..floor(n/2), as `dftPower1d`; `centred: true`: all n bins in the order of
 * `dftPower2d`'s axes, (r - floor(n/2)) fs / n for r = 0..n-1 (zero frequency at floor(n/2)).
 */
export function dftBinFrequencies(n: number, opts: { fs?: number; centred?: boolean } = {}): Float64Array {
  checkKnownOptions('dftBinFrequencies', opts, ['fs', 'centred']);
  checkInteger('dftBinFrequencies', 'n', n, 1);
  const fs = opts.fs ?? 1;
  checkPositive('dftBinFrequencies', 'fs', fs);
  const half = Math.floor(n / 2);
  return opts.centred ? Float64Array.from({ length: n }, (_, r) => ((r - half) * fs) / n) : Float64Array.from({ length: half + 1 }, (_, k) => (k * fs) / n);
}

/**
 * The 2-D power spectrum of a real image (row-major, h rows of w), centred: entry [r, c] (at
 * r w + c) is frequency ((r - floor(h/2)) / h, (c - floor(w/2)) / w) cycles per pixel (rows,
 * columns), so zero frequency sits at (floor(h/2), floor(w/2)). Scaled as |X|^2 / (h w) so that
 * the entries sum to the image's energy. Separable: a direct DFT along every row, then along
 * every column of the result (h w (h + w) complex multiply-adds).
 */
export function dftPower2d(image: ArrayLike<number>, h: number, w: number): Float64Array {
  const who = 'dftPower2d';
  checkInteger(who, 'h', h, 1, MAX_DFT_SIDE);
  checkInteger(who, 'w', w, 1, MAX_DFT_SIDE);
  checkSignal(who, 'image', image, MAX_DFT_SIDE * MAX_DFT_SIDE);
  if (image.length !== h * w) throw argumentError(who, 'image.length', `h * w = ${h * w}`, image.length);
  const tw = trigTable(w);
  const th = trigTable(h);
  // Rows first: R[i, kx] = sum_j x[i, j] e^{-2 pi i kx j / w}.
  const rRe = new Float64Array(h * w);
  const rIm = new Float64Array(h * w);
  for (let i = 0; i < h; i++) {
    for (let kx = 0; kx < w; kx++) {
      let re = 0;
      let im = 0;
      let m = 0;
      for (let j = 0; j < w; j++) {
        const v = image[i * w + j];
        re += v * tw.cos[m];
        im -= v * tw.sin[m];
        m += kx;
        if (m >= w) m -= w;
      }
      rRe[i * w + kx] = re;
      rIm[i * w + kx] = im;
    }
  }
  const out = new Float64Array(h * w);
  const hh = Math.floor(h / 2);
  const hw = Math.floor(w / 2);
  for (let kx = 0; kx < w; kx++) {
    const c = (kx + hw) % w;
    for (let ky = 0; ky < h; ky++) {
      let re = 0;
      let im = 0;
      let m = 0;
      for (let i = 0; i < h; i++) {
        const a = rRe[i * w + kx];
        const b = rIm[i * w + kx];
        // (a + i b)(cos - i sin)
        re += a * th.cos[m] + b * th.sin[m];
        im += b * th.cos[m] - a * th.sin[m];
        m += ky;
        if (m >= h) m -= h;
      }
      const r = (ky + hh) % h;
      out[r * w + c] = (re * re + im * im) / (h * w);
    }
  }
  return out;
}

/**
 * One period of a sum of cosines, sum_i a_i cos(2 pi f_i t + phi_i) at t = j / fs. Each
 * frequency must put a whole number of cycles into the `length` samples (f_i length / fs an
 * integer), so that the DFT sees exact bins.
 */
export interface SinusoidSignal {
  /** Samples in one period. */
  length: number;
  /** Sampling rate (default 1: frequencies in cycles per sample). */
  fs?: number;
  /** Frequencies in (0, fs/2), units of `fs`, each a multiple of fs / length. */
  frequencies: readonly number[];
  /** Default 1 each. */
  amplitudes?: readonly number[];
  /** Radians, default 0 each. */
  phases?: readonly number[];
}

const SIGNAL_KEYS = ['length', 'fs', 'frequencies', 'amplitudes', 'phases'] as const;

interface ResolvedSignal {
  n: number;
  fs: number;
  bins: number[];
  amplitudes: number[];
  phases: number[];
}

function resolveSignal(who: string, sig: SinusoidSignal): ResolvedSignal {
  if (sig == null || typeof sig !== 'object') throw argumentError(who, 'signal', 'an object { length, frequencies, ... }', sig);
  checkKnownOptions(`${who} (signal)`, sig, SIGNAL_KEYS);
  const n = sig.length;
  checkInteger(who, 'signal.length', n, 2, MAX_DFT_LENGTH);
  const fs = sig.fs ?? 1;
  checkPositive(who, 'signal.fs', fs);
  const f = sig.frequencies;
  if (!Array.isArray(f) || f.length === 0) throw argumentError(who, 'signal.frequencies', 'a non-empty list of frequencies', f);
  const bins = f.map((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v >= fs / 2) throw argumentError(who, `signal.frequencies[${i}]`, `in (0, fs/2) = (0, ${fs / 2})`, v);
    const b = (v * n) / fs;
    if (Math.abs(b - Math.round(b)) > 1e-9 * Math.max(1, b)) {
      throw argumentError(who, `signal.frequencies[${i}]`, `a multiple of fs / length = ${fs / n} (a whole number of cycles in the period)`, v);
    }
    return Math.round(b);
  });
  const list = (name: 'amplitudes' | 'phases', fill: number): number[] => {
    const v = sig[name];
    if (v === undefined) return f.map(() => fill);
    if (!Array.isArray(v) || v.length !== f.length || !v.every((a) => typeof a === 'number' && Number.isFinite(a))) {
      throw argumentError(who, `signal.${name}`, `${f.length} finite numbers (one per frequency)`, v);
    }
    return [...v];
  };
  return { n, fs, bins, amplitudes: list('amplitudes', 1), phases: list('phases', 0) };
}

/** The samples of a `SinusoidSignal`. */
export function sampleSinusoids(signal: SinusoidSignal): Float64Array {
  const s = resolveSignal('sampleSinusoids', signal);
  const out = new Float64Array(s.n);
  s.bins.forEach((k, i) => {
    for (let j = 0; j < s.n; j++) out[j] += s.amplitudes[i] * Math.cos((2 * Math.PI * ((k * j) % s.n)) / s.n + s.phases[i]);
  });
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export interface FoldedEnergyOptions {
  /**
   * The band the output should occupy ends here (units of `fs`); default fs/4, for an input
   * below fs/4 whose harmonics should stay below the grid's Nyquist limit.
   */
  bandEdge?: number;
}

export interface FoldedEnergy {
  /**
   * Share of the output's energy on bins the continuous f(x) does not occupy: energy that
   * has folded back (see `foldedEnergy`).
   */
  aliased: number;
  /** Share of the output's energy strictly above `bandEdge`, whatever its origin. */
  outOfBand: number;
  /** The bin spacing g of the harmonic lattice: the continuous f(x) has energy only at multiples of g fs / length. */
  latticeSpacing: number;
  /** The output's energy (sum of squares). */
  energy: number;
  /** The output f(x), [length]. */
  output: Float64Array;
  /** Its energy per bin, as `dftPower1d`, [floor(length/2) + 1]. */
  power: Float64Array;
  /** The bins' frequencies (units of `fs`), [floor(length/2) + 1]. */
  frequencies: Float64Array;
}

/**
 * How much of f(x) has folded back, for x a sum of sinusoids (one period, exact bins) and f
 * any map from the samples of x to as many samples (pointwise or filtered nonlinearity).
 *
 * The measurement rests on a lattice: if every input frequency is a multiple of g bins, every
 * harmonic and intermodulation product of the continuous signal (frequencies sum m_i f_i) is
 * a multiple of g bins too. A component at a multiple m g above Nyquist lands, after
 * sampling, on bin |m g - j N| for some j >= 1; with g coprime to the length N that is not a
 * multiple of g unless g divides j. So the energy off the lattice is folded energy, exactly,
 * except for components that came from above (g - 1/2) fs, whose folds can land back on the
 * lattice (negligible for leaky ReLU, whose harmonics fall off as 1/m^2): `aliased` is a
 * slightly low estimate, never a high one. Inputs must therefore share a spacing g >= 2
 * coprime to `length`, e.g. bins 13 (one sinusoid), or 3, 9 and 15 of 256.
 *
 * `outOfBand` answers the looser question "how much energy lies outside the band the signal
 * should occupy": everything above `bandEdge`, legitimate harmonics included.
 */
export function foldedEnergy(signal: SinusoidSignal, f: (x: Float64Array) => ArrayLike<number>, opts: FoldedEnergyOptions = {}): FoldedEnergy {
  const who = 'foldedEnergy';
  checkKnownOptions(who, opts, ['bandEdge']);
  const s = resolveSignal(who, signal);
  if (typeof f !== 'function') throw argumentError(who, 'f', 'a function from samples to samples', f);
  const bandEdge = opts.bandEdge ?? s.fs / 4;
  if (typeof bandEdge !== 'number' || !Number.isFinite(bandEdge) || bandEdge <= 0 || bandEdge >= s.fs / 2) {
    throw argumentError(who, 'bandEdge', `in (0, fs/2) = (0, ${s.fs / 2})`, bandEdge);
  }
  const g = s.bins.reduce(gcd);
  if (g < 2 || gcd(g, s.n) !== 1) {
    throw argumentError(
      who,
      'signal.frequencies',
      `multiples of a common bin spacing g >= 2 coprime to length ${s.n}, so that folded energy lands off the lattice of multiples of g (bins [${s.bins.join(', ')}] have g = ${g})`,
      signal.frequencies,
    );
  }
  const output = Float64Array.from(f(sampleSinusoids(signal)));
  if (output.length !== s.n) throw argumentError(who, 'f(x).length', `the signal's length ${s.n}`, output.length);
  output.forEach((v, i) => {
    if (!Number.isFinite(v)) throw argumentError(who, `f(x)[${i}]`, 'a finite number', v);
  });
  const power = dftPower1d(output);
  const frequencies = dftBinFrequencies(s.n, { fs: s.fs });
  let energy = 0;
  let offLattice = 0;
  let above = 0;
  power.forEach((p, k) => {
    energy += p;
    if (k % g !== 0) offLattice += p;
    if (frequencies[k] > bandEdge) above += p;
  });
  const share = (e: number) => (energy > 0 ? e / energy : 0);
  return { aliased: share(offLattice), outOfBand: share(above), latticeSpacing: g, energy, output, power, frequencies };
}

export interface NonlinearityOptions {
  /** Negative slope of the leaky ReLU (default 0.2). */
  slope?: number;
  /** Any pointwise function to use instead of the leaky ReLU. */
  fn?: (v: number) => number;
}

function pointwiseFn(who: string, opts: NonlinearityOptions): (v: number) => number {
  if (opts.fn !== undefined) {
    if (typeof opts.fn !== 'function') throw argumentError(who, 'fn', 'a function of one number', opts.fn);
    if (opts.slope !== undefined) throw new Error(`${who}: give slope or fn, not both`);
    return opts.fn;
  }
  const a = opts.slope ?? 0.2;
  checkInRange(who, 'slope', a, 0, 1, { closed: true });
  return (v) => (v >= 0 ? v : a * v);
}

/** The nonlinearity applied to every sample as it stands: what a StyleGAN2-style layer does. */
export function pointwiseNonlinearity1d(signal: ArrayLike<number>, opts: NonlinearityOptions = {}): Float64Array {
  const who = 'pointwiseNonlinearity1d';
  checkKnownOptions(who, opts, ['slope', 'fn']);
  checkSignal(who, 'signal', signal, Infinity);
  const fn = pointwiseFn(who, opts);
  return Float64Array.from(signal, (v) => fn(v));
}

type Taps = ArrayLike<number> | { readonly taps: ArrayLike<number> };

export interface FilteredNonlinearityOptions extends NonlinearityOptions {
  /**
   * Low-pass taps for the upsampled rate, with DC gain 1, designed in cycles per INPUT sample
   * at sampling rate `up`: `designLowpassFilter({ fs: up, cutoff, ... })` (or the filter itself).
   */
  taps: Taps;
  /** Taps of the low-pass before downsampling (default: `taps`). */
  downTaps?: Taps;
  /** The rate the nonlinearity runs at, relative to the signal (integer, default 2). */
  up?: number;
}

const MAX_TAPS = 4096;

function tapList(who: string, name: string, t: Taps): Float64Array {
  const list = t != null && typeof t === 'object' && 'taps' in t ? t.taps : (t as ArrayLike<number>);
  if (list == null || typeof list.length !== 'number' || list.length < 1) throw argumentError(who, name, 'a non-empty list of finite taps (or a filter with .taps)', list);
  checkSignal(who, name, list, MAX_TAPS);
  return Float64Array.from(list);
}

/**
 * The alias-free nonlinearity of StyleGAN3 on one period of a 1-D signal: upsample by `up`
 * (zero-stuff, low-pass with gain `up`), apply the nonlinearity, low-pass, keep every up-th
 * sample. The same length comes out. Both filters are applied circularly, with their centres
 * on the samples' positions: fine sample j sits at input position (j - 1/2) / up for an even
 * number of taps and j / up for an odd one, so equal-parity filters (the default) shift
 * nothing; unequal parities shift the output by 1 / (2 up) samples.
 */
export function filteredNonlinearity1d(signal: ArrayLike<number>, opts: FilteredNonlinearityOptions): Float64Array {
  const who = 'filteredNonlinearity1d';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object with taps', opts);
  checkKnownOptions(who, opts, ['taps', 'downTaps', 'up', 'slope', 'fn']);
  checkSignal(who, 'signal', signal, Infinity);
  const up = opts.up ?? 2;
  checkInteger(who, 'up', up, 1, 16);
  const h1 = tapList(who, 'taps', opts.taps);
  const h2 = opts.downTaps === undefined ? h1 : tapList(who, 'downTaps', opts.downTaps);
  const fn = pointwiseFn(who, opts);
  const n = signal.length;
  const len = n * up;
  const mod = (q: number) => ((q % len) + len) % len;
  // Up: fine[j] = up * sum_t h1[t] z[j - t + off1], z the zero-stuffed signal (x[i] at i up).
  const off1 = Math.floor((h1.length - 1) / 2);
  const fine = new Float64Array(len);
  for (let j = 0; j < len; j++) {
    let acc = 0;
    for (let t = 0; t < h1.length; t++) {
      const q = mod(j - t + off1);
      if (q % up === 0) acc += h1[t] * signal[q / up];
    }
    fine[j] = fn(up * acc);
  }
  // Down: out[i] = sum_t h2[t] fine[i up - t + off2]; off2 = c2 + (half a fine sample if h1 is even).
  const off2 = Math.floor((h2.length - 1) / 2 + (h1.length % 2 === 0 ? 0.5 : 0));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let t = 0; t < h2.length; t++) acc += h2[t] * fine[mod(i * up - t + off2)];
    out[i] = acc;
  }
  return out;
}

export interface StopbandOptions {
  /** Where the stopband begins, in (0, fs/2) (units of `fs`); typically cutoff + transitionWidth / 2. */
  stopbandStart: number;
  /** Sampling rate the taps were designed for (default 1). */
  fs?: number;
  /** Frequencies on the grid from stopbandStart to fs/2 (default max(2048, 64 taps)), enough to catch every side lobe's peak. */
  gridPoints?: number;
}

/**
 * The measured stopband attenuation of an FIR filter, in dB: how far the worst (largest)
 * amplitude response on [stopbandStart, fs/2] lies below the DC gain, 20 log10(|H(0)| / max |H|).
 * Dense-grid evaluation of |H(f)| = |sum_i h_i e^{-2 pi i f i / fs}|, so it checks what
 * Kaiser's formulas promise (`designLowpassFilter`'s attenuationDb is an empirical fit).
 * Infinity if the response vanishes on the whole band.
 */
export function stopbandAttenuationDb(taps: Taps, opts: StopbandOptions): number {
  const who = 'stopbandAttenuationDb';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'options', 'an object with stopbandStart', opts);
  checkKnownOptions(who, opts, ['stopbandStart', 'fs', 'gridPoints']);
  const h = tapList(who, 'taps', taps);
  const fs = opts.fs ?? 1;
  checkPositive(who, 'fs', fs);
  const start = opts.stopbandStart;
  if (typeof start !== 'number' || !Number.isFinite(start) || start <= 0 || start >= fs / 2) {
    throw argumentError(who, 'stopbandStart', `in (0, fs/2) = (0, ${fs / 2})`, start);
  }
  const points = opts.gridPoints ?? Math.max(2048, 64 * h.length);
  checkInteger(who, 'gridPoints', points, 2, 1 << 20);
  const dc = Math.abs(h.reduce((a, b) => a + b, 0));
  if (!(dc > 0)) throw argumentError(who, 'taps', 'a low-pass filter (non-zero DC gain)', `taps summing to ${dc}`);
  let worst = 0;
  for (let p = 0; p < points; p++) {
    const f = start + ((fs / 2 - start) * p) / (points - 1);
    const omega = (2 * Math.PI * f) / fs;
    let re = 0;
    let im = 0;
    for (let i = 0; i < h.length; i++) {
      re += h[i] * Math.cos(omega * i);
      im -= h[i] * Math.sin(omega * i);
    }
    worst = Math.max(worst, Math.hypot(re, im));
  }
  return worst === 0 ? Infinity : 20 * Math.log10(dc / worst);
}
