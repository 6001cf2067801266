/**
 * CycleGAN's history of generated images (Shrivastava et al. 2017; Zhu et al. 2017 sect. 4):
 * the discriminators are updated on fakes drawn from the last `size` generated images rather
 * than only the newest batch, which damps the oscillation of a discriminator that chases the
 * generator's latest move. Until the pool is full every fake is stored and passed through;
 * after that each fake is, with probability 1/2, swapped for a random stored one (which it
 * replaces), and otherwise passed through. `size: 0` turns the pool off.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, checkInteger } from '../core/args';
import { rng as makeRng } from '../core/random';

export interface ImagePool {
  readonly size: number;
  /** How many images are stored now. */
  readonly stored: number;
  /** A NEW [n, ...] batch to train the discriminator on; `fakes` is not kept nor disposed. */
  query(fakes: tf.Tensor): tf.Tensor;
  dispose(): void;
}

export function imagePool(opts: { size?: number; seed?: number } = {}): ImagePool {
  const who = 'imagePool';
  const size = opts.size ?? 50;
  if (typeof size !== 'number') throw argumentError(who, 'size', 'an integer >= 0', size);
  checkInteger(who, 'size', size, 0);
  const r = makeRng(opts.seed ?? 0);
  const images: tf.Tensor[] = [];
  return {
    size,
    get stored() {
      return images.length;
    },
    query(fakes) {
      if (!(fakes instanceof tf.Tensor) || fakes.rank < 2) throw argumentError(who, 'fakes', 'a tensor [n, ...]', fakes instanceof tf.Tensor ? fakes.shape : fakes);
      if (size === 0) return tf.clone(fakes);
      const n = fakes.shape[0];
      const each = tf.split(fakes, n, 0);
      const out: tf.Tensor[] = [];
      const fresh: tf.Tensor[] = [];
      for (const img of each) {
        if (images.length > 0 && img.shape.join(',') !== images[0].shape.join(',')) {
          tf.dispose(each);
          throw new Error(`${who}: fakes of shape [${img.shape.slice(1)}] cannot join a pool of [${images[0].shape.slice(1)}] images`);
        }
        if (images.length < size) {
          images.push(tf.keep(img));
          out.push(img);
        } else if (r.uniform() < 0.5) {
          const j = r.int(size);
          out.push(images[j]);
          fresh.push(images[j]);
          images[j] = tf.keep(img);
        } else {
          out.push(img);
          fresh.push(img);
        }
      }
      const batch = tf.concat(out, 0);
      // Images handed out of the pool and fakes passed through are no longer referenced.
      for (const t of fresh) if (!images.includes(t)) t.dispose();
      return batch;
    },
    dispose() {
      tf.dispose(images);
      images.length = 0;
    },
  };
}
