/**
 * A client for one tslab kernel process over the Jupyter messaging protocol (ZeroMQ).
 *
 * tslab's quirks this class absorbs (see docs in PLATFORM-NOTES):
 * - errors arrive as stderr stream text plus `execute_reply.status = "error"`, not as
 *   `error` messages; the stderr text of the cell becomes `ExecuteResult.error`;
 * - after an error the kernel answers requests of the next 200 ms with `abort`: the next
 *   execute waits that window out, and resends once if it was aborted anyway;
 * - interrupts are SIGINT to the kernel process (`interrupt_mode: signal`);
 * - a kernel that dies (exit, crash, OOM kill) is seen through the child process's exit,
 *   so a pending execute resolves with status `dead` instead of hanging.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import * as zmq from 'zeromq';
import { ConnectionInfo, endpoint, newConnectionInfo, newIpcConnectionInfo } from './connection';
import { KERNEL_NAME, projectRoot, tslabBin } from './kernelspec';
import { DisplayDataOutput, ExecuteResultOutput, Output, StreamOutput } from './notebook';
import { JupyterMessage, decode, encode, newMessage } from './protocol';

export type ExecuteStatus = 'ok' | 'error' | 'timeout' | 'dead';

export interface ExecuteResult {
  status: ExecuteStatus;
  /** nbformat outputs, update_display_data already applied. */
  outputs: Output[];
  /** For status != ok: the stderr text of the cell (tslab's error report) or why it stopped. */
  error?: string;
  /** Wall time from request to completion. */
  ms: number;
  executionCount: number | null;
}

export interface StartOptions {
  /** Kernel working directory (Jupyter uses the notebook's folder; imports resolve from it). */
  cwd: string;
  /** Extra environment variables for the kernel, merged over process.env. */
  env?: NodeJS.ProcessEnv;
  /** Give up starting after this long (default 60 s; tslab takes ~2 s on an idle machine). */
  startTimeoutMs?: number;
  /** Replace the kernel command (tests); `{connection_file}` is substituted. */
  argv?: string[];
  /**
   * Talk to the kernel over ZeroMQ ipc sockets instead of TCP, in a folder of the sandbox's
   * own (a size-limited tmpfs) that the kernel sees as `inside` and this process reaches as
   * `outsideOf(child)` once it exists (undefined until then). `{connection_file}` in argv
   * becomes `<inside>/connection.json`, which arrives through the child's fd 3 (bwrap `--file 3`).
   */
  ipc?: { inside: string; outsideOf: (child: ChildProcess) => string | undefined };
  /** The process to send interrupts (SIGINT) to, when it is not the child itself (a sandbox's kernel). */
  interruptPid?: (child: ChildProcess) => number | undefined;
  /** Refuse single messages larger than this from the kernel (ZeroMQ drops the connection; default: no limit). */
  maxMessageBytes?: number;
}

export interface ExecuteOptions {
  /** Stop waiting after this long: the kernel is interrupted and the status is `timeout`. */
  timeoutMs?: number;
  /** Called with each output as it arrives (live progress). */
  onOutput?: (o: Output) => void;
  /**
   * Keep at most this many bytes of output (stream text, display data) for the cell; the
   * rest is dropped as it arrives and one stderr line says how much (default: no limit).
   */
  maxOutputBytes?: number;
}

/** stderr text kept per cell for the error report (its start, where tslab puts the error). */
const MAX_ERROR_TEXT = 256 * 1024;

interface Pending {
  msgId: string;
  outputs: Output[];
  stderr: string;
  reply?: JupyterMessage;
  idle: boolean;
  onOutput?: (o: Output) => void;
  done: () => void;
  maxBytes: number;
  bytes: number;
  dropped: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** tslab's window after an error during which new requests are aborted. */
const ABORT_WINDOW_MS = 250;

/** Kernel processes started by this process, killed when it exits so none is orphaned. */
const liveKernels = new Map<ChildProcess, string>();
let exitHookInstalled = false;
/** Polls `get` every 10 ms until it gives a value, `stop()` is true or `ms` have passed. */
async function waitFor<T>(get: () => T | undefined, stop: () => boolean, ms: number): Promise<T | undefined> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined || stop() || Date.now() - t0 > ms) return v;
    await sleep(10);
  }
}

