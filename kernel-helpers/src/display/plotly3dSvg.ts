/**
 * A static SVG view of a 3D Plotly figure (surfaces and 3D paths), for the PNG fallback.
 *
 * Orthographic projection from the camera direction `layout.scene.camera.eye` (Plotly's
 * default (1.25, 1.25, 1.25)): with w the unit vector towards the viewer, the screen axes
 * are r = normalize(e_z x w) (right) and u = w x r (up); a point p in the normalised data
 * cube [-1, 1]^3 lands at (p.r, p.u) with depth p.w. Surface cells are drawn far to near
 * (painter's algorithm), coloured by their mean z and shaded by |n.L| with a light near
 * the viewer. The three walls facing the viewer's back carry the grid lines.
 */
import type { PlotlyFigure } from '../plot/types';
import { SURFACE_ASPECT } from '../plot/surfaceFigure';

type V3 = [number, number, number];
const dot = (a: V3, b: V3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: V3): V3 => {
  const n = Math.hypot(a[0], a[1], a[2]) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
};
const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

type Stops = Array<[number, [number, number, number]]>;
const VIRIDIS: Stops = [
  [0, [68, 1, 84]], [0.13, [71, 44, 122]], [0.25, [59, 81, 139]], [0.38, [44, 113, 142]], [0.5, [33, 144, 141]],
  [0.63, [39, 173, 129]], [0.75, [92, 200, 99]], [0.88, [170, 220, 50]], [1, [253, 231, 37]],
];
const RDBU: Stops = [[0, [5, 48, 97]], [0.25, [67, 147, 195]], [0.5, [247, 247, 247]], [0.75, [214, 96, 77]], [1, [103, 0, 31]]];

function hexRgb(c: unknown): [number, number, number] | undefined {
  if (typeof c !== 'string') return undefined;
  let m = /^#([0-9a-f]{6})$/i.exec(c);
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16)];
  m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/i.exec(c);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return undefined;
}

function colourStops(spec: unknown): Stops {
  if (typeof spec === 'string' && /^rdbu$/i.test(spec)) return RDBU;
  if (Array.isArray(spec)) {
    const stops = spec.map((s) => (Array.isArray(s) ? ([Number(s[0]), hexRgb(s[1])] as const) : undefined));
    if (stops.length >= 2 && stops.every((s) => s && Number.isFinite(s[0]) && s[1])) return stops as Stops;
  }
  return VIRIDIS;
}

