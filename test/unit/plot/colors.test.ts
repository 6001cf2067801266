import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { colorScale, resetSeriesColors, PALETTE, NAMED_COLORS } from '../../../kernel-helpers/src/plot/theme';
import { lineChart, vectorFieldChart } from '../../../kernel-helpers/src/plot';

beforeEach(() => resetSeriesColors());

const colorOf = (scale: { domain: string[]; range: string[] }, name: string): string => scale.range[scale.domain.indexOf(name)];

test('colorScale: recurring names keep their fixed colour; others never take blue or orange', () => {
  const s = colorScale(['real', 'generated', 'a', 'b']);
  assert.deepEqual(s.range.slice(0, 2), [NAMED_COLORS.real, NAMED_COLORS.generated]);
  assert.deepEqual(s.range.slice(2), [PALETTE[2], PALETTE[3]]);
  const t = colorScale(['x', 'y']);
  assert.deepEqual(t.range, [PALETTE[4], PALETTE[5]], 'new names take the least used colours');
});

test('colorScale: a name keeps its colour across charts, whatever the other series and their order', () => {
  const methods = ['simultaneous', 'alternating', 'extragradient'];
  const first = colorScale(methods);
  const second = colorScale(['flow', ...[...methods].reverse()]);
  for (const m of methods) assert.equal(colorOf(second, m), colorOf(first, m), m);
  assert.equal(new Set(second.range).size, 4, 'no repeated colour within a chart');
});

test('colorScale: within a chart colours never repeat, even when two names share a colour', () => {
  colorScale(['a']); // a -> green
  resetSeriesColors();
  for (let i = 0; i < 8; i++) colorScale([`n${i}`]); // all 8 free colours are taken once
  const s = colorScale(['n0', 'new', 'D', 'discriminator']);
  assert.equal(new Set(s.range).size, 4);
  assert.equal(colorOf(s, 'n0'), PALETTE[2]);
  const many = colorScale(Array.from({ length: 12 }, (_, i) => `m${i}`));
  assert.equal(many.range.length, 12);
  assert.equal(new Set(many.range.slice(0, 10)).size, 10);
});

test('the same method has the same colour in a vector field and a line chart (chapter 3)', () => {
  const methods = ['simultaneous', 'alternating', 'extragradient'];
  const path = (k: number) => [[0, k], [1, k]] as Array<[number, number]>;
  const field = vectorFieldChart((x, y) => [-y, x], { xRange: [-1, 1], yRange: [-1, 1], trajectories: { 'flow (RK4)': path(0), ...Object.fromEntries(methods.map((m, k) => [m, path(k)])) } });
  const lines = lineChart(Object.fromEntries([['flow', [1, 1]], ...methods.map((m) => [m, [1, 2]])]));
  const pathScale = ((field.layer as Array<{ encoding: { color?: { field: string; scale: { domain: string[]; range: string[] } } } }>).find((l) => l.encoding.color?.field === 'path'))!.encoding.color!.scale;
  const lineScale = (lines.encoding as { color: { scale: { domain: string[]; range: string[] } } }).color.scale;
  for (const m of methods) assert.equal(colorOf(lineScale, m), colorOf(pathScale, m), m);
});
