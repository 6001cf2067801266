/**
 * Stopping long-running async loops when the user interrupts the kernel.
 * (Implementation pending; see the notebook platform work.)
 */
export interface InterruptWatch {
  /** True once an interrupt arrived after `watchInterrupt()` was called. */
  readonly stopped: boolean;
  /** Stops listening; call in a `finally`. */
  dispose(): void;
}

export function watchInterrupt(): InterruptWatch {
  let stopped = false;
  const onSigint = (): void => {
    stopped = true;
  };
  process.on('SIGINT', onSigint);
  return {
    get stopped() {
      return stopped;
    },
    dispose() {
      process.off('SIGINT', onSigint);
    },
  };
}
