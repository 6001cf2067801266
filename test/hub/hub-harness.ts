/**
 * A class on Debian's JupyterHub, for the hub test and the capacity measurement:
 * deploy/jupyterhub/jupyterhub_config.py on the loopback with the dummy authenticator,
 * local users made with useradd, students logged in and their servers started through
 * the hub's REST API, and a chapter executed cell by cell through each single-user
 * server's kernel WebSocket (the Jupyter protocol, as a browser tab speaks it).
 *
 * Everything it makes (the temporary folder, the users and their homes, the hub, the
 * proxy, the students' servers and kernels) is removed by cleanup(), which also runs on
 * exit and on SIGINT/SIGTERM.
 */
import { spawn, spawnSync, ChildProcess } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { WebSocketClient } from './websocket';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CONFIG = path.join(ROOT, 'deploy', 'jupyterhub', 'jupyterhub_config.py');
export const STUDENT_FOLDER = 'gan-course';

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin'])) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** What this machine lacks to run a hub test, each with how to get it; empty when nothing. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') return [`a Linux machine (this is ${process.platform})`];
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    missing.push('root: the test makes local users with useradd and the hub starts each server as its user');
  }
  for (const cmd of ['useradd', 'userdel', 'chpasswd']) if (!which(cmd)) missing.push(`${cmd} (apt-get install passwd)`);
  if (!which('jupyterhub')) missing.push("JupyterHub (apt-get install jupyterhub: Debian's JupyterHub 3)");
  if (!which('jupyterhub-singleuser')) missing.push('jupyterhub-singleuser (apt-get install jupyterhub)');
  const proxy = which('configurable-http-proxy');
  if (!proxy) missing.push('configurable-http-proxy (apt-get install node-configurable-http-proxy)');
  else {
    const r = spawnSync(proxy, ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_PATH: [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':') } });
    if (r.status !== 0) missing.push(`a working configurable-http-proxy (${proxy} --version fails: ${lastLine(r.stderr || r.stdout || String(r.error))})`);
  }
  const nb = spawnSync('/usr/bin/python3', ['-c', 'import notebook.notebookapp, jupyterhub'], { encoding: 'utf8' });
  if (nb.status !== 0) missing.push(`Debian's notebook server for the students (apt-get install jupyter-notebook): ${lastLine(nb.stderr || String(nb.error))}`);
  if (!fs.existsSync(path.join(ROOT, 'cli', 'dist', 'main.js'))) missing.push('the built CLI (npm run build)');
  // The students' servers run the checkout's kernel with this Node: both must be theirs to read.
  for (const [what, p, bit] of [['the course checkout', path.join(ROOT, 'cli', 'dist', 'main.js'), 0o004], ['Node', process.execPath, 0o001]] as const) {
    const blocked = notForOthers(p, bit);
    if (blocked) missing.push(`${what} readable by other users (the students): ${blocked}`);
  }
  return missing;
}

/** Why other users cannot reach `file` (a folder above it without o+x, or the file without `bit`), or null. */
function notForOthers(file: string, bit: number): string | null {
  const real = fs.realpathSync(file);
  for (let dir = path.dirname(real); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return `${dir} is mode ${(fs.statSync(dir).mode & 0o777).toString(8)} (chmod o+x ${dir}, or check out the course elsewhere)`;
    if (path.dirname(dir) === dir) break;
  }
  return (fs.statSync(real).mode & bit) === 0 ? `${real} is mode ${(fs.statSync(real).mode & 0o777).toString(8)}` : null;
}

