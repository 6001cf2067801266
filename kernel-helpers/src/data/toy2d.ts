/**
 * The two-dimensional toy distributions GAN papers use to make mode collapse visible.
 * Points are plain `[x, y]` arrays so theory code, metrics and charts need no tensors;
 * `toyBatches` (batches.ts) turns them into training batches.
 */
import { argumentError, checkNonNegative, checkNonNegativeInt, checkPositive, checkPositiveInt } from '../core/args';
import { Rng, rng as makeRng } from '../core/random';

export type Point2 = [number, number];

export interface GaussianModes {
  /** Centres of the mixture's equally weighted isotropic Gaussian components. */
  centers: Point2[];
  /** Standard deviation of every component. */
  std: number;
}

export interface ToyDistribution2D {
  readonly name: string;
  /** Draws `n` points. Pass an `Rng` for reproducible draws; otherwise the distribution's own stream is used. */
  sample(n: number, r?: Rng): Point2[];
  /** Known modes, for mixtures (used by mode-coverage metrics); absent for continuous manifolds. */
  readonly modes?: GaussianModes;
}


/** An equally weighted mixture of isotropic Gaussians. */
export function gaussianMixture2d(name: string, centers: Point2[], std: number, seed = 0): ToyDistribution2D {
  if (!Array.isArray(centers) || centers.length === 0) throw argumentError(name, 'centers', 'a non-empty array of [x, y] points', centers);
  checkPositive(name, 'std', std);
  const own = makeRng(seed);
  return {
    name,
    modes: { centers: centers.map((c) => [c[0], c[1]] as Point2), std },
    sample(n: number, r: Rng = own): Point2[] {
      checkNonNegativeInt(`${name}.sample`, 'n', n);
      const out: Point2[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const c = centers[r.int(centers.length)];
        out[i] = [c[0] + std * r.normal(), c[1] + std * r.normal()];
      }
      return out;
    },
  };
}

/**
 * Eight Gaussians on a circle (radius 2, std 0.02), the ring used by Metz et al. 2017
 * (Unrolled GANs) to show a generator hopping between modes.
 */
export function ring8(opts: { radius?: number; std?: number; modes?: number; seed?: number } = {}): ToyDistribution2D {
  const { radius = 2, std = 0.02, modes = 8, seed = 0 } = opts;
  checkPositiveInt('ring8', 'modes', modes);
  checkPositive('ring8', 'radius', radius);
  const centers: Point2[] = [];
  for (let k = 0; k < modes; k++) {
    const a = (2 * Math.PI * k) / modes;
    centers.push([radius * Math.cos(a), radius * Math.sin(a)]);
  }
  return gaussianMixture2d(modes === 8 ? 'ring8' : `ring${modes}`, centers, std, seed);
}

/**
 * A side x side grid of Gaussians, `spacing` apart and centred on the origin, each with
 * standard deviation `std`.
 */
export function gaussianGrid(opts: { side?: number; spacing?: number; std?: number; seed?: number } = {}): ToyDistribution2D {
  const { side = 5, spacing = 2, std = 0.05, seed = 0 } = opts;
  checkPositiveInt('gaussianGrid', 'side', side);
  checkPositive('gaussianGrid', 'spacing', spacing);
  const half = ((side - 1) * spacing) / 2;
  const centers: Point2[] = [];
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) centers.push([i * spacing - half, j * spacing - half]);
  return gaussianMixture2d(`grid${side * side}`, centers, std, seed);
}

/**
 * The 25-Gaussian task of Srivastava et al. 2017 (VEEGAN) and Gulrajani et al. 2017
 * (WGAN-GP): a 5x5 grid at {-4,-2,0,2,4}^2 with std 0.05. Other sizes: `gaussianGrid`.
 */
export function grid25(opts: { spacing?: number; std?: number; seed?: number } = {}): ToyDistribution2D {
  if ('side' in opts) throw new Error('grid25: has 25 modes by definition; use gaussianGrid({ side }) for another grid');
  return gaussianGrid({ ...opts, side: 5 });
}

/**
 * The Swiss roll: a spiral with no separate modes, so a generator must follow a curved
 * one-dimensional manifold. t ~ U[1.5 pi, 4.5 pi], (t cos t, t sin t) / scale plus noise.
 */
export function swissRoll(opts: { noise?: number; scale?: number; seed?: number } = {}): ToyDistribution2D {
  const { noise = 0.25, scale = 5, seed = 0 } = opts;
  checkNonNegative('swissRoll', 'noise', noise);
  checkPositive('swissRoll', 'scale', scale);
  const own = makeRng(seed);
  return {
    name: 'swissRoll',
    sample(n: number, r: Rng = own): Point2[] {
      checkNonNegativeInt('swissRoll.sample', 'n', n);
      const out: Point2[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const t = 1.5 * Math.PI * (1 + 2 * r.uniform());
        out[i] = [(t * Math.cos(t) + noise * r.normal()) / scale, (t * Math.sin(t) + noise * r.normal()) / scale];
      }
      return out;
    },
  };
}
