/**
 * Bold digits, the target domain of the course's unpaired translation task: each image
 * dilated by the cross of a pixel and its four neighbours (a morphological dilation, the
 * maximum over the cross), which turns a pen stroke of about 1.5 pixels at 14x14 into one of
 * about 3.5. Thin -> bold is a translation with a known right answer, like CycleGAN's
 * photo -> painting with the painting known, and one a convolutional generator can learn:
 * it is local, while a rotation or a flip moves content across the image, a geometric change
 * CycleGAN's generators are known to fail at (Zhu et al. 2017, sect. 5.2).
 *
 * Plain numbers: row-major single-channel images, values kept as they are (any range).
 */
import { argumentError, checkPositiveInt } from '../../core/args';

export function boldDigits(pixels: ArrayLike<number>, count: number, size = 14): Float32Array {
  const who = 'boldDigits';
  checkPositiveInt(who, 'count', count);
  checkPositiveInt(who, 'size', size);
  const per = size * size;
  if (!pixels || typeof pixels.length !== 'number' || pixels.length !== count * per) {
    throw argumentError(who, 'pixels', `${count} x ${size} x ${size} = ${count * per} values`, pixels && typeof pixels.length === 'number' ? `${pixels.length} values` : pixels);
  }
  const out = new Float32Array(count * per);
  for (let k = 0; k < count; k++) {
    const o = k * per;
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        let m = pixels[o + i * size + j];
        if (i > 0) m = Math.max(m, pixels[o + (i - 1) * size + j]);
        if (i + 1 < size) m = Math.max(m, pixels[o + (i + 1) * size + j]);
        if (j > 0) m = Math.max(m, pixels[o + i * size + j - 1]);
        if (j + 1 < size) m = Math.max(m, pixels[o + i * size + j + 1]);
        out[o + i * size + j] = m;
      }
    }
  }
  return out;
}