/** `dir`: the kernel's temporary folder (connection file), removed with it. */
function trackKernel(child: ChildProcess, dir: string): void {
  liveKernels.set(child, dir);
  child.once('exit', () => liveKernels.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => KernelSession.killAll());
  }
}

export class KernelSession {
  private child: ChildProcess | null = null;
  private conn: ConnectionInfo | null = null;
  private connFile = '';
  private shell: zmq.Dealer | null = null;
  private iopub: zmq.Subscriber | null = null;
  private session = randomUUID();
  private pending = new Map<string, Pending>();
  private replyWaiters = new Map<string, (m: JupyterMessage) => void>();
  private iopubSeen = false;
  private exited: string | null = null;
  private processLog = '';
  private lastErrorAt = 0;
  /** Outputs carrying a display_id, across cells, so later updates reach earlier cells. */
  private displays = new Map<string, Array<DisplayDataOutput | ExecuteResultOutput>>();
  private options: StartOptions | null = null;
  /** Time the last start took, in ms. */
  startMs = 0;

  /** Kills every kernel this process started (synchronous; for exit and signal handlers). */
  static killAll(): void {
    for (const [c, dir] of liveKernels) {
      try {
        c.kill('SIGKILL');
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        /* already gone */
      }
    }
    liveKernels.clear();
  }

  /** Starts a kernel and resolves once it answers kernel_info and publishes on IOPub. */
  static async launch(options: StartOptions): Promise<KernelSession> {
    const k = new KernelSession();
    await k.start(options);
    return k;
  }

