/**
 * Multi-threaded wasm (XNNPACK thread pool) in Node.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build but never uses it in Node: its
 * feature flag WASM_HAS_MULTITHREAD_SUPPORT returns false under Node (tfjs issue 3830),
 * because its loader hands the pthread workers a Blob URL, which Node's worker_threads
 * cannot start. The build itself works in Node when started like this:
 *  - the worker script (shipped as a string in `*.worker.js`) is written to a real file
 *    (newlines re-escaped, as tfjs does for its Blob) and returned by `locateFile`;
 *  - `mainScriptUrlOrBlob` is the path of the threaded build's JS, which the workers load;
 *  - the C++ side caps the pool at `emscripten_num_logical_cores() / 2` (assuming
 *    hyper-threading), read once when the module starts, which is `os.cpus().length` in
 *    Node: it is reported as twice the wanted count during that start;
 *  - the pool threads are unref'd so that they do not keep a finished script alive.
 * Any failure (or a start taking longer than the timeout) falls back to the stock
 * single-threaded build, and the reason is reported.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { setupWasmPools } from './wasmPools';

export const WASM_THREADS_ENV = 'GAN_COURSE_WASM_THREADS';

export interface ThreadChoice {
  threads: number;
  /** Why fewer threads than cores (empty otherwise). */
  note: string;
}

/**
 * Threads to use when nothing is requested: every core on 1-2 core machines, else half the
 * logical cores (hyper-threads), at most 4; but one thread when the machine is already
 * busy: fewer free cores than threads once this process's own share of the 1-minute load is
 * discounted (the kernel compiles and loads TensorFlow.js just before this runs, about one
 * core for a second or two: load 1.1 on two cores is that, not a busy machine). XNNPACK waits for the slowest thread
 * of its pool: when another process holds a core, each large op waits for a descheduled
 * thread. (Small ops run on a single-thread pool anyway, see wasm-pools.ts; before that, a
 * GRU step under load went from 232 to 882 ms of CPU with 2 threads.)
 */
export function defaultWasmThreads(): ThreadChoice {
  const cores = os.cpus().length || 1;
  const ideal = cores <= 2 ? cores : Math.min(4, Math.max(2, Math.floor(cores / 2)));
  if (ideal <= 1) return { threads: 1, note: '' };
  const load = os.loadavg()[0];
  const others = Math.max(0, load - 1);
  if (others > cores - ideal + 0.5) {
    return { threads: 1, note: `machine busy, load ${load.toFixed(1)}; ${WASM_THREADS_ENV}=${ideal} forces ${ideal}` };
  }
  return { threads: ideal, note: '' };
}

/** Threads requested through GAN_COURSE_WASM_THREADS, or the default. */
export function requestedWasmThreads(): ThreadChoice {
  const v = process.env[WASM_THREADS_ENV];
  if (v == null || v.trim() === '') return defaultWasmThreads();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 8) {
    throw new Error(`${WASM_THREADS_ENV} must be an integer from 1 to 8, got '${v}'`);
  }
  return { threads: n, note: '' };
}

interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread?: { runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] };
  tfjs?: Record<string, unknown>;
}

function wasmOutDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'));
}

/** Writes the pthread worker script to a file (once per content) and returns its path. */
function workerFile(dir: string): string {
  const { wasmWorkerContents } = require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const text = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `gan-course-tfjs-wasm-worker-${hash}.js`);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  return file;
}

async function createThreadedBackend(threads: number): Promise<BackendWasm> {
  const dir = wasmOutDir();
  const worker = workerFile(dir);
  const mainScript = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(mainScript) as (cfg: object) => Promise<ThreadedModule>;
  // The module object itself (an `import * as` namespace would be a copy).
  const osModule = require('os') as { cpus: typeof os.cpus };
  const realCpus = osModule.cpus;
  const cpuList = realCpus();
  const keepAlive = setInterval(() => undefined, 1000); // the workers are unref'd while they load
  let mod: ThreadedModule;
  try {
    osModule.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpuList[i % cpuList.length]);
    mod = await factory({
      locateFile: (p: string) => (p.endsWith('.worker.js') ? worker : path.join(dir, p)),
      mainScriptUrlOrBlob: mainScript,
    });
  } finally {
    osModule.cpus = realCpus;
    clearInterval(keepAlive);
  }
  mod.tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  const backend = new BackendWasm(mod as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  setupWasmPools(mod as unknown as Parameters<typeof setupWasmPools>[0], threads);
  for (const w of [...(mod.PThread?.runningWorkers ?? []), ...(mod.PThread?.unusedWorkers ?? [])]) w.unref();
  return backend;
}

export interface WasmThreadsSetup {
  threads: number;
  /** Empty when the requested count was set up; otherwise why not. */
  note: string;
}

let configured = false;

/**
 * Replaces the registered 'wasm' backend factory by the threaded one. Must run before the
 * wasm backend is first initialised; later calls are ignored. Returns false if the
 * threaded build cannot be used here (then nothing is changed).
 */
export function useThreadedWasm(threads: number, timeoutMs = 20000): boolean {
  if (configured || threads <= 1) return false;
  if (tf.engine().registry['wasm']) return false; // already running single-threaded
  try {
    wasmOutDir();
  } catch {
    return false;
  }
  const stock = tf.findBackendFactory('wasm');
  configured = true;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`threaded wasm did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      return await Promise.race([createThreadedBackend(threads), timeout]);
    } catch (e) {
      threadedFailure = e instanceof Error ? e.message : String(e);
      if (!stock) throw e;
      return await stock();
    } finally {
      clearTimeout(timer);
    }
  }, 2);
  return true;
}

let threadedFailure = '';

/** Why the threaded build fell back to one thread ('' if it did not). */
export function threadedWasmFailure(): string {
  return threadedFailure;
}
