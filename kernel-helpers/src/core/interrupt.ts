/**
 * Stopping long-running async loops when the user interrupts the kernel.
 *
 * Jupyter interrupts a tslab kernel by sending SIGINT to its process. tslab (1.0.22) then
 * stops synchronous cell code (vm `breakOnSigint`), but for a cell that awaits it only
 * rejects the promise the cell's reply waits on: the cell ends at once with "Interrupted
 * asynchronously" while the async function itself keeps running in the background. A
 * training loop would go on stepping, writing into the interrupted cell's output and racing
 * the next cell on the same models. So a loop watches for the signal itself:
 *
 *     const watch = watchInterrupt();
 *     try {
 *       for (let step = 0; step < steps && !watch.stopped; step++) {
 *         trainStep();
 *         await yieldToEventLoop(); // signals are only seen when the event loop turns
 *       }
 *     } finally {
 *       watch.dispose();
 *     }
 *
 * The loop ends between two steps, so the models hold the weights of the last whole step.
 *
 * While a loop watches, the kernel's own SIGINT handler (tslab's, which would fail the cell
 * with "Interrupted asynchronously" and make tslab drop everything the cell declared) is set
 * aside and put back when the last watch ends: the interrupt stops the loop, the cell ends
 * normally with its results, and the next cell can use them.
 *
 * Details that make this robust:
 * - One process listener serves every active watch; it is installed while at least one
 *   watch is active, so an idle kernel keeps tslab's handling unchanged, and it is
 *   installed after the cell's synchronous part (see `reconcile`), or an interrupt would
 *   kill the kernel.
 * - The registry lives on `globalThis` under a registered symbol: two copies of this
 *   library loaded in one kernel (two install paths) share it instead of racing.
 * - Outside a kernel (a plain `node` script) a SIGINT listener would cancel Node's default
 *   "exit on Ctrl-C": there the first Ctrl-C stops the loops and a second one exits (130).
 */

export interface InterruptWatch {
  /** True once an interrupt arrived after `watchInterrupt()` was called (or `stop()` was). */
  readonly stopped: boolean;
  /** Stops the loop as an interrupt would (a "stop" button, a test). */
  stop(): void;
  /** Stops listening; call in a `finally`. Idempotent. */
  dispose(): void;
}

interface Registry {
  watches: Set<{ stop(): void }>;
  /** The one SIGINT listener, created once per process so every copy can recognise it. */
  listener: () => void;
  /** Interrupts received while watches were active (for the standalone rule). */
  pending: number;
  /** Other SIGINT listeners (the kernel's), set aside while watches are active. */
  setAside: ((...args: unknown[]) => void)[];
  /** The cell (its stdout writer) an interrupt stopped, inside a kernel; null otherwise. */
  interruptedCell: unknown;
  /** The cell whose interrupt was already reported (one line per cell). */
  reportedCell: unknown;
  /** Interrupts that stopped a loop since the process started. */
  stoppedLoops: number;
}

const KEY = Symbol.for('gan-course.interrupt.registry');

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[KEY];
  if (!r) {
    const created: Registry = { watches: new Set(), listener: () => onSigint(created), pending: 0, setAside: [], interruptedCell: null, reportedCell: null, stoppedLoops: 0 };
    r = created;
    g[KEY] = r;
  }
  return r;
}

function onSigint(r: Registry): void {
  r.pending += 1;
  if (r.watches.size > 0) r.stoppedLoops += 1;
  if (r.setAside.length === 0 && !process.listeners('SIGINT').some((l) => l !== r.listener)) {
    // Standalone script (nobody else handles SIGINT): keep Ctrl-C able to end the process.
    if (r.pending > 1) process.exit(130);
    process.stderr.write('interrupt: stopping at the next step (press Ctrl-C again to quit)\n');
  } else if (r.setAside.length > 0) {
    r.interruptedCell = process.stdout.write;
  }
  for (const w of Array.from(r.watches)) w.stop();
}

/**
 * Installs the listener while watches exist and removes it when none do. Runs as a
 * microtask, never synchronously: tslab runs a cell's synchronous part inside
 * `vm.runInThisContext({ breakOnSigint: true })`, which takes all SIGINT listeners off for
 * the duration and puts them back afterwards. A listener added in that window makes Node
 * (20) install its signal handler while the vm watchdog holds SIGINT; the watchdog then
 * restores the default action on exit and the next interrupt KILLS the kernel. Removing in
 * that window would be undone by the re-add. After the synchronous part, both are safe.
 */
function reconcile(): void {
  const r = registry();
  const installed = process.listeners('SIGINT').filter((l) => l === r.listener).length;
  const want = r.watches.size > 0 ? 1 : 0;
  if (want === 1) {
    // Only inside a kernel: a plain script has no other listener, and keeps its Ctrl-C rule.
    for (const l of process.listeners('SIGINT')) {
      if (l === r.listener) continue;
      r.setAside.push(l as (...args: unknown[]) => void);
      process.off('SIGINT', l as (...args: unknown[]) => void);
    }
  }
  for (let i = installed; i < want; i++) process.on('SIGINT', r.listener);
  for (let i = want; i < installed; i++) process.off('SIGINT', r.listener);
  if (want === 0) {
    r.pending = 0;
    for (const l of r.setAside.splice(0)) if (!process.listeners('SIGINT').includes(l)) process.on('SIGINT', l);
  }
}

export function watchInterrupt(): InterruptWatch {
  const r = registry();
  let stopped = false;
  let disposed = false;
  const entry = {
    stop() {
      stopped = true;
    },
  };
  if (r.interruptedCell !== null && r.interruptedCell === process.stdout.write) stopped = true;
  r.watches.add(entry);
  queueMicrotask(reconcile);
  return {
    get stopped() {
      return stopped;
    },
    stop() {
      stopped = true;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      r.watches.delete(entry);
      queueMicrotask(reconcile);
    },
  };
}

/** True once an interrupt has stopped a training loop in this process (kernel). */
export function loopsWereInterrupted(): boolean {
  return registry().stoppedLoops > 0;
}

/**
 * Prints `message` once per interrupted cell (a cell that trains several models in turn says
 * it was interrupted once, not once per model).
 */
export function reportInterrupt(message: string): void {
  const r = registry();
  const cell = r.interruptedCell ?? 'standalone';
  if (r.reportedCell === cell) return;
  r.reportedCell = cell;
  console.log(message);
}

/**
 * Resolves on the next turn of the event loop (a macrotask). Awaiting only promises
 * (microtasks) never lets Node deliver the SIGINT, so a loop must await this, or another
 * macrotask, once per step for `stopped` to ever become true.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