  async start(options: StartOptions): Promise<void> {
    if (this.child) throw new Error('KernelSession.start: already started; call restart() or shutdown() first');
    if (!options || typeof options.cwd !== 'string') throw new Error('KernelSession.start: options.cwd (the kernel working directory) is required');
    if (!fs.existsSync(options.cwd)) throw new Error(`KernelSession.start: cwd ${options.cwd} does not exist`);
    this.options = options;
    const t0 = Date.now();
    this.exited = null;
    this.processLog = '';
    this.iopubSeen = false;
    this.displays.clear();
    this.session = randomUUID();
    let conn: ConnectionInfo;
    let kernelConnFile: string;
    let viaFd: string | null = null;
    if (options.ipc) {
      if (typeof options.ipc.outsideOf !== 'function') throw new Error("KernelSession.start: options.ipc.outsideOf (where this process reaches the sandbox's folder) is required");
      // The kernel's view: sockets in its own folder; ours: the same folder through /proc, once it exists.
      const inside = newIpcConnectionInfo(KERNEL_NAME, path.posix.join(options.ipc.inside, 'kernel'));
      conn = inside;
      viaFd = JSON.stringify(inside);
      kernelConnFile = path.posix.join(options.ipc.inside, 'connection.json');
    } else {
      conn = await newConnectionInfo(KERNEL_NAME);
      this.connFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gan-course-kernel-')), 'connection.json');
      fs.writeFileSync(this.connFile, JSON.stringify(conn), { mode: 0o600 });
      kernelConnFile = this.connFile;
    }
    this.conn = conn;

    const argv = (options.argv ?? [process.execPath, tslabBin(projectRoot()), 'kernel', '--config-path', '{connection_file}']).map((a) =>
      a === '{connection_file}' ? kernelConnFile : a,
    );
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: viaFd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    trackKernel(child, this.connFile ? path.dirname(this.connFile) : '');
    this.ipcOutside = null;
    if (viaFd !== null) {
      const fd3 = child.stdio[3] as NodeJS.WritableStream | null;
      fd3?.on('error', () => undefined); // a child that died before reading: reported by 'exit'
      fd3?.end(viaFd);
    }
    const keep = (d: Buffer) => {
      this.processLog = (this.processLog + d.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (e) => this.onExit(`could not start the kernel (${e.message})`));
    child.on('exit', (code, signal) => this.onExit(signal ? `kernel process killed by ${signal}` : `kernel process exited with code ${code}`));

    if (options.ipc) {
      // The sandbox's folder, once its namespace exists (bwrap forks into it within ms).
      const outsideOf = options.ipc.outsideOf;
      const root = await waitFor(() => outsideOf(child), () => this.exited !== null, options.startTimeoutMs ?? 60_000);
      if (!root) {
        const reason = this.exited ?? 'the sandbox did not come up';
        this.child = null;
        child.kill('SIGKILL');
        throw new Error(`kernel failed to start: ${reason}${this.processLog ? `\n${this.processLog.trim()}` : ''}`);
      }
      this.ipcOutside = root;
      conn = { ...conn, ip: path.join(root, 'kernel') };
      this.conn = conn;
    }
    const maxMessageSize = options.maxMessageBytes ?? -1;
    this.shell = new zmq.Dealer({ linger: 0, maxMessageSize });
    this.iopub = new zmq.Subscriber({ linger: 0, maxMessageSize });
    this.iopub.subscribe();
    this.shell.connect(endpoint(conn, conn.shell_port));
    this.iopub.connect(endpoint(conn, conn.iopub_port));
    void this.readLoop(this.shell, (m) => this.onShell(m));
    void this.readLoop(this.iopub, (m) => this.onIopub(m));

    // Ask until the kernel answers on shell and IOPub has delivered something (IOPub drops
    // messages sent before the subscription is connected).
    const limit = options.startTimeoutMs ?? 60_000;
    for (;;) {
      if (this.exited) {
        const reason = this.exited;
        await this.closeSockets();
        this.child = null;
        throw new Error(`kernel failed to start: ${reason}${this.processLog ? `\n${this.processLog.trim()}` : ''}`);
      }
      if (Date.now() - t0 > limit) {
        await this.shutdown();
        throw new Error(`kernel did not answer within ${Math.round(limit / 1000)} s`);
      }
      const reply = await this.request('kernel_info_request', {}, 500);
      if (reply) this.kernelInfo = reply.content as Record<string, unknown>;
      if (reply && this.iopubSeen) break;
      if (reply) await sleep(50);
    }
    this.startMs = Date.now() - t0;
  }

  /** The kernel's ipc folder as this process reaches it (null for TCP kernels). */
  ipcOutside: string | null = null;

  /** The kernel's kernel_info reply (language_info is what Jupyter writes into a notebook). */
  kernelInfo: Record<string, unknown> | null = null;

  isAlive(): boolean {
    return this.child !== null && this.exited === null;
  }

  /** Why the kernel is no longer running, if it is not. */
  get exitReason(): string | null {
    return this.exited;
  }

  /** Runs code; never rejects for a cell's failure: the status says what happened. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (typeof code !== 'string') throw new Error('KernelSession.execute: code must be a string');
    const t0 = Date.now();
    if (!this.isAlive()) {
      return { status: 'dead', outputs: [], error: this.exited ?? 'kernel is not started', ms: 0, executionCount: null };
    }
    const wait = this.lastErrorAt + ABORT_WINDOW_MS - Date.now();
    if (wait > 0) await sleep(wait);
    let result = await this.executeOnce(code, options, t0);
    if (result.status === 'error' && result.error === 'aborted') {
      await sleep(ABORT_WINDOW_MS);
      result = await this.executeOnce(code, options, t0);
      if (result.error === 'aborted') result.error = 'the kernel aborted the request (it was still recovering from an earlier error)';
    }
    if (result.status !== 'ok') this.lastErrorAt = Date.now();
    return result;
  }

  private async executeOnce(code: string, options: ExecuteOptions, t0: number): Promise<ExecuteResult> {
    const msg = newMessage('execute_request', this.session, {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const p: Pending = {
      msgId: msg.header.msg_id,
      outputs: [],
      stderr: '',
      idle: false,
      onOutput: options.onOutput,
      done: finish,
      maxBytes: options.maxOutputBytes ?? Infinity,
      bytes: 0,
      dropped: 0,
    };
    this.pending.set(p.msgId, p);
    await this.send(msg);

    const timeoutMs = options.timeoutMs ?? 0;
    let timer: NodeJS.Timeout | null = null;
    const timedOut = new Promise<'timeout'>((r) => {
      if (timeoutMs > 0) timer = setTimeout(() => r('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([finished.then(() => 'done' as const), timedOut]);
    if (timer) clearTimeout(timer);

    const noteDropped = () => {
      if (p.dropped > 0) {
        p.outputs.push({ output_type: 'stream', name: 'stderr', text: `[${p.dropped} bytes of output dropped: the cell printed more than ${p.maxBytes} bytes]\n` });
        p.dropped = 0;
      }
    };
    if (outcome === 'timeout') {
      noteDropped();
      // Interrupt; a kernel that does not come back (a busy synchronous loop inside an async
      // cell ignores SIGINT) is killed so the caller is never left hanging.
      this.interrupt();
      const back = await Promise.race([finished.then(() => true), sleep(5000).then(() => false)]);
      if (!back && this.isAlive()) {
        this.child?.kill('SIGKILL');
        await Promise.race([finished, sleep(2000)]);
      }
      this.pending.delete(p.msgId);
      return {
        status: 'timeout',
        outputs: p.outputs,
        error: `cell did not finish within ${(timeoutMs / 1000).toFixed(1)} s${back ? ' (interrupted)' : ' (kernel unresponsive, killed)'}`,
        ms: Date.now() - t0,
        executionCount: (p.reply?.content.execution_count as number) ?? null,
      };
    }
    this.pending.delete(p.msgId);
    noteDropped();
    const executionCount = (p.reply?.content.execution_count as number | undefined) ?? null;
    if (!p.reply) {
      return { status: 'dead', outputs: p.outputs, error: this.describeDeath(p), ms: Date.now() - t0, executionCount };
    }
    const status = p.reply.content.status as string;
    if (status === 'ok') return { status: 'ok', outputs: p.outputs, ms: Date.now() - t0, executionCount };
    if (status === 'abort' || status === 'aborted') return { status: 'error', outputs: p.outputs, error: 'aborted', ms: Date.now() - t0, executionCount };
    const fromReply = p.reply.content.ename ? `${p.reply.content.ename}: ${p.reply.content.evalue ?? ''}` : '';
    const text = p.stderr.trim() || fromReply || 'the cell failed (the kernel gave no error text)';
    return { status: 'error', outputs: p.outputs, error: text, ms: Date.now() - t0, executionCount };
  }

  private describeDeath(p: Pending): string {
    const tail = this.processLog.trim().split('\n').slice(-15).join('\n');
    const stderr = p.stderr.trim();
    return [this.exited ?? 'kernel died', stderr, tail].filter((s) => s !== '').join('\n');
  }

  /** Jupyter's interrupt for `interrupt_mode: signal`: SIGINT to the kernel process. */
  interrupt(): void {
    if (!this.isAlive()) return;
    const pid = this.options?.interruptPid?.(this.child!);
    if (pid === undefined) this.child!.kill('SIGINT');
    else {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        /* gone already */
      }
    }
  }

