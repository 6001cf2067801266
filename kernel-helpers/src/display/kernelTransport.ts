/**
 * Sending bundles to the Jupyter front end through the tslab kernel.
 *
 * tslab's public `display` API sends one MIME type per message, and a library that does
 * `require('tslab')` may load a second copy that is "Not ready". The kernel's own copy of
 * `tslab/dist/jupyter.js` is already in `require.cache`: during each execution it exports
 * `lastWriteDisplayData(content, isUpdate)`, which sends `content` as the body of a
 * `display_data` (or `update_display_data` when isUpdate) message parented to the running
 * cell. `content` is the Jupyter message content: {data, metadata, transient: {display_id}}.
 */
import type { MimeBundle } from './mimeBundle';

export interface DisplayMessageContent extends MimeBundle {
  transient?: { display_id?: string };
}

/** tslab's writer: sends one display_data / update_display_data message. */
export type KernelWriter = (content: DisplayMessageContent, isUpdate: boolean) => void;

const JUPYTER_MODULE_SUFFIX = 'tslab/dist/jupyter.js';

interface CachedModule {
  id?: string;
  exports: { lastWriteDisplayData?: unknown };
}

let jupyterModule: CachedModule | undefined;
let override: KernelWriter | null | undefined;

/**
 * Replaces kernel discovery (tests, other kernels): a writer, or null to force
 * "no kernel". `undefined` restores discovery through require.cache.
 */
export function setKernelWriter(writer: KernelWriter | null | undefined): void {
  override = writer;
}

function findJupyterModule(): CachedModule | undefined {
  const cache = require.cache as unknown as { [key: string]: CachedModule | undefined };
  if (jupyterModule && cache[jupyterModule.id ?? ''] === jupyterModule) return jupyterModule;
  jupyterModule = undefined;
  for (const key of Object.keys(cache)) {
    const mod = cache[key];
    if (key.replace(/\\/g, '/').endsWith(JUPYTER_MODULE_SUFFIX) && mod && mod.exports) {
      jupyterModule = mod;
      break;
    }
  }
  return jupyterModule;
}

/** The running kernel's display writer, or null when not inside a tslab kernel execution. */
export function kernelWriter(): KernelWriter | null {
  if (override !== undefined) return override;
  const mod = findJupyterModule();
  const w = mod?.exports.lastWriteDisplayData;
  return typeof w === 'function' ? (w as KernelWriter) : null;
}

/** True inside a tslab kernel that has started executing cells. */
export function inKernel(): boolean {
  return kernelWriter() !== null;
}
