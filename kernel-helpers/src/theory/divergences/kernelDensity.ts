/**
 * Gaussian kernel density estimate of one-dimensional samples: turns a generator's samples
 * into a density p_g(x), so the optimal discriminator p_data / (p_data + p_g) and the
 * divergences of this area can be evaluated for a generator whose density is not known.
 */
import { argumentError, checkFinite, checkPositive } from '../../core/args';

export interface KernelDensity {
  (x: number): number;
  /** The bandwidth used. */
  readonly bandwidth: number;
}

/**
 * Density estimate with bandwidth h; by default Silverman's rule h = 0.9 min(sd, IQR/1.34) n^(-1/5)
 * (Silverman 1986, eq. 3.31), floored at 1e-3.
 */
export function kernelDensity1d(samples: readonly number[], bandwidth?: number): KernelDensity {
  if (!Array.isArray(samples) || samples.length < 2) throw argumentError('kernelDensity1d', 'samples', 'an array of at least 2 numbers', samples);
  samples.forEach((v, i) => {
    checkFinite('kernelDensity1d', `samples[${i}]`, v);
  });
  const n = samples.length;
  let h = bandwidth;
  if (h === undefined) {
    const mean = samples.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const sorted = [...samples].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))];
    const iqr = q(0.75) - q(0.25);
    const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
    h = Math.max(1e-3, 0.9 * spread * Math.pow(n, -0.2));
  }
  checkPositive('kernelDensity1d', 'bandwidth', h);
  const hh = h;
  const xs = Float64Array.from(samples);
  const c = 1 / (n * hh * Math.sqrt(2 * Math.PI));
  const f = ((x: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = (x - xs[i]) / hh;
      if (z < 9 && z > -9) s += Math.exp(-0.5 * z * z);
    }
    return c * s;
  }) as KernelDensity;
  Object.defineProperty(f, 'bandwidth', { value: hh });
  return f;
}
