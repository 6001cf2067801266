import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChart } from '../../../kernel-helpers/src/plot';
import { compileVegaLite, renderVegaLite } from '../../../kernel-helpers/src/display';

test('a series with few measurements is drawn with point markers, a long one without', async () => {
  const sparse = lineChart({ fd: [[3, 120]] as [number, number][] });
  const dense = lineChart({ loss: Array.from({ length: 200 }, (_, i) => Math.exp(-i / 50)) });
  assert.deepEqual((sparse.mark as { point?: unknown }).point, { filled: true, size: 30 });
  assert.equal((dense.mark as { point?: unknown }).point, undefined);
  const warnings: string[] = [];
  await compileVegaLite(sparse, warnings);
  assert.deepEqual(warnings, []);
  const png = await renderVegaLite(sparse, 1);
  assert.ok(png.png.length > 1000);
});