function colourAt(stops: Stops, t: number, shade = 1): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  let k = 0;
  while (k < stops.length - 2 && x > stops[k + 1][0]) k++;
  const [t0, c0] = stops[k];
  const [t1, c1] = stops[k + 1];
  const f = t1 > t0 ? (x - t0) / (t1 - t0) : 0;
  const c = [0, 1, 2].map((i) => Math.round(Math.min(255, (c0[i] + (c1[i] - c0[i]) * f) * shade)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Surface {
  xs: number[];
  ys: number[];
  z: number[][];
  stops: Stops;
}
interface Path3 {
  pts: V3[];
  colour: string;
  width: number;
  markers: boolean;
}

function arr(v: unknown): number[] | undefined {
  return Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number>, (x) => (x === null ? NaN : Number(x))) : undefined;
}

/**
 * The drawn box's proportions (x, y normalised to 1): the scene's `aspectratio` (z against
 * the mean of x and y) when `aspectmode` is 'manual', a cube for 'cube', else surfaceFigure's box.
 */
function boxAspect(scene: { [k: string]: unknown }): V3 {
  if (scene.aspectmode === 'cube') return [1, 1, 1];
  const r = scene.aspectratio as { x?: unknown; y?: unknown; z?: unknown } | undefined;
  if (scene.aspectmode === 'manual' && r) {
    const v = [r.x, r.y, r.z].map(Number);
    // The drawing keeps x and y at the same length (walls and ticks are laid out on that box).
    if (v.every((x) => x > 0 && Number.isFinite(x))) return [1, 1, v[2] / ((v[0] + v[1]) / 2)];
  }
  return [SURFACE_ASPECT.x, SURFACE_ASPECT.y, SURFACE_ASPECT.z];
}

/** The SVG document, or null when the figure has nothing drawable. */
export function plotly3dSvg(fig: PlotlyFigure): string | null {
  const surfaces: Surface[] = [];
  const paths: Path3[] = [];
  for (const t of fig.data) {
    if (t.type === 'surface') {
      const z = Array.isArray(t.z) ? (t.z as unknown[]).map((row) => arr(row) ?? []) : [];
      if (z.length < 2 || z[0].length < 2) continue;
      const xs = arr(t.x) ?? z[0].map((_, i) => i);
      const ys = arr(t.y) ?? z.map((_, j) => j);
      if (xs.length !== z[0].length || ys.length !== z.length) continue;
      surfaces.push({ xs, ys, z, stops: colourStops(t.colorscale) });
    } else if (t.type === 'scatter3d') {
      const x = arr(t.x), y = arr(t.y), z = arr(t.z);
      if (!x || !y || !z) continue;
      const pts: V3[] = x.map((xi, i) => [xi, y[i], z[i]] as V3).filter((p) => p.every(Number.isFinite));
      const line = (t.line ?? {}) as { color?: unknown; width?: unknown };
      paths.push({
        pts,
        colour: typeof line.color === 'string' ? line.color : '#e45756',
        width: Math.max(1, Math.min(6, Number(line.width ?? 4) / 2)),
        markers: typeof t.mode !== 'string' || t.mode.includes('markers'),
      });
    }
  }
  if (surfaces.length === 0 && paths.length === 0) return null;

  // Data bounds over everything drawn.
  const lo: V3 = [Infinity, Infinity, Infinity];
  const hi: V3 = [-Infinity, -Infinity, -Infinity];
  const grow = (p: V3): void => {
    for (let i = 0; i < 3; i++) if (Number.isFinite(p[i])) { lo[i] = Math.min(lo[i], p[i]); hi[i] = Math.max(hi[i], p[i]); }
  };
  for (const s of surfaces) s.ys.forEach((y, j) => s.xs.forEach((x, i) => grow([x, y, s.z[j][i]])));
  for (const p of paths) p.pts.forEach(grow);
  for (let i = 0; i < 3; i++) if (!(hi[i] > lo[i])) { lo[i] -= 0.5; hi[i] += 0.5; }
  const layout = (fig.layout ?? {}) as { [k: string]: unknown };
  const scene = (layout.scene ?? {}) as { camera?: { eye?: { x?: number; y?: number; z?: number } }; [k: string]: unknown };
  const aspect = boxAspect(scene);
  const toCube = (p: V3): V3 => [0, 1, 2].map((i) => aspect[i] * (2 * (p[i] - lo[i]) / (hi[i] - lo[i]) - 1)) as V3;
  const eye = scene.camera?.eye ?? {};
  const w = norm([Number(eye.x ?? 1.25), Number(eye.y ?? 1.25), Number(eye.z ?? 1.25)]);
  const r = norm(cross([0, 0, 1], w));
  const u = cross(w, r);

  const W = Number(layout.width ?? 560);
  const H = Number(layout.height ?? 460);
  const title = typeof layout.title === 'string' ? layout.title : (layout.title as { text?: string } | undefined)?.text;
  const top = title ? 40 : 14;
  const left = 20, right = 90, bottom = 20;
  // Fit the projected cube (with room for labels) into the plot area.
  const corners: V3[] = [];
  for (const a of [-1.35, 1.35]) for (const b of [-1.35, 1.35]) for (const c of [-aspect[2], aspect[2]]) corners.push([a, b, c]);
  const sx = corners.map((c) => dot(c, r)), sy = corners.map((c) => dot(c, u));
  const [minX, maxX, minY, maxY] = [Math.min(...sx), Math.max(...sx), Math.min(...sy), Math.max(...sy)];
  const k = Math.min((W - left - right) / (maxX - minX), (H - top - bottom) / (maxY - minY));
  const ox = left + ((W - left - right) - k * (maxX - minX)) / 2 - k * minX;
  const oy = top + ((H - top - bottom) - k * (maxY - minY)) / 2 + k * maxY;
  const P = (p: V3): [number, number] => [ox + k * dot(p, r), oy - k * dot(p, u)];
  const pts = (ps: V3[]): string => ps.map((p) => P(p).map((v) => v.toFixed(1)).join(',')).join(' ');

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  if (title) out.push(`<text x="${left}" y="24" font-size="15" font-weight="bold" fill="#222">${esc(title)}</text>`);

  // Back walls and grid lines. The back wall of axis i sits at -sign(w_i).
  const back: V3 = [w[0] > 0 ? -1 : 1, w[1] > 0 ? -1 : 1, w[2] > 0 ? -aspect[2] : aspect[2]];
  const Z = aspect[2];
  const ticks = [0, 1, 2].map((i) => niceTicks(lo[i], hi[i]));
  const tc = (i: number, v: number): number => aspect[i] * (2 * (v - lo[i]) / (hi[i] - lo[i]) - 1);
  const walls: Array<{ quad: V3[]; lines: Array<[V3, V3]> }> = [
    { // x = back[0]
      quad: [[back[0], -1, -Z], [back[0], 1, -Z], [back[0], 1, Z], [back[0], -1, Z]],
      lines: [...ticks[1].map((v) => [[back[0], tc(1, v), -Z], [back[0], tc(1, v), Z]] as [V3, V3]), ...ticks[2].map((v) => [[back[0], -1, tc(2, v)], [back[0], 1, tc(2, v)]] as [V3, V3])],
    },
    { // y = back[1]
      quad: [[-1, back[1], -Z], [1, back[1], -Z], [1, back[1], Z], [-1, back[1], Z]],
      lines: [...ticks[0].map((v) => [[tc(0, v), back[1], -Z], [tc(0, v), back[1], Z]] as [V3, V3]), ...ticks[2].map((v) => [[-1, back[1], tc(2, v)], [1, back[1], tc(2, v)]] as [V3, V3])],
    },
    { // floor (or ceiling when seen from below)
      quad: [[-1, -1, back[2]], [1, -1, back[2]], [1, 1, back[2]], [-1, 1, back[2]]],
      lines: [...ticks[0].map((v) => [[tc(0, v), -1, back[2]], [tc(0, v), 1, back[2]]] as [V3, V3]), ...ticks[1].map((v) => [[-1, tc(1, v), back[2]], [1, tc(1, v), back[2]]] as [V3, V3])],
    },
  ];
  for (const wall of walls) {
    out.push(`<polygon points="${pts(wall.quad)}" fill="#f4f5f7" stroke="#ccc" stroke-width="0.8"/>`);
    for (const [a, b] of wall.lines) {
      const [x1, y1] = P(a), [x2, y2] = P(b);
      out.push(`<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#dcdfe4" stroke-width="0.7"/>`);
    }
  }

  // Surface cells, far to near.
  const light = norm([w[0], w[1], w[2] + 0.6]);
  const cells: Array<{ depth: number; svg: string }> = [];
  let zlo = Infinity, zhi = -Infinity;
  for (const s of surfaces) for (const row of s.z) for (const v of row) if (Number.isFinite(v)) { zlo = Math.min(zlo, v); zhi = Math.max(zhi, v); }
  for (const s of surfaces) {
    for (let j = 0; j + 1 < s.ys.length; j++) {
      for (let i = 0; i + 1 < s.xs.length; i++) {
        const raw: V3[] = [[s.xs[i], s.ys[j], s.z[j][i]], [s.xs[i + 1], s.ys[j], s.z[j][i + 1]], [s.xs[i + 1], s.ys[j + 1], s.z[j + 1][i + 1]], [s.xs[i], s.ys[j + 1], s.z[j + 1][i]]];
        if (!raw.every((p) => p.every(Number.isFinite))) continue;
        const q = raw.map(toCube);
        const n = norm(cross(sub(q[1], q[0]), sub(q[3], q[0])));
        const shade = 0.6 + 0.4 * Math.abs(dot(n, light));
        const zm = (raw[0][2] + raw[1][2] + raw[2][2] + raw[3][2]) / 4;
        const fill = colourAt(s.stops, zhi > zlo ? (zm - zlo) / (zhi - zlo) : 0.5, shade);
        const depth = q.reduce((a, p) => a + dot(p, w), 0) / 4;
        cells.push({ depth, svg: `<polygon points="${pts(q)}" fill="${fill}" stroke="${fill}" stroke-width="0.6" stroke-linejoin="round"/>` });
      }
    }
  }
  cells.sort((a, b) => a.depth - b.depth);
  for (const c of cells) out.push(c.svg);

  for (const p of paths) {
    const q = p.pts.map(toCube);
    out.push(`<polyline points="${pts(q)}" fill="none" stroke="${p.colour}" stroke-width="${p.width}" stroke-linejoin="round"/>`);
    if (p.markers) for (const m of q) { const [x, y] = P(m); out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${(p.width * 0.8).toFixed(1)}" fill="${p.colour}"/>`); }
  }

  // Tick labels and axis titles on the front edges of the floor; z on the leftmost vertical edge.
  const front: V3 = [-back[0], -back[1], back[2]];
  const axTitle = (name: 'xaxis' | 'yaxis' | 'zaxis', dflt: string): string => {
    const a = scene[name] as { title?: unknown } | undefined;
    const t = a?.title;
    return typeof t === 'string' ? t : typeof (t as { text?: unknown })?.text === 'string' ? (t as { text: string }).text : dflt;
  };
  const label = (p: V3, text: string, anchor = 'middle', size = 10, colour = '#555'): void => {
    const [x, y] = P(p);
    out.push(`<text x="${x.toFixed(1)}" y="${(y + size / 3).toFixed(1)}" font-size="${size}" text-anchor="${anchor}" fill="${colour}">${esc(text)}</text>`);
  };
  const sideAnchor = (p: V3): string => (dot(p, r) < -0.2 ? 'end' : dot(p, r) > 0.2 ? 'start' : 'middle');
  for (const v of ticks[0]) label([tc(0, v), front[1] * 1.12, front[2]], fmt(v), sideAnchor([0, front[1], 0]));
  for (const v of ticks[1]) label([front[0] * 1.12, tc(1, v), front[2]], fmt(v), sideAnchor([front[0], 0, 0]));
  label([0, front[1] * 1.32, front[2]], axTitle('xaxis', 'x'), sideAnchor([0, front[1], 0]), 12, '#222');
  label([front[0] * 1.32, 0, front[2]], axTitle('yaxis', 'y'), sideAnchor([front[0], 0, 0]), 12, '#222');
  const floorCorners: V3[] = [[-1, -1, 0], [1, -1, 0], [-1, 1, 0], [1, 1, 0]];
  const zc = floorCorners.reduce((best, c) => (dot(c, r) < dot(best, r) ? c : best));
  // z ticks on the vertical edge; the ones next to the floor would collide with x/y tick labels.
  for (const v of ticks[2]) if (Math.abs(tc(2, v) - back[2]) > 0.12 * Z) label([zc[0] * 1.08, zc[1] * 1.08, tc(2, v)], fmt(v), 'end');
  const zTitlePos = P([zc[0] * 1.08, zc[1] * 1.08, Z * 1.25]);
  out.push(`<text x="${zTitlePos[0].toFixed(1)}" y="${zTitlePos[1].toFixed(1)}" font-size="12" text-anchor="middle" fill="#222">${esc(axTitle('zaxis', 'z'))}</text>`);

  // Colour bar for the (first) surface.
  if (surfaces.length > 0 && zhi > zlo) {
    const bx = W - right + 30, by = top + 10, bh = Math.min(220, H - top - bottom - 20), bw = 14;
    const stops = surfaces[0].stops;
    out.push('<defs><linearGradient id="cbar" x1="0" y1="1" x2="0" y2="0">');
    for (let s = 0; s <= 10; s++) out.push(`<stop offset="${s / 10}" stop-color="${colourAt(stops, s / 10)}"/>`);
    out.push('</linearGradient></defs>');
    out.push(`<rect x="${bx}" y="${by}" width="${bw}" height="${bh}" fill="url(#cbar)" stroke="#aaa" stroke-width="0.5"/>`);
    for (const v of niceTicks(zlo, zhi, 4)) {
      const y = by + bh * (1 - (v - zlo) / (zhi - zlo));
      out.push(`<line x1="${bx + bw}" x2="${bx + bw + 3}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#888"/>`);
      out.push(`<text x="${bx + bw + 5}" y="${(y + 3.5).toFixed(1)}" font-size="10" fill="#555">${esc(fmt(v))}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}
