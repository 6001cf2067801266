/**
 * Conditional diversity: how different the images a conditional generator makes for ONE
 * condition are from each other, as the mean pairwise L1 distance between the images
 * generated for the same mask under different latents (the LPIPS-free form of the diversity
 * score of BicycleGAN, Zhu et al. 2017, and of SPADE's multi-modal synthesis). A generator
 * that ignores z (mode collapse per mask, the usual failure when the condition is strong and
 * the latent is weak) scores 0; one that follows the mask and varies the texture scores high.
 *
 * Layout: `images` holds `count` groups of `perMask` images, group by group (image j of group
 * m at index m * perMask + j), every image the same number of values; the score is the mean,
 * over groups and over the perMask (perMask - 1) / 2 pairs in each, of the mean absolute
 * pixel difference.
 */
import { argumentError, checkInteger, checkPositiveInt } from '../core/args';

export function conditionalDiversity(images: Float32Array, count: number, perMask: number): number {
  const who = 'conditionalDiversity';
  if (!(images instanceof Float32Array)) throw argumentError(who, 'images', 'a Float32Array', typeof images);
  checkPositiveInt(who, 'count', count);
  checkInteger(who, 'perMask', perMask, 2);
  const n = count * perMask;
  if (images.length === 0 || images.length % n !== 0) {
    throw new Error(`${who}: images must hold count * perMask = ${count} * ${perMask} = ${n} images of equal size, got ${images.length} values`);
  }
  const P = images.length / n;
  let total = 0;
  for (let m = 0; m < count; m++) {
    for (let a = 0; a < perMask; a++) {
      const oa = (m * perMask + a) * P;
      for (let b = a + 1; b < perMask; b++) {
        const ob = (m * perMask + b) * P;
        let s = 0;
        for (let p = 0; p < P; p++) s += Math.abs(images[oa + p] - images[ob + p]);
        total += s / P;
      }
    }
  }
  return total / (count * ((perMask * (perMask - 1)) / 2));
}
