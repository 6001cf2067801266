import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chartFonts, resetChartFonts } from '../../../kernel-helpers/src/display/fonts';
import { svgToPng } from '../../../kernel-helpers/src/display/svgToPng';
import { decodePng } from './capture';

afterEach(() => {
  delete process.env.GAN_COURSE_FONT;
  resetChartFonts();
});

function darkPixels(svg: string): number {
  const png = decodePng(svgToPng(svg).png);
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 128) n++;
  return n;
}

test('text renders: the bundled DejaVu Sans is used by default, for sans-serif and unknown families', () => {
  resetChartFonts();
  const f = chartFonts();
  assert.equal(f.source, 'dejavu-fonts-ttf');
  assert.equal(f.defaultFamily, 'DejaVu Sans');
  assert.ok(f.files.every((p) => fs.existsSync(p)) && f.files.length === 2);
  for (const family of ['sans-serif', 'NoSuchFontFamily']) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="5" y="28" font-size="20" font-family="${family}">Loss 1.234</text></svg>`;
    assert.ok(darkPixels(svg) > 100, `text drawn for font-family ${family}`);
  }
});

test('GAN_COURSE_FONT picks font files; an empty folder falls back with a message', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fonts-'));
  process.env.GAN_COURSE_FONT = dir;
  resetChartFonts();
  const orig = process.stderr.write.bind(process.stderr);
  let said = '';
  (process.stderr as { write: unknown }).write = (s: string) => ((said += s), true);
  try {
    assert.notEqual(chartFonts().source, 'GAN_COURSE_FONT');
  } finally {
    (process.stderr as { write: unknown }).write = orig;
  }
  assert.match(said, /holds no \.ttf\/\.otf\/\.ttc file/);
  const bundled = chartFonts().files[0];
  fs.copyFileSync(bundled, path.join(dir, 'MyFont.ttf'));
  resetChartFonts();
  assert.deepEqual(chartFonts().files, [path.join(dir, 'MyFont.ttf')]);
  assert.equal(chartFonts().source, 'GAN_COURSE_FONT');
  fs.rmSync(dir, { recursive: true });
});