function lastLine(s: string): string {
  return s.trim().split('\n').slice(-1)[0] ?? '';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a hub log says went wrong, named: the missing piece first, then the log's tail. */
export function diagnoseHubLog(log: string): string {
  const reasons: string[] = [];
  const config = [...log.matchAll(/jupyterhub_config\.py: (?!warning|tslab kernelspec)(.*)/g)].map((m) => m[1]);
  if (config.length) reasons.push(...config);
  if (/Failed to find proxy|No such file or directory: 'configurable-http-proxy'/.test(log)) {
    reasons.push('the proxy is missing: configurable-http-proxy (apt-get install node-configurable-http-proxy)');
  }
  const mod = /Cannot find module '([^']+)'/.exec(log);
  if (mod) reasons.push(`the proxy cannot load the Node module '${mod[1]}' (Debian's configurable-http-proxy needs NODE_PATH=/usr/share/nodejs under a Node that is not Debian's)`);
  if (/Proxy appears to be running|Failed to start proxy|Proxy failed to start|proxy.*exited/i.test(log)) reasons.push('the proxy did not start (see the log below)');
  if (/EADDRINUSE|address already in use/i.test(log)) reasons.push('a port the hub or proxy needs is already in use');
  if (/No module named '([^']+)'/.test(log)) reasons.push(`a Python module is missing: ${/No module named '([^']+)'/.exec(log)![1]}`);
  const tail = log.trim().split('\n').slice(-25).join('\n');
  return `${reasons.length ? reasons.join('; ') : 'the hub did not come up'}\n--- hub log (last lines) ---\n${tail}`;
}

export interface CellRun {
  index: number;
  status: string;
  ms: number;
  outputs: any[];
  error?: string;
}

export interface ChapterRun {
  user: string;
  notebook: string;
  /** Session creation (kernel start) to the last cell's reply. */
  totalMs: number;
  kernelStartMs: number;
  cells: CellRun[];
}

export interface Student {
  name: string;
  home: string;
  token: string;
}

export class HubClass {
  readonly tmp: string;
  readonly homes: string;
  readonly release: string;
  readonly state: string;
  readonly kernelDataDir: string;
  readonly logFile: string;
  readonly password = randomBytes(12).toString('hex');
  readonly adminToken = randomBytes(24).toString('hex');
  readonly prefix = `gch${randomBytes(2).toString('hex')}s`;
  url = '';
  private hub: ChildProcess | null = null;
  private users: string[] = [];
  private cleaned = false;
  private readonly onSignal = (sig: NodeJS.Signals) => {
    this.cleanupSync();
    process.kill(process.pid, sig);
  };
  private readonly onExit = () => this.cleanupSync();

  constructor(readonly log: (line: string) => void = () => {}) {
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-course-hub-'));
    fs.chmodSync(this.tmp, 0o755); // the students read the release and the kernelspec in it
    this.homes = path.join(this.tmp, 'home');
    this.release = path.join(this.tmp, 'release', 'class');
    this.state = path.join(this.tmp, 'state');
    this.kernelDataDir = path.join(this.tmp, 'share', 'jupyter');
    this.logFile = path.join(this.tmp, 'hub.log');
    fs.mkdirSync(this.homes, { mode: 0o755 });
    fs.mkdirSync(this.state, { mode: 0o700 });
    process.once('exit', this.onExit);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  hubLog(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** The teacher's step: `gan-course assign` writes the student versions of the chapters. */
  assign(notebooks: string[]): void {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'cli', 'dist', 'main.js'), 'assign', ...notebooks, '--out', this.release], { encoding: 'utf8', cwd: ROOT });
    if (r.status !== 0) throw new Error(`gan-course assign failed: ${r.stderr || r.stdout}`);
    fs.chmodSync(path.dirname(this.release), 0o755);
    fs.chmodSync(this.release, 0o755);
    for (const f of fs.readdirSync(this.release)) fs.chmodSync(path.join(this.release, f), 0o644);
  }

  /** Local accounts for `n` students (homes under the temporary folder). */
  createUsers(n: number): string[] {
    const made: string[] = [];
    for (let i = this.users.length + 1; made.length < n; i++) {
      const name = `${this.prefix}${i}`;
      const r = spawnSync('useradd', ['--create-home', '--home-dir', path.join(this.homes, name), '--shell', '/bin/sh', '--user-group', name], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`useradd ${name} failed: ${r.stderr.trim()}`);
      this.users.push(name);
      made.push(name);
    }
    return made;
  }

  /** Starts the hub; `port` and `env` (e.g. a PATH) replace the defaults, for the failure tests. */
  async start(opts: { port?: number; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 90_000;
    const [port, apiPort, proxyApiPort] = [opts.port ?? (await freePort()), await freePort(), await freePort()];
    this.url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    Object.assign(env, {
      GAN_COURSE_ROOT: ROOT,
      GAN_COURSE_RELEASE: this.release,
      GAN_COURSE_STUDENT_FOLDER: STUDENT_FOLDER,
      GAN_COURSE_NODE: process.execPath,
      GAN_COURSE_KERNEL_DATA_DIR: this.kernelDataDir,
      GAN_COURSE_HUB_IP: '127.0.0.1',
      GAN_COURSE_HUB_PORT: String(port),
      GAN_COURSE_HUB_API_PORT: String(apiPort),
      GAN_COURSE_PROXY_API_PORT: String(proxyApiPort),
      GAN_COURSE_HUB_STATE: this.state,
      GAN_COURSE_HUB_AUTH: 'dummy',
      GAN_COURSE_HUB_DUMMY_PASSWORD: this.password,
      GAN_COURSE_HUB_ADMIN_TOKEN: this.adminToken,
      ...opts.env,
    });
    const out = fs.openSync(this.logFile, 'a');
    const jupyterhub = which('jupyterhub') ?? 'jupyterhub'; // found here, whatever PATH the hub gets
    this.hub = spawn(jupyterhub, ['-f', CONFIG], { cwd: this.state, env, stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    let exited: string | null = null;
    this.hub.once('exit', (code, sig) => (exited = `the hub exited (${sig ?? `code ${code}`})`));
    this.hub.once('error', (e) => (exited = `jupyterhub could not be started: ${e.message}`));
    const t0 = Date.now();
    for (;;) {
      if (exited) throw new Error(`${exited}: ${diagnoseHubLog(this.hubLog())}`);
      // The proxy logs a port it cannot take and keeps running: stop at once.
      if (/\[ConfigProxy\].*(EADDRINUSE|Uncaught Exception)/.test(this.hubLog())) {
        throw new Error(`the proxy failed: ${diagnoseHubLog(this.hubLog())}`);
      }
      try {
        const r = await fetch(`${this.url}/hub/api/`, { signal: AbortSignal.timeout(5000) });
        if (r.ok && typeof ((await r.json()) as { version?: unknown }).version === 'string') break;
      } catch {
        // not up yet
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`the hub did not answer on ${this.url} within ${timeoutMs / 1000} s: ${diagnoseHubLog(this.hubLog())}`);
      await sleep(500);
    }
    this.log(`hub up on ${this.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  async api(method: string, p: string, token: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
    const r = await fetch(`${this.url}${p}`, {
      method,
      headers: { Authorization: `token ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(60_000),
    });
    const text = await r.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: r.status, json, text };
  }

  /**
   * A student logs in through the hub's login form (the dummy authenticator: their name and
   * the shared password), which creates the hub user; the admin token then makes them an
   * API token, as a course script would.
   */
  async login(name: string): Promise<Student> {
    const r = await fetch(`${this.url}/hub/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: name, password: this.password }),
      redirect: 'manual',
      signal: AbortSignal.timeout(60_000),
    });
    // getSetCookie(): Node 20's fetch has it; @types/node 20 does not declare it yet.
    const cookies: string[] = (r.headers as unknown as { getSetCookie(): string[] }).getSetCookie();
    if (r.status !== 302 || !cookies.some((c) => c.startsWith('jupyterhub-session-id=') || c.startsWith('jupyterhub-hub-login='))) {
      throw new Error(`login of ${name} failed: HTTP ${r.status}, cookies ${cookies.map((c) => c.split('=')[0]).join(', ') || 'none'}`);
    }
    const wrong = await fetch(`${this.url}/hub/login`, { method: 'POST', body: new URLSearchParams({ username: name, password: 'wrong' }), redirect: 'manual' });
    if (wrong.status === 302) throw new Error(`the hub let ${name} in with a wrong password`);
    const user = await this.api('GET', `/hub/api/users/${name}`, this.adminToken);
    if (user.status !== 200) throw new Error(`${name} logged in but the hub has no such user: HTTP ${user.status} ${user.text}`);
    const tok = await this.api('POST', `/hub/api/users/${name}/tokens`, this.adminToken, { note: 'gan-course hub test', expires_in: 3600 });
    if (tok.status !== 201 || !tok.json?.token) throw new Error(`token for ${name}: HTTP ${tok.status} ${tok.text}`);
    return { name, home: path.join(this.homes, name), token: tok.json.token };
  }

  /** Starts the student's server (with their own token) and waits until it is ready. */
  async startServer(s: Student, timeoutMs = 150_000): Promise<number> {
    const t0 = Date.now();
    const r = await this.api('POST', `/hub/api/users/${s.name}/server`, s.token);
    if (r.status !== 201 && r.status !== 202) throw new Error(`starting ${s.name}'s server: HTTP ${r.status} ${r.text}`);
    for (;;) {
      const u = await this.api('GET', `/hub/api/users/${s.name}`, s.token);
      const server = u.json?.servers?.[''];
      if (server?.ready) break;
      if (!server && !u.json?.pending && Date.now() - t0 > 3000) {
        throw new Error(`${s.name}'s server stopped while starting:\n${this.userLog(s.name)}`);
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`${s.name}'s server not ready within ${timeoutMs / 1000} s:\n${this.userLog(s.name)}`);
      await sleep(500);
    }
    return Date.now() - t0;
  }

  async stopServer(s: Student): Promise<void> {
    await this.api('DELETE', `/hub/api/users/${s.name}/server`, s.token).catch(() => undefined);
  }

  /** The hub log lines that name this user (the spawner's and their server's messages). */
  userLog(name: string): string {
    return this.hubLog().split('\n').filter((l) => l.includes(name) || /gan-course-singleuser|Traceback|Error/.test(l)).slice(-30).join('\n');
  }

  /** A request to the student's own notebook server, through the hub's proxy. */
  server(s: Student, method: string, p: string, body?: unknown) {
    return this.api(method, `/user/${s.name}/${p}`, s.token, body);
  }

  /**
   * Opens a kernel on `serverPath` (a notebook in the student's home: the kernel starts in
   * its folder) and executes `cells` in order through the kernel's WebSocket, after a first
   * cell that sets quick mode (GAN_COURSE_QUICK=1) in that kernel.
   */
  async runCells(s: Student, serverPath: string, cells: Array<{ index: number; source: string }>, cellTimeoutMs = 180_000): Promise<ChapterRun> {
    const t0 = Date.now();
    const sess = await this.server(s, 'POST', 'api/sessions', { path: serverPath, type: 'notebook', name: path.basename(serverPath), kernel: { name: 'tslab' } });
    if (sess.status !== 201) throw new Error(`${s.name}: opening a tslab kernel on ${serverPath}: HTTP ${sess.status} ${sess.text}`);
    const kernelId: string = sess.json.kernel.id;
    const session = randomUUID();
    const ws = await WebSocketClient.connect(`${this.url.replace('http', 'ws')}/user/${s.name}/api/kernels/${kernelId}/channels?session_id=${session}`, { Authorization: `token ${s.token}` });
    const pending = new Map<string, { outputs: any[]; reply?: any; idle: boolean; done: () => void }>();
    let closedWhy = '';
    ws.onclose = (why) => {
      closedWhy = why;
      for (const p of pending.values()) p.done();
    };
    ws.onmessage = (m) => {
      if (!m.text) return;
      const msg = JSON.parse(m.text);
      const p = pending.get(msg.parent_header?.msg_id);
      if (!p) return;
      const type = msg.header.msg_type ?? msg.msg_type;
      if (msg.channel === 'shell') p.reply = msg.content;
      else if (type === 'status' && msg.content.execution_state === 'idle') p.idle = true;
      else if (['stream', 'display_data', 'execute_result', 'error'].includes(type)) p.outputs.push({ output_type: type, ...msg.content });
      if (p.reply && p.idle) p.done();
    };
    const request = (msgType: string, content: object, timeoutMs: number) =>
      new Promise<{ reply?: any; outputs: any[]; timedOut: boolean }>((resolve) => {
        const id = randomUUID();
        let timer: NodeJS.Timeout;
        const entry = {
          outputs: [] as any[],
          idle: msgType === 'kernel_info_request',
          reply: undefined as any,
          done: () => {
            clearTimeout(timer);
            pending.delete(id);
            resolve({ reply: entry.reply, outputs: entry.outputs, timedOut: false });
          },
        };
        timer = setTimeout(() => {
          pending.delete(id);
          resolve({ reply: entry.reply, outputs: entry.outputs, timedOut: true });
        }, timeoutMs);
        pending.set(id, entry);
        const header = { msg_id: id, session, username: s.name, date: new Date().toISOString(), msg_type: msgType, version: '5.3' };
        ws.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content, channel: 'shell', buffers: [] }));
      });
    try {
      // The kernel answers kernel_info once it is up.
      for (let i = 0; ; i++) {
        const r = await request('kernel_info_request', {}, 2000);
        if (r.reply) break;
        if (closedWhy) throw new Error(`${s.name}: kernel WebSocket closed: ${closedWhy}`);
        if (i > 60) throw new Error(`${s.name}: the tslab kernel did not answer kernel_info within 2 min:\n${this.userLog(s.name)}`);
      }
      const kernelStartMs = Date.now() - t0;
      const exec = (code: string) => request('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, cellTimeoutMs);
      const q = await exec("process.env.GAN_COURSE_QUICK = '1';");
      if (q.reply?.status !== 'ok') throw new Error(`${s.name}: setting quick mode failed: ${JSON.stringify(q.reply ?? q)}`);
      const runs: CellRun[] = [];
      for (const c of cells) {
        const c0 = Date.now();
        const r = await exec(c.source);
        const status = r.timedOut ? 'timeout' : closedWhy ? 'dead' : r.reply?.status ?? 'no reply';
        const err = r.outputs.find((o) => o.output_type === 'error');
        runs.push({ index: c.index, status, ms: Date.now() - c0, outputs: r.outputs, error: err ? `${err.ename}: ${err.evalue}` : r.reply?.evalue });
        if (status !== 'ok') break;
      }
      return { user: s.name, notebook: serverPath, totalMs: Date.now() - t0, kernelStartMs, cells: runs };
    } finally {
      ws.close();
      await this.server(s, 'DELETE', `api/sessions/${sess.json.id}`).catch(() => undefined);
    }
  }

  /** Stops the hub (which stops the proxy and the servers), then removes what is left. */
  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    if (this.hub && this.hub.exitCode === null && this.hub.signalCode === null) {
      const hub = this.hub;
      const gone = new Promise<void>((r) => hub.once('exit', () => r()));
      hub.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise<void>((r) => (timer = setTimeout(r, 20_000)))]);
      clearTimeout(timer);
    }
    this.cleanupSync();
  }

  /** The synchronous part (also run on exit): kill by pid what is left, remove users and files. */
  cleanupSync(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    const killPid = (pid: number) => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    if (this.hub?.pid && this.hub.exitCode === null && this.hub.signalCode === null) {
      try {
        process.kill(-this.hub.pid, 'SIGKILL'); // the hub's own process group (started detached by us)
      } catch {
        killPid(this.hub.pid);
      }
    }
    // The proxy runs in its own session; the hub wrote its pid.
    try {
      const pid = Number(fs.readFileSync(path.join(this.state, 'jupyterhub-proxy.pid'), 'utf8').trim());
      if (pid > 1 && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('configurable-http-proxy')) killPid(pid);
    } catch {
      // no pid file, or the proxy is gone
    }
    // The students' servers and kernels: every process owned by a user this test made.
    const uids = new Set<string>();
    for (const u of this.users) {
      const r = spawnSync('id', ['-u', u], { encoding: 'utf8' });
      if (r.status === 0) uids.add(r.stdout.trim());
    }
    for (let round = 0; round < 3 && uids.size; round++) {
      let found = 0;
      for (const d of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
          const st = fs.readFileSync(`/proc/${d}/status`, 'utf8');
          const uid = /^Uid:\s+(\d+)/m.exec(st)?.[1];
          if (uid && uids.has(uid)) {
            killPid(Number(d));
            found++;
          }
        } catch {
          // exited meanwhile
        }
      }
      if (!found) break;
      spawnSync('sleep', ['0.3']);
    }
    for (const u of this.users) {
      const r = spawnSync('userdel', ['--remove', u], { encoding: 'utf8' });
      if (r.status !== 0 && r.status !== 6) {
        // 6: no such user. Retry once without --remove (the home goes with the folder below).
        spawnSync('userdel', [u]);
      }
    }
    this.users = [];
    if (!process.env.GAN_COURSE_KEEP_HUB_LOG) fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** "cell 8 (application/vnd.vegalite.v5+json, image/png)" style summary of what a run displayed. */
export function outputSummary(run: ChapterRun) {
  const streams = run.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === 'stream').map((o) => String(o.text)));
  const displays = run.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === 'display_data' || o.output_type === 'execute_result'));
  const charts = displays.filter((d) => d.data?.['application/vnd.vegalite.v5+json'] && typeof d.data?.['image/png'] === 'string' && d.data['image/png'].length > 1000);
  return { streams: streams.join(''), displays: displays.length, charts: charts.length };
}
