/**
 * SVG -> PNG with resvg (a prebuilt native module from npm; no browser, no canvas).
 */
import { Resvg } from '@resvg/resvg-js';
import { chartFonts } from './fonts';

export interface RasterImage {
  png: Buffer;
  width: number;
  height: number;
}

let warnedNoFont = false;

/**
 * Renders an SVG document to PNG at `scale` x its CSS pixel size (2 gives crisp images
 * on high-DPI screens; the bundle's metadata keeps the CSS size so it is not shown twice
 * as large).
 */
export function svgToPng(svg: string, scale = 1): RasterImage {
  const fonts = chartFonts();
  if (fonts.files.length === 0 && !warnedNoFont) {
    warnedNoFont = true;
    process.stderr.write(
      'No font file found for chart text (run npm ci to get dejavu-fonts-ttf, or set GAN_COURSE_FONT to a .ttf file); using system fonts.\n',
    );
  }
  const resvg = new Resvg(svg, {
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: fonts.files.length === 0,
      fontFiles: fonts.files,
      defaultFontFamily: fonts.defaultFamily,
      sansSerifFamily: fonts.defaultFamily,
    },
  });
  const rendered = resvg.render();
  const png = rendered.asPng();
  return { png, width: rendered.width, height: rendered.height };
}
