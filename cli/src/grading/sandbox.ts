/**
 * The OS sandbox every grading kernel runs in (bubblewrap, Debian's `bubblewrap` package):
 *
 * - its own user (uid 1000 inside), PID, IPC, UTS and network namespaces: no network at all
 *   (the kernel's ZeroMQ sockets are `ipc` Unix sockets in the sandbox's own folder), no
 *   other process visible, nothing to signal;
 * - read-only: the system (/usr), the course runtime (the repository's node_modules, and
 *   the grader's fresh copy of kernel-helpers made from its sources, library-build.ts, at
 *   /course); nothing else of the machine, and nothing of the teacher's (the notebooks with
 *   solutions are not there);
 * - writable: /course/work, a size-limited tmpfs holding the student's own notebook (read-only
 *   copy) and whatever the cells write; a private /tmp (tmpfs); /run/kernel, the folder of
 *   the connection file, sockets and verdicts: a small tmpfs of the sandbox's own too, which
 *   the grader reaches as /proc/<pid>/root/run/kernel (nothing of the machine's disk is
 *   writable from inside);
 * - no /proc: a cell cannot read its own memory (/proc/self/mem), where the verdict key's
 *   shares live, nor any process's environment; the grader finds the kernel through its own
 *   /proc;
 * - a minimal environment (HOME, PATH, LANG, GAN_COURSE_QUICK);
 * - limits (prlimit): data segment (memory), file size, open files, no core dumps, and the
 *   number of processes when grading as a user other than root (RLIMIT_NPROC counts the
 *   whole user and does not apply to root); V8's heap is capped too;
 * - the whole process tree killed at the end: bwrap runs with --die-with-parent and is
 *   PID 1's parent; when the grader kills it, the kernel turns the namespace's processes
 *   down, detached ones included.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot, StartOptions, tslabBin } from '../runner';

export interface SandboxLimits {
  /** RLIMIT_DATA of the kernel (default 4 GiB); V8's old space gets 3/4 of it. */
  memoryBytes: number;
  /** Largest file a cell may write (default 64 MiB). */
  fileBytes: number;
  /** Size of the writable work folder and of /tmp, each (default 256 MiB). */
  diskBytes: number;
  /** Size of /run/kernel, the sockets' and verdicts' folder (default 16 MiB). */
  runBytes: number;
  /** Open files (default 1024). */
  openFiles: number;
  /** Processes beyond the grading user's current count (default 128; not enforced for root). */
  extraProcesses: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  memoryBytes: 4 * 2 ** 30,
  fileBytes: 64 * 2 ** 20,
  diskBytes: 256 * 2 ** 20,
  runBytes: 16 * 2 ** 20,
  openFiles: 1024,
  extraProcesses: 128,
};

