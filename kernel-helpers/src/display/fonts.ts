/**
 * Fonts for rendering chart text to PNG.
 *
 * resvg draws no text at all when it finds no font, and system fonts differ between
 * machines. So the renderer is given explicit font files, first found wins:
 *  1. `GAN_COURSE_FONT`: a .ttf/.otf/.ttc file or a folder of them;
 *  2. DejaVu Sans (regular and bold) from the npm package `dejavu-fonts-ttf`, a dependency
 *     of the course: text renders on any machine, and PNGs look the same everywhere;
 *  3. common system locations (Debian's `fonts-dejavu-core`, Liberation, macOS, Windows).
 * The family found becomes resvg's default and its "sans-serif", so charts asking for
 * "sans-serif" (Vega's default) or an absent family still get text. Only when nothing is
 * found does resvg scan the system fonts (slow: done once per render).
 */
import * as fs from 'fs';
import * as path from 'path';

export interface FontChoice {
  /** Font files passed to resvg explicitly. */
  files: string[];
  /** Family used when the requested one is not available. */
  defaultFamily: string;
  /** Where the fonts came from (for diagnostics). */
  source: 'GAN_COURSE_FONT' | 'dejavu-fonts-ttf' | 'system' | 'none';
}

const SYSTEM_CANDIDATES: Array<{ file: string; family: string }> = [
  { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/TTF/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/System/Library/Fonts/Supplemental/Arial.ttf', family: 'Arial' },
  { file: '/Library/Fonts/Arial.ttf', family: 'Arial' },
  { file: 'C:\\Windows\\Fonts\\arial.ttf', family: 'Arial' },
];

const FONT_EXT = /\.(ttf|otf|ttc)$/i;

let cached: FontChoice | undefined;

function filesFromEnv(value: string): string[] {
  try {
    const st = fs.statSync(value);
    if (st.isFile()) return [value];
    if (st.isDirectory()) {
      return fs
        .readdirSync(value)
        .filter((f) => FONT_EXT.test(f))
        .map((f) => path.join(value, f));
    }
  } catch {
    // an unreadable path is reported by the caller
  }
  return [];
}

function bundledDejaVu(): string[] {
  try {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json', { paths: [__dirname] })), 'ttf');
    return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
  } catch {
    return [];
  }
}

function familyGuess(file: string): string {
  const base = path.basename(file).replace(FONT_EXT, '');
  if (/dejavusans/i.test(base)) return 'DejaVu Sans';
  if (/liberationsans/i.test(base)) return 'Liberation Sans';
  if (/arial/i.test(base)) return 'Arial';
  return base.replace(/[-_](regular|book|roman)$/i, '');
}

/** The fonts the PNG renderer uses (found once per process). */
export function chartFonts(): FontChoice {
  if (cached) return cached;
  const env = process.env.GAN_COURSE_FONT;
  if (env) {
    const files = filesFromEnv(env);
    if (files.length > 0) return (cached = { files, defaultFamily: familyGuess(files[0]), source: 'GAN_COURSE_FONT' });
    process.stderr.write(`GAN_COURSE_FONT=${env} holds no .ttf/.otf/.ttc file; using the default fonts\n`);
  }
  const bundled = bundledDejaVu();
  if (bundled.length > 0) return (cached = { files: bundled, defaultFamily: 'DejaVu Sans', source: 'dejavu-fonts-ttf' });
  for (const c of SYSTEM_CANDIDATES) {
    if (fs.existsSync(c.file)) return (cached = { files: [c.file], defaultFamily: c.family, source: 'system' });
  }
  return (cached = { files: [], defaultFamily: 'DejaVu Sans', source: 'none' });
}

/** Forgets the cached choice (tests that change GAN_COURSE_FONT). */
export function resetChartFonts(): void {
  cached = undefined;
}
