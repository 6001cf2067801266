import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resvg } from '@resvg/resvg-js';
import { chartFonts } from '../../../kernel-helpers/src/display/fonts';
import { chartTextWidth, measureTextWithChartFont } from '../../../kernel-helpers/src/display/textMeasure';
import { renderVegaLite } from '../../../kernel-helpers/src/display/vegaLiteRender';
import { importEsm } from '../../../kernel-helpers/src/display/esmImport';
import { lineChart, barChart } from '../../../kernel-helpers/src/plot';
import { decodePng } from './capture';

/** The width resvg actually draws a text with (its ink, so a little under the advance). */
function drawnWidth(text: string, size: number, bold: boolean): number {
  const fonts = chartFonts();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="100"><text x="10" y="50" font-size="${size}" font-weight="${bold ? 'bold' : 'normal'}" font-family="${fonts.defaultFamily}">${text}</text></svg>`;
  const r = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: fonts.files, defaultFontFamily: fonts.defaultFamily } });
  const box = r.getBBox();
  assert.ok(box, `resvg drew ${JSON.stringify(text)}`);
  return box!.width;
}

test('chart text widths come from the PNG font: they match what resvg draws', () => {
  for (const [text, size, bold] of [['lossD', 11, false], ['Distance to the equilibrium', 14, true], ['‖(x, y)‖ 0.001 λ = 0.05', 12, false], ['WWWW mmmm', 11, false]] as const) {
    const w = chartTextWidth(text, size, bold)!;
    const ink = drawnWidth(text, size, bold);
    // The advance includes the side bearings of the first and last glyphs (about 1 px).
    assert.ok(w >= ink - 0.5 && w <= ink + 0.25 * size, `${text}: measured ${w.toFixed(1)}, drawn ${ink.toFixed(1)}`);
    if (!text.startsWith('W')) assert.ok(w < 0.75 * 0.8 * [...text].length * size, `${text}: well under vega's 0.8 em per character estimate`);
  }
  assert.ok(chartTextWidth('a', 11, true)! > chartTextWidth('a', 11, false)!, 'bold is wider');
  assert.equal(chartTextWidth('', 11), 0);
});

test('vega lays charts out with the measured widths: no empty band right of the legend', async () => {
  const vega = await importEsm<{ textMetrics: { width: (item: object, text?: string) => number } }>('vega');
  assert.equal(measureTextWithChartFont(vega), true);
  assert.equal(Math.round(vega.textMetrics.width({ fontSize: 11 }, 'lossD')), Math.round(chartTextWidth('lossD', 11)!));
  assert.equal(vega.textMetrics.width({ fontSize: 11, limit: 10 }, 'a long label'), 10, 'a truncated text is as wide as its limit');
  for (const spec of [
    lineChart({ lossD: [1, 2, 3], lossG: [3, 2, 1], 'a rather long series name': [2, 2, 2] }, { title: 'Losses' }),
    barChart({ 'non-saturating': 3, 'least squares': 4 }, { horizontal: true }),
  ]) {
    const r = await renderVegaLite(spec);
    const png = decodePng(r.png);
    let lastInk = 0;
    for (let x = 0; x < png.width; x++) {
      for (let y = 0; y < png.height; y++) {
        const i = 4 * (y * png.width + x);
        if (png.data[i] < 200 || png.data[i + 1] < 200 || png.data[i + 2] < 200) lastInk = x;
      }
    }
    assert.ok(png.width - lastInk <= 12, `${png.width - lastInk} px of white at the right of a ${png.width} px PNG`);
  }
});
