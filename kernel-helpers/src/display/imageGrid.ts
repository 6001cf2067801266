/**
 * A grid of sample images (generator outputs, data) -> one PNG, encoded with pngjs.
 */
import { PNG } from 'pngjs';
import type { ImageGrid, ImageGridOptions, TensorLike } from './showable';

/** Images as one flat array plus their geometry. */
export interface ImageStack {
  data: ArrayLike<number>;
  n: number;
  height: number;
  width: number;
  channels: 1 | 3;
}

function fail(msg: string): never {
  throw new Error(`images(source): ${msg}`);
}

/** Reads [N,H,W], [N,H,W,C], [H,W] or [H,W,C] (C = 1 or 3) into an ImageStack. */
export function toImageStack(source: ImageGrid['source']): ImageStack {
  let shape: number[];
  let data: ArrayLike<number>;
  if (Array.isArray(source)) {
    shape = [];
    let probe: unknown = source;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      probe = probe[0];
    }
    const flat = (source as unknown[]).flat(Infinity) as unknown[];
    const expected = shape.reduce((a, b) => a * b, 1);
    if (flat.length !== expected || flat.some((v) => typeof v !== 'number')) {
      fail(`nested arrays must be rectangular arrays of numbers, shape [${shape.join(',')}] expected ${expected} numbers, got ${flat.length}`);
    }
    data = flat as number[];
  } else if (typeof (source as TensorLike).dataSync === 'function') {
    shape = (source as TensorLike).shape;
    data = (source as TensorLike).dataSync();
  } else if (source && Array.isArray((source as { shape?: unknown }).shape) && (source as { data?: unknown }).data) {
    shape = (source as { shape: number[] }).shape;
    data = (source as { data: ArrayLike<number> }).data;
    if (data.length !== shape.reduce((a, b) => a * b, 1)) fail(`data has ${data.length} values but shape [${shape.join(',')}] needs ${shape.reduce((a, b) => a * b, 1)}`);
  } else {
    fail('expected a tensor, nested arrays or {data, shape}');
  }
  let dims = shape.slice();
  if (dims.length === 2) dims = [1, dims[0], dims[1], 1];
  else if (dims.length === 3 && (dims[2] === 1 || dims[2] === 3) && dims[0] > 4 && dims[1] > 4) {
    // [H,W,C] of one image: channels last and small, spatial dims large.
    dims = [1, ...dims];
  } else if (dims.length === 3) dims = [...dims, 1];
  if (dims.length !== 4) fail(`expected shape [N,H,W] or [N,H,W,1|3], got [${shape.join(',')}]`);
  const [n, height, width, channels] = dims;
  if (channels !== 1 && channels !== 3) fail(`the channel dimension must be 1 or 3, got ${channels} (shape [${shape.join(',')}])`);
  if (n < 1 || height < 1 || width < 1) fail(`empty image set, shape [${shape.join(',')}]`);
  return { data, n, height, width, channels: channels as 1 | 3 };
}

function valueRange(data: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min < 0) return [-1, 1];
  if (max > 1.5) return [0, 255];
  return [0, 1];
}

export interface GridImage {
  png: Buffer;
  width: number;
  height: number;
  n: number;
}

/** Lays images out in a grid and encodes it as PNG (values clipped to the range). */
export function renderImageGrid(source: ImageGrid['source'], options: ImageGridOptions = {}): GridImage {
  const st = toImageStack(source);
  const cols = Math.max(1, Math.min(st.n, options.cols ?? Math.min(16, Math.ceil(Math.sqrt(st.n)))));
  const rows = Math.ceil(st.n / cols);
  const scale = Math.max(1, Math.round(options.pixelScale ?? Math.ceil(56 / Math.max(st.height, st.width))));
  const gap = Math.max(0, Math.round(options.gap ?? 2));
  const [lo, hi] = options.range ?? valueRange(st.data);
  if (!(hi > lo)) throw new Error(`images(source, options): range must be [low, high] with high > low, got [${lo}, ${hi}]`);
  const cellW = st.width * scale;
  const cellH = st.height * scale;
  const W = cols * cellW + (cols + 1) * gap;
  const H = rows * cellH + (rows + 1) * gap;
  const png = new PNG({ width: W, height: H, colorType: 6 });
  png.data.fill(255); // white background and gaps, opaque
  const px = st.height * st.width * st.channels;
  for (let k = 0; k < st.n; k++) {
    const ox = gap + (k % cols) * (cellW + gap);
    const oy = gap + Math.floor(k / cols) * (cellH + gap);
    for (let y = 0; y < st.height; y++) {
      for (let x = 0; x < st.width; x++) {
        const base = k * px + (y * st.width + x) * st.channels;
        const rgb = [0, 0, 0];
        for (let c = 0; c < 3; c++) {
          const v = st.data[base + (st.channels === 3 ? c : 0)];
          const t = Number.isFinite(v) ? (v - lo) / (hi - lo) : 0;
          rgb[c] = Math.round(255 * Math.min(1, Math.max(0, t)));
        }
        for (let dy = 0; dy < scale; dy++) {
          let o = ((oy + y * scale + dy) * W + ox + x * scale) * 4;
          for (let dx = 0; dx < scale; dx++, o += 4) {
            png.data[o] = rgb[0];
            png.data[o + 1] = rgb[1];
            png.data[o + 2] = rgb[2];
          }
        }
      }
    }
  }
  return { png: PNG.sync.write(png), width: W, height: H, n: st.n };
}
