/**
 * Saving outputs as files when `GAN_COURSE_FIGURES_DIR` is set (scripts, CI artefacts).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RenderedOutput } from './mimeBundle';

let counter = 0;

/** A fresh default base name: figure-001, figure-002, ... */
export function nextFigureName(): string {
  counter += 1;
  return `figure-${String(counter).padStart(3, '0')}`;
}

/** The figures directory, or undefined when saving is off. */
export function figuresDir(): string | undefined {
  const d = process.env.GAN_COURSE_FIGURES_DIR;
  return d && d.trim() ? d : undefined;
}

/** Writes the output's files as <dir>/<name><suffix>; returns the paths written. */
export function writeFigureFiles(out: RenderedOutput, name: string): string[] {
  const dir = figuresDir();
  if (!dir || out.files.length === 0) return [];
  fs.mkdirSync(dir, { recursive: true });
  return out.files.map((f) => {
    const p = path.join(dir, `${name}${f.suffix}`);
    fs.writeFileSync(p, f.content);
    return p;
  });
}
