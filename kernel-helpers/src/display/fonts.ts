/**
 * Fonts for rendering chart text to PNG.
 *
 * resvg draws no text at all when it finds no font, so the renderer is given explicit font
 * files: `GAN_COURSE_FONT` (a .ttf/.otf file or a folder of them) if set, else the first
 * of a list of common system locations (DejaVu from Debian's `fonts-dejavu-core`, Liberation,
 * macOS and Windows fonts). resvg also loads the system fonts; the family found here becomes
 * its default, so charts asking for "sans-serif" or an absent family still get text.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface FontChoice {
  /** Font files passed to resvg explicitly. */
  files: string[];
  /** Family used when the requested one is not available. */
  defaultFamily: string;
}

const CANDIDATES: Array<{ file: string; family: string }> = [
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
    // fall through: an unreadable path is reported once below
  }
  return [];
}

/** The fonts the PNG renderer uses (found once per process). */
export function chartFonts(): FontChoice {
  if (cached) return cached;
  const env = process.env.GAN_COURSE_FONT;
  if (env) {
    const files = filesFromEnv(env);
    if (files.length > 0) {
      // resvg reads the family name from the file; 'sans-serif' lets it use the first loaded.
      cached = { files, defaultFamily: familyGuess(files[0]) };
      return cached;
    }
    process.stderr.write(`GAN_COURSE_FONT=${env} holds no .ttf/.otf/.ttc file; looking for system fonts\n`);
  }
  for (const c of CANDIDATES) {
    if (fs.existsSync(c.file)) {
      cached = { files: [c.file], defaultFamily: c.family };
      return cached;
    }
  }
  cached = { files: [], defaultFamily: 'DejaVu Sans' };
  return cached;
}

/** True when no known font file was found (text in PNGs may then be missing). */
export function fontsMissing(): boolean {
  return chartFonts().files.length === 0;
}

function familyGuess(file: string): string {
  const base = path.basename(file).replace(FONT_EXT, '');
  if (/dejavu/i.test(base)) return 'DejaVu Sans';
  if (/liberation/i.test(base)) return 'Liberation Sans';
  if (/arial/i.test(base)) return 'Arial';
  return base.replace(/[-_](regular|book|roman)$/i, '');
}
