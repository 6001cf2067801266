/**
 * The exact log-likelihood of a generator with a 2-D latent, by quadrature, to check AIS
 * against (Wu, Burda, Salakhutdinov and Grosse 2017 validate their AIS the same way on
 * models whose p(x) can be computed otherwise):
 *
 *   p(x) = integral N(z; 0, I) N(x; G(z), sigma^2 I) dz
 *        ~ h^2 sum_{grid} N(z_ij; 0, I) N(x; G(z_ij), sigma^2 I),
 *
 * the midpoint rule on a P x P grid of cells of side h = 2r / P over [-r, r]^2. For a smooth
 * integrand that decays like a Gaussian the midpoint rule converges faster than any power of
 * h, so with the defaults (r = 6, P = 201) the error is set by the posterior's width: it is
 * tiny once the cells are narrower than about half a posterior standard deviation. The prior
 * mass outside [-6, 6]^2 is below 1e-8. Only two dimensions: the grid grows as P^dim.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkKnownOptions, checkPositive, checkPositiveInt } from '../core/args';

export interface QuadratureOptions {
  /** G: latents [m, 2] -> flat observations [m, d]. */
  generator: (z: tf.Tensor2D) => tf.Tensor2D;
  /** The observations, [nx, d]. */
  data: tf.Tensor2D;
  /** Observation noise std of p(x|z) = N(G(z), sigma^2 I), > 0. */
  sigma: number;
  /** Half-width r of the square [-r, r]^2 integrated over (default 6). */
  range?: number;
  /** Grid points per axis P (default 201). */
  pointsPerAxis?: number;
  /** The generator's latent width; only 2 is supported, and saying so lets a wrong generator be refused by name. */
  latentDim?: number;
}

/** Generator outputs per call, in values: keeps a chunk of an image generator's outputs small. */
const CHUNK_VALUES = 1 << 22;

/** log p(x_r) for every row of `data`, [nx], in nats. Reads the generator's outputs with dataSync. */
export function quadratureLogLikelihood(opts: QuadratureOptions): Float64Array {
  const who = 'quadratureLogLikelihood';
  if (opts == null || typeof opts !== 'object') throw argumentError(who, 'opts', 'an options object', opts);
  checkKnownOptions(who, opts, ['generator', 'data', 'sigma', 'range', 'pointsPerAxis', 'latentDim']);
  const { generator, data, sigma } = opts;
  const range = opts.range ?? 6;
  const P = opts.pointsPerAxis ?? 201;
  const latentDim = opts.latentDim ?? 2;
  if (latentDim !== 2) throw argumentError(who, 'latentDim', '2 (a grid in more dimensions grows as pointsPerAxis^latentDim; use AIS)', latentDim);
  if (typeof generator !== 'function') throw argumentError(who, 'generator', 'a function from latents [m, 2] to [m, d]', generator);
  if (!(data instanceof tf.Tensor) || data.rank !== 2 || data.shape[0] < 1) {
    throw argumentError(who, 'data', 'a tf.Tensor2D [nx, d]', data instanceof tf.Tensor ? `tensor of shape [${data.shape.join(', ')}]` : data);
  }
  checkPositive(who, 'sigma', sigma);
  checkPositive(who, 'range', range);
  checkPositiveInt(who, 'pointsPerAxis', P);
  const [nx, d] = data.shape;
  const x = Float64Array.from(data.dataSync());

  const h = (2 * range) / P;
  const axis = Float64Array.from({ length: P }, (_, i) => -range + (i + 0.5) * h);
  const total = P * P;
  const chunk = Math.max(1, Math.min(total, Math.floor(CHUNK_VALUES / Math.max(d, 1))));
  const inv2s2 = 1 / (2 * sigma * sigma);
  // Running log-sum-exp per observation: the largest term so far and the sum scaled by it.
  const best = new Float64Array(nx).fill(-Infinity);
  const sums = new Float64Array(nx);
  const terms = new Float64Array(chunk);
  for (let start = 0; start < total; start += chunk) {
    const count = Math.min(chunk, total - start);
    const zHost = new Float32Array(count * 2);
    const logPrior = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const g = start + i;
      const z1 = axis[Math.floor(g / P)];
      const z2 = axis[g % P];
      zHost[2 * i] = z1;
      zHost[2 * i + 1] = z2;
      logPrior[i] = -0.5 * (z1 * z1 + z2 * z2);
    }
    const out = tf.tidy(() => {
      let y: tf.Tensor;
      try {
        y = generator(tf.tensor2d(zHost, [count, 2]));
      } catch (e) {
        throw new Error(`${who}: generator failed on a [${count}, 2] batch of latents (quadrature needs latentDim 2): ${(e as Error).message}`);
      }
      if (!(y instanceof tf.Tensor) || y.rank !== 2 || y.shape[0] !== count) {
        throw new Error(`${who}: generator must map latents [m, 2] to rows [m, d], got ${y instanceof tf.Tensor ? `shape [${y.shape.join(', ')}]` : String(y)} for m = ${count}`);
      }
      if (y.shape[1] !== d) throw new Error(`${who}: generator outputs ${y.shape[1]} values per row but data rows have ${d}`);
      return y;
    });
    const gx = out.dataSync();
    out.dispose();
    for (let r = 0; r < nx; r++) {
      let max = -Infinity;
      for (let i = 0; i < count; i++) {
        let d2 = 0;
        for (let j = 0; j < d; j++) {
          const diff = x[r * d + j] - gx[i * d + j];
          d2 += diff * diff;
        }
        terms[i] = logPrior[i] - d2 * inv2s2;
        if (terms[i] > max) max = terms[i];
      }
      // A NaN term never wins the comparison above; make it poison the result instead of vanishing.
      if (terms.subarray(0, count).some(Number.isNaN)) best[r] = NaN;
      if (!Number.isFinite(max) || Number.isNaN(best[r])) continue;
      let s = 0;
      for (let i = 0; i < count; i++) s += Math.exp(terms[i] - max);
      if (max > best[r]) {
        sums[r] = sums[r] * Math.exp(best[r] - max) + s;
        best[r] = max;
      } else {
        sums[r] += s * Math.exp(max - best[r]);
      }
    }
  }
  // log N(z; 0, I) = -|z|^2/2 - log(2 pi); log N(x; G, sigma^2 I) = -d2/(2 sigma^2) - (d/2) log(2 pi sigma^2)
  const constant = -Math.log(2 * Math.PI) - 0.5 * d * Math.log(2 * Math.PI * sigma * sigma) + 2 * Math.log(h);
  const out = new Float64Array(nx);
  for (let r = 0; r < nx; r++) out[r] = best[r] + Math.log(sums[r]) + constant;
  return out;
}
