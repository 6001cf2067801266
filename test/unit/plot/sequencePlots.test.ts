/**
 * The sequence chapter's charts: piano rolls of note events (onsets add up
 * time-since-previous, chords start together) and multi-series sequence lines with an
 * optional dashed overlay. Every spec must compile with vega-lite without a warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileVegaLite } from '../../../kernel-helpers/src/display/vegaLiteRender';
import { pianoRollChart, sequenceLinesChart, VegaLiteSpec } from '../../../kernel-helpers/src/plot';
import { syntheticMelodies, sineSequences } from '../../../kernel-helpers/src/data';

async function compiles(spec: VegaLiteSpec): Promise<void> {
  const warnings: string[] = [];
  const vega = (await compileVegaLite(spec, warnings)) as { marks?: unknown[] };
  assert.deepEqual(warnings, []);
  assert.ok(Array.isArray(vega.marks) && vega.marks.length > 0, 'the compiled Vega spec has marks');
}

type Row = Record<string, number | string>;
const values = (s: VegaLiteSpec): Row[] => (s.data as { values: Row[] }).values;

test('pianoRollChart: one rect per tone from onset to onset + duration, chords start together', async () => {
  // [duration, pitch, intensity, since]: C (2 beats), E with a G struck together, then D
  const tones = [2, 60, 0.9, 0, 1, 64, 0.5, 2, 1, 67, 0.5, 0, 0.5, 62, 1, 1];
  const spec = pianoRollChart(tones, 4, { title: 'A melody' });
  await compiles(spec);
  const v = values(spec);
  assert.deepEqual(v.map((r) => [r.start, r.end, r.pitch]), [[0, 2, 60], [2, 3, 64], [2, 3, 67], [3, 3.5, 62]]);
  assert.equal(v[0].low, 59.55);
  assert.equal(v[0].high, 60.45);
  assert.equal((spec.mark as { type: string }).type, 'rect');
  assert.equal(spec.title, 'A melody');
  // a generator's negative time-since-previous counts as 0; a non-positive duration still draws
  const odd = values(pianoRollChart([1, 60, 0.5, 0, -0.5, 61, 0.5, -1], 2));
  assert.deepEqual(odd.map((r) => [r.start, r.end]), [[0, 1], [0, 0.02]]);
});

test('pianoRollChart: several melodies as facets in a grid', async () => {
  const m = syntheticMelodies({ count: 5, length: 16, seed: 1 });
  const spec = pianoRollChart(m.tones, m.length, { melodies: [0, 2, 4], columns: 3, pitchDomain: [40, 100] });
  await compiles(spec);
  assert.equal(values(spec).length, 3 * 16);
  assert.deepEqual(new Set(values(spec).map((r) => r.melody)), new Set(['melody 0', 'melody 2', 'melody 4']));
  assert.equal(spec.columns, 3);
  assert.ok(spec.facet && spec.spec && spec.width === undefined, 'sizes go on the inner spec of a facet');
  await compiles(pianoRollChart(m.tones, m.length));
  assert.throws(() => pianoRollChart(m.tones, 15), /pianoRollChart: tones\.length must be a positive multiple of length \* 4 = 60/);
  assert.throws(() => pianoRollChart(m.tones, 16, { melodies: [5] }), /pianoRollChart: opts\.melodies\[0\] must be a melody index in \[0, 4\], got 5/);
  assert.throws(() => pianoRollChart(m.tones, 0), /pianoRollChart: length must be a positive integer, got 0/);
});

test('sequenceLinesChart: features of one sequence, plain series, and a dashed overlay', async () => {
  const s = sineSequences({ count: 3, length: 24, features: 5, seed: 0 });
  const one = sequenceLinesChart({ data: s.data, length: 24, features: 5, index: 2 }, { title: 'A sine sequence', yDomain: [0, 1] });
  await compiles(one);
  const v = values(one);
  assert.equal(v.length, 5 * 24);
  const at = v.find((r) => r.series === 'feature 4' && r.t === 7);
  assert.ok(at && Math.abs((at.y as number) - s.data[(2 * 24 + 7) * 5 + 3]) < 1e-5, 'row-major [count, length, features]');
  const plain = sequenceLinesChart([[1, 2, 3], [3, 2, 1]], { names: ['open', 'close'] });
  await compiles(plain);
  assert.deepEqual(values(plain)[4], { series: 'close', set: 'real', t: 1, y: 2 });
  const overlay = sequenceLinesChart([[1, 2, 3]], { compare: [[1.5, 2.5, 2]], setNames: ['real', 'generated'] });
  await compiles(overlay);
  assert.deepEqual(values(overlay).map((r) => r.set), ['real', 'real', 'real', 'generated', 'generated', 'generated']);
  assert.deepEqual((overlay.encoding as { strokeDash: { scale: { domain: string[] } } }).strokeDash.scale.domain, ['real', 'generated']);
  assert.throws(() => sequenceLinesChart([[1, 2, 3]], { compare: [[1, 2]] }), /sequenceLinesChart: opts\.compare\[0\]\.length must be 3, the length of series\[0\], got 2/);
  assert.throws(() => sequenceLinesChart([[1, 2], [3, 4]], { compare: [[1, 2]] }), /sequenceLinesChart: opts\.compare must be 2 series, as many as series, got "1 series"/);
  assert.throws(() => sequenceLinesChart({ data: s.data, length: 24, features: 4 }), /sequenceLinesChart: series\.data\.length must be a positive multiple of length \* features = 96, got 360/);
  assert.throws(() => sequenceLinesChart({ data: s.data, length: 24, features: 5, index: 3 }), /sequenceLinesChart: series\.index must be an integer in \[0, 2\], got 3/);
  assert.throws(() => sequenceLinesChart([[1], [2]], { names: ['a'] }), /sequenceLinesChart: opts\.names must be 2 distinct names, one per series/);
  assert.throws(() => sequenceLinesChart([]), /sequenceLinesChart: series must be a non-empty list of series/);
});
