/** Gaussian blobs in a flat row-major layout, the shared fixture of the feature-metric tests. */
import type { Rng } from '../../../kernel-helpers/src/core/random';

export interface Blobs {
  rows: Float32Array;
  labels: Int32Array;
  n: number;
}

/** `perClass` points around centre `spread * e_c` for each class c listed (dim >= max class + 1), std `std`. */
export function blobs(r: Rng, classes: readonly number[], perClass: number, dim: number, spread: number, std: number): Blobs {
  const n = classes.length * perClass;
  const rows = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  let i = 0;
  for (const c of classes) {
    for (let p = 0; p < perClass; p++, i++) {
      labels[i] = c;
      for (let j = 0; j < dim; j++) rows[i * dim + j] = (j === c ? spread : 0) + std * r.normal();
    }
  }
  return { rows, labels, n };
}

export const range = (k: number): number[] => Array.from({ length: k }, (_, i) => i);

/** `perClass` points around each of `modes` centres evenly spaced on a circle of radius 10 in the plane (std `std`), for the classes listed. */
export function ring(r: Rng, modes: number, classes: readonly number[], perClass: number, std: number, offset = 0): Blobs {
  const n = classes.length * perClass;
  const rows = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  let i = 0;
  for (const c of classes) {
    const a = (2 * Math.PI * c) / modes;
    for (let p = 0; p < perClass; p++, i++) {
      labels[i] = c;
      rows[2 * i] = offset + 10 * Math.cos(a) + std * r.normal();
      rows[2 * i + 1] = 10 * Math.sin(a) + std * r.normal();
    }
  }
  return { rows, labels, n };
}