  async restart(): Promise<void> {
    const options = this.options;
    if (!options) throw new Error('KernelSession.restart: the session was never started');
    await this.shutdown();
    await this.start(options);
  }

  /** Asks the kernel to exit, then kills it if it has not within 2 s. Safe to call twice. */
  async shutdown(): Promise<void> {
    const child = this.child;
    if (child && this.isAlive()) {
      await this.request('shutdown_request', { restart: false }, 1000);
      const exited = new Promise<void>((r) => (this.exited ? r() : child.once('exit', () => r())));
      if (!(await Promise.race([exited.then(() => true), sleep(2000).then(() => false)]))) {
        child.kill('SIGKILL');
        await Promise.race([exited, sleep(2000)]);
      }
    }
    await this.closeSockets();
    this.child = null;
    if (this.connFile) fs.rmSync(path.dirname(this.connFile), { recursive: true, force: true });
    this.connFile = '';
  }

  private async closeSockets(): Promise<void> {
    for (const s of [this.shell, this.iopub]) {
      try {
        s?.close();
      } catch {
        /* already closed */
      }
    }
    this.shell = null;
    this.iopub = null;
  }

  private onExit(reason: string): void {
    if (this.exited) return;
    this.exited = reason;
    for (const p of this.pending.values()) p.done();
  }

  private async send(msg: JupyterMessage<unknown>): Promise<void> {
    if (!this.shell || !this.conn) throw new Error('kernel is not started');
    await this.shell.send(encode(msg, this.conn.key));
  }

