/**
 * tslab sends every Jupyter message with `sock.send(frames)` and never awaits it. zeromq 6
 * allows one send in flight per socket: its first 512 sends resolve at once, the next one is
 * deferred to the event loop, and a send made before that one completes throws "Socket is
 * busy writing" (EBUSY). IOPub sends 2-4 messages per cell, so after about 250 cells a
 * busy/execute_input pair trips it; on the wasm backend Emscripten's exception handler turns
 * the error into exit code 7 and the kernel dies silently.
 *
 * `serialiseSends(zmq)` wraps the sockets' `send` so that a send made while another is in
 * flight waits for it (order kept per socket), and a failed send never becomes an unhandled
 * rejection. Installed by the course's kernel launcher (cli/src/kernel/tslabKernel.ts) and by
 * the grader's prelude.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const WRAPPED = Symbol.for('gan-course.serialisedSend');

export function serialiseSends(zmq: any): boolean {
  const Socket = zmq?.Socket;
  const proto = Socket?.prototype;
  if (!proto || typeof proto.send !== 'function') return false;
  if (proto.send[WRAPPED]) return true;
  const send = proto.send as (this: any, ...args: unknown[]) => Promise<void>;
  const inFlight = new WeakMap<object, Promise<void>>();
  const quiet = () => undefined;
  const wrapped = function (this: any, ...args: unknown[]): Promise<void> {
    const before = inFlight.get(this);
    let p: Promise<void>;
    if (before === undefined) {
      try {
        p = Promise.resolve(send.apply(this, args));
      } catch (e) {
        p = Promise.reject(e);
      }
    } else p = before.then(() => send.apply(this, args));
    const settled = p.then(quiet, quiet);
    inFlight.set(this, settled);
    void settled.then(() => {
      if (inFlight.get(this) === settled) inFlight.delete(this);
    });
    p.catch(quiet); // tslab never awaits its sends: a failure must not crash the kernel
    return p;
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  Object.defineProperty(proto, 'send', { value: wrapped, writable: true, configurable: true, enumerable: false });
  return true;
}