export const INSIDE = { course: '/course', work: '/course/work', run: '/run/kernel' } as const;

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** The number of processes of this user now (for RLIMIT_NPROC, which counts them all). */
function processesOfUser(uid: number): number {
  let n = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const m = /\nUid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${d}/status`, 'utf8'));
      if (m && Number(m[1]) === uid) n++;
    } catch {
      /* gone */
    }
  }
  return n;
}

/**
 * The bwrap arguments shared by every sandbox (system, runtime, namespaces). `library`: the
 * folder mounted as /course/kernel-helpers (default: the repository's own).
 */
function baseArgs(root: string, library = path.join(root, 'kernel-helpers')): string[] {
  const a = [
    '--unshare-user', '--uid', '1000', '--gid', '1000',
    '--unshare-pid', '--unshare-ipc', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try',
    '--hostname', 'grading',
    '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
    '--ro-bind', '/usr', '/usr',
  ];
  for (const l of ['lib', 'lib64', 'bin', 'sbin']) {
    const p = `/${l}`;
    try {
      if (fs.lstatSync(p).isSymbolicLink()) a.push('--symlink', fs.readlinkSync(p), p);
      else a.push('--ro-bind', p, p);
    } catch {
      /* not on this system */
    }
  }
  // The dynamic loader's cache and Debian's alternatives (libblas.so.3 -> OpenBLAS).
  for (const p of ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/alternatives']) if (fs.existsSync(p)) a.push('--ro-bind', p, p);
  // Node itself when it is not under /usr (nvm, /opt).
  const nodePrefix = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  if (!nodePrefix.startsWith('/usr')) a.push('--ro-bind', nodePrefix, nodePrefix);
  a.push(
    '--ro-bind', path.join(root, 'node_modules'), `${INSIDE.course}/node_modules`,
    '--ro-bind', library, `${INSIDE.course}/kernel-helpers`,
    '--dev', '/dev',
  );
  return a;
}

/** Where the course runtime's tslab is inside the sandbox. */
function tslabInside(root: string): string {
  const rel = path.relative(path.join(root, 'node_modules'), fs.realpathSync(tslabBin(root)));
  if (rel.startsWith('..')) throw new Error(`tslab (${tslabBin(root)}) is not inside ${root}/node_modules; the sandbox cannot reach it`);
  return path.posix.join(INSIDE.course, 'node_modules', ...rel.split(path.sep));
}

export interface Sandbox {
  /** The folder outside that holds this sandbox's files (removed by `remove`). */
  dir: string;
  /** KernelSession start options: the bwrap command line, ipc sockets, interrupt target. */
  start: Partial<StartOptions> & { argv: string[] };
  /** Kernel spawn cwd outside (the sandbox chooses its own inside). */
  cwd: string;
  remove(): void;
}

/** pid -> parent pid of every process now (zombies left out when `live`). */
function parentsNow(live = false): Map<number, number> {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (!live || fields[0] !== 'Z') parent.set(Number(d), Number(fields[1]));
    } catch {
      /* gone */
    }
  }
  return parent;
}

/** Descendants of `pid`, parents before children. */
function descendantsOf(pid: number, parent: Map<number, number>): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) if (pp === p) (out.push(c), walk(c));
  };
  walk(pid);
  return out;
}

/** The pid of the tslab kernel inside a sandbox whose bwrap is `child` (deepest matching descendant). */
function kernelPid(child: ChildProcess): number | undefined {
  if (!child.pid) return undefined;
  let found: number | undefined;
  for (const c of descendantsOf(child.pid, parentsNow())) {
    try {
      if (fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('tslab')) found = c;
    } catch {
      /* gone */
    }
  }
  return found;
}

/**
 * The sandbox's /run/kernel as the grader reaches it, once it exists: through the root of a
 * process inside the sandbox whose bwrap is `child` (bwrap's first fork).
 */
function kernelFolderOf(child: ChildProcess): string | undefined {
  const pid = child.pid ? descendantsOf(child.pid, parentsNow())[0] : undefined;
  const folder = `/proc/${pid}/root${INSIDE.run}`;
  return pid !== undefined && fs.existsSync(folder) ? folder : undefined;
}

/** Blocks this thread for `ms` (for code that must not yield: a signal handler, a sync probe). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A sandbox for grading one notebook: `notebookFile` (the student's submission) is the only
 * file of theirs in it, read-only at /course/work/<name>. `env`: extra environment inside.
 */
export function createSandbox(o: {
  notebookFile: string;
  notebookName: string;
  env?: Record<string, string>;
  limits?: Partial<SandboxLimits>;
  root?: string;
  scratchBase?: string;
  /** The kernel-helpers folder to mount (the grader's fresh copy, library-build.ts); default the repository's. */
  libraryDir?: string;
}): Sandbox {
  const root = o.root ?? projectRoot();
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...(o.limits ?? {}) };
  const bwrap = which('bwrap');
  const prlimit = which('prlimit');
  if (!bwrap) throw new Error('bubblewrap (bwrap) is not installed: apt-get install bubblewrap, or grade with --no-sandbox on a machine that holds nothing else of value');
  if (!prlimit) throw new Error('prlimit (util-linux) is not installed');
  const base = o.scratchBase ?? os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'gan-course-sandbox-'));
  const nbCopy = path.join(dir, 'submission.ipynb');
  fs.copyFileSync(o.notebookFile, nbCopy);
  const safe = o.notebookName.replace(/[^\w.() -]/g, '_');
  const env: Record<string, string> = { HOME: INSIDE.work, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', ...(o.env ?? {}) };
  const uid = process.getuid?.() ?? 0;
  const lim = [
    `--data=${limits.memoryBytes}`,
    `--fsize=${limits.fileBytes}`,
    `--nofile=${limits.openFiles}`,
    '--core=0',
    ...(uid !== 0 ? [`--nproc=${processesOfUser(uid) + limits.extraProcesses}`] : []),
  ];
  const heapMb = Math.floor((limits.memoryBytes * 0.75) / 2 ** 20);
  const argv = [
    bwrap,
    ...baseArgs(root, o.libraryDir),
    '--size', String(limits.diskBytes), '--tmpfs', INSIDE.work,
    '--ro-bind', nbCopy, `${INSIDE.work}/${safe}`,
    '--size', String(limits.diskBytes), '--tmpfs', '/tmp',
    '--size', String(limits.runBytes), '--tmpfs', INSIDE.run,
    '--file', '3', `${INSIDE.run}/connection.json`,
    '--clearenv',
    ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]),
    '--chdir', INSIDE.work,
    '--',
    prlimit, ...lim, '--',
    fs.realpathSync(process.execPath), `--max-old-space-size=${heapMb}`, tslabInside(root), 'kernel', '--config-path', '{connection_file}',
  ];
  return {
    dir,
    cwd: dir,
    start: { argv, ipc: { inside: INSIDE.run, outsideOf: kernelFolderOf }, interruptPid: kernelPid },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whether a sandbox can be made here: runs `true` in one; the reason when not. */
export function sandboxWorks(root = projectRoot()): { ok: boolean; detail: string } {
  const bwrap = which('bwrap');
  if (!bwrap) return { ok: false, detail: 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap' };
  if (!which('prlimit')) return { ok: false, detail: 'prlimit (util-linux) is not installed' };
  const t0 = Date.now();
  const r = spawnSync(bwrap, [...baseArgs(root), '--', '/usr/bin/true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return { ok: false, detail: `bwrap cannot create namespaces here (${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0]})` };
  // The grader reaches a kernel's folder, a tmpfs of the sandbox's own, through /proc/<pid>/root.
  const probe = spawn(bwrap, [...baseArgs(root), '--size', '65536', '--tmpfs', INSIDE.run, '--', '/bin/sh', '-c', `echo ok > ${INSIDE.run}/probe && sleep 10`], { stdio: 'ignore' });
  let reached = false;
  for (let i = 0; i < 250 && !reached; i++) {
    const folder = kernelFolderOf(probe);
    try {
      reached = folder !== undefined && fs.readFileSync(`${folder}/probe`, 'utf8') === 'ok\n';
    } catch {
      /* not yet */
    }
    if (!reached) sleepSync(20);
  }
  probe.kill('SIGKILL');
  if (!reached) return { ok: false, detail: "the grader cannot reach a sandbox's own folder through /proc/<pid>/root (is ptrace restricted here? kernel.yama.ptrace_scope above 1)" };
  const v = spawnSync(bwrap, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { ok: true, detail: `${v}: user, PID, IPC and network namespaces work, and the sandbox's own folder is reachable (${Date.now() - t0} ms)` };
}

/** Live (not zombie) processes descended from this one, found through /proc. */
function liveDescendants(): number[] {
  return descendantsOf(process.pid, parentsNow(true));
}

/** SIGKILLs what is left; true once nothing is (or the time is up). */
function killRound(t0: number, timeoutMs: number): boolean {
  const left = liveDescendants();
  if (left.length === 0 || Date.now() - t0 > timeoutMs) return true;
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return false;
}

/**
 * Kills (SIGKILL) every process descended from this one and waits until none is left: run
 * after the last kernel's shutdown, before anything is written.
 */
export async function reapDescendants(timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!killRound(t0, timeoutMs)) await new Promise((r) => setTimeout(r, 50));
}

/**
 * The same, blocking: for a signal handler that exits right after, where a kernel still
 * dying could write into a folder as it is being removed.
 */
export function reapDescendantsSync(timeoutMs = 2000): void {
  const t0 = Date.now();
  while (!killRound(t0, timeoutMs)) sleepSync(20);
}