  /** Sends a shell request and waits up to `ms` for its reply (null when none came). */
  private async request(type: string, content: Record<string, unknown>, ms: number): Promise<JupyterMessage | null> {
    const msg = newMessage(type, this.session, content);
    const reply = new Promise<JupyterMessage>((r) => this.replyWaiters.set(msg.header.msg_id, r));
    try {
      await this.send(msg);
    } catch {
      this.replyWaiters.delete(msg.header.msg_id);
      return null;
    }
    const got = await Promise.race([reply, sleep(ms).then(() => null)]);
    this.replyWaiters.delete(msg.header.msg_id);
    return got;
  }

  private async readLoop(sock: zmq.Dealer | zmq.Subscriber, handle: (m: JupyterMessage) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        let m: JupyterMessage;
        try {
          m = decode(frames as Buffer[], this.conn!.key);
        } catch {
          continue; // unsigned or malformed: ignore, as Jupyter clients do
        }
        handle(m);
      }
    } catch {
      /* socket closed */
    }
  }

  private onShell(m: JupyterMessage): void {
    const parent = m.parent_header.msg_id ?? '';
    const waiter = this.replyWaiters.get(parent);
    if (waiter) return waiter(m);
    const p = this.pending.get(parent);
    if (p && m.header.msg_type === 'execute_reply') {
      p.reply = m;
      if (p.idle) p.done();
      else setTimeout(() => p.done(), 1000); // IOPub idle normally follows at once
    }
  }

  private onIopub(m: JupyterMessage): void {
    this.iopubSeen = true;
    const type = m.header.msg_type;
    const c = m.content;
    if (type === 'update_display_data') {
      // Applies wherever the display is, also to cells that already finished.
      const id = c.transient?.display_id as string | undefined;
      for (const o of (id && this.displays.get(id)) || []) {
        o.data = c.data ?? {};
        o.metadata = c.metadata ?? {};
      }
      return;
    }
    const p = this.pending.get(m.parent_header.msg_id ?? '');
    if (!p) return;
    let out: Output | null = null;
    if (type === 'status') {
      if (c.execution_state === 'idle') {
        p.idle = true;
        if (p.reply) p.done();
      }
    } else if (type === 'stream') {
      const name = c.name === 'stderr' ? 'stderr' : 'stdout';
      let text = String(c.text ?? '');
      if (name === 'stderr' && p.stderr.length < MAX_ERROR_TEXT) p.stderr += text.slice(0, MAX_ERROR_TEXT - p.stderr.length);
      if (p.bytes + text.length > p.maxBytes) {
        const keep = Math.max(0, p.maxBytes - p.bytes);
        p.dropped += text.length - keep;
        text = text.slice(0, keep);
        if (text === '') return;
      }
      p.bytes += text.length;
      const last = p.outputs[p.outputs.length - 1];
      if (last && last.output_type === 'stream' && last.name === name) {
        last.text = (last.text as string) + text;
        p.onOutput?.({ output_type: 'stream', name, text });
        return;
      }
      out = { output_type: 'stream', name, text } as StreamOutput;
    } else if (type === 'display_data' || type === 'execute_result') {
      let size: number;
      try {
        size = JSON.stringify(c.data ?? {}).length;
      } catch {
        size = Infinity; // not serialisable back (nested too deeply): dropped
      }
      if (p.bytes + size > p.maxBytes) {
        p.dropped += size;
        return;
      }
      p.bytes += size;
      const o: DisplayDataOutput | ExecuteResultOutput =
        type === 'display_data'
          ? { output_type: 'display_data', data: c.data ?? {}, metadata: c.metadata ?? {} }
          : { output_type: 'execute_result', execution_count: c.execution_count ?? null, data: c.data ?? {}, metadata: c.metadata ?? {} };
      const id = c.transient?.display_id as string | undefined;
      if (id) this.displays.set(id, [...(this.displays.get(id) ?? []), o]);
      out = o;
    } else if (type === 'error') {
      out = { output_type: 'error', ename: String(c.ename ?? 'Error'), evalue: String(c.evalue ?? ''), traceback: (c.traceback as string[]) ?? [] };
      p.stderr += `${c.ename}: ${c.evalue}\n`;
    }
    if (out) {
      p.outputs.push(out);
      p.onOutput?.(out);
    }
  }
}
