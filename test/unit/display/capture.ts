/**
 * Test helpers: a fake kernel display writer that records messages, and a console capture.
 */
import { PNG } from 'pngjs';
import { setKernelWriter, DisplayMessageContent } from '../../../kernel-helpers/src/display/kernelTransport';

export interface Captured {
  content: DisplayMessageContent;
  isUpdate: boolean;
}

/** Installs a fake kernel writer; returns the list it fills. Call `setKernelWriter(undefined)` after. */
export function fakeKernel(): Captured[] {
  const msgs: Captured[] = [];
  setKernelWriter((content, isUpdate) => msgs.push({ content, isUpdate }));
  return msgs;
}

/** Runs fn with console.log captured; returns the printed lines. */
export async function captureLog(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  try {
    await fn();
  } finally {
    console.log = orig;
  }
  return lines;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decodes a base64 or binary PNG (throws if it is not a valid PNG). */
export function decodePng(b64OrBuf: unknown): PNG {
  const buf = Buffer.isBuffer(b64OrBuf) ? b64OrBuf : Buffer.from(String(b64OrBuf), 'base64');
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  return PNG.sync.read(buf);
}

/** Number of distinct RGB colours (a blank image has 1). */
export function distinctColours(png: PNG, limit = 50): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length && seen.size < limit; i += 4) {
    seen.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  }
  return seen.size;
}
