/**
 * How many students one machine serves: 1, 2, 4, 8 (GAN_COURSE_HUB_CAPACITY=1,2,4,8)
 * students at once each run chapter 2 in quick mode (a fresh kernel each, as a student who
 * opens the notebook and runs all cells) on Debian's JupyterHub, as in hub.test.ts.
 * Prints, per round, each student's time (kernel start to the last cell), the median and
 * the slowest, the ratio to one student, the peak memory per student (their server and
 * kernel) and the machine's load before the round. Not part of `npm test`:
 *
 *   sudo node --import tsx test/hub/capacity.ts
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { HubClass, ROOT, STUDENT_FOLDER, missingPrerequisites, outputSummary } from './hub-harness';

const CHAPTER = process.env.GAN_COURSE_HUB_CHAPTER ?? '02-divergences.ipynb';
const ROUNDS = (process.env.GAN_COURSE_HUB_CAPACITY ?? '1,2,4,8').split(',').map(Number);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Per process of the given uids: resident memory (MiB) and CPU time used so far (s). */
function sample(uids: Set<string>): Map<number, { uid: string; rss: number; cpu: number }> {
  const m = new Map<number, { uid: string; rss: number; cpu: number }>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/status`, 'utf8');
      const uid = /^Uid:\s+(\d+)/m.exec(st)?.[1];
      if (!uid || !uids.has(uid)) continue;
      const rss = Number(/^VmRSS:\s+(\d+)/m.exec(st)?.[1] ?? 0) / 1024;
      // utime and stime: fields 14 and 15 of /proc/<pid>/stat, after the ')' of the name.
      const fields = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      const cpu = (Number(fields[11]) + Number(fields[12])) / 100;
      m.set(Number(d), { uid, rss, cpu });
    } catch {
      // gone
    }
  }
  return m;
}

async function main(): Promise<number> {
  const missing = missingPrerequisites();
  if (missing.length) {
    console.error(`capacity: this machine lacks: ${missing.join('; ')}`);
    return 1;
  }
  const hub = new HubClass((l) => console.log(l));
  try {
    hub.assign([path.join(ROOT, 'notebooks', CHAPTER)]);
    const names = hub.createUsers(Math.max(...ROUNDS));
    await hub.start();
    const students = await Promise.all(names.map((n) => hub.login(n)));
    for (const s of students) await hub.startServer(s);
    const uids = new Map(students.map((s) => [s.name, spawnSync('id', ['-u', s.name], { encoding: 'utf8' }).stdout.trim()]));
    const teacher = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', CHAPTER), 'utf8'));
    const cells = teacher.cells
      .map((c: any, index: number) => ({ index, c, source: Array.isArray(c.source) ? c.source.join('') : c.source }))
      .filter((x: any) => x.c.cell_type === 'code' && x.source.trim() !== '')
      .map(({ index, source }: any) => ({ index, source }));
    console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; chapter ${CHAPTER}, ${cells.length} code cells, quick mode`);

    // Warm-up (not counted): the first kernel on a machine fills caches.
    await hub.runCells(students[0], `${STUDENT_FOLDER}/${CHAPTER}`, cells);
    const rows: string[] = [];
    let base = 0;
    for (const n of ROUNDS) {
      const load = os.loadavg()[0];
      const group = students.slice(0, n);
      const groupUids = new Set(group.map((s) => uids.get(s.name)!));
      // Memory: the peak of each student's processes together. CPU: what each process used
      // during the round (the kernels are new; the servers' time before the round is not counted).
      const before = sample(groupUids);
      const cpuSeen = new Map<number, { uid: string; cpu: number }>();
      const peak = new Map<string, number>();
      const tick = () => {
        const now = sample(groupUids);
        const rss = new Map<string, number>();
        for (const [pid, p] of now) {
          rss.set(p.uid, (rss.get(p.uid) ?? 0) + p.rss);
          cpuSeen.set(pid, { uid: p.uid, cpu: p.cpu - (before.get(pid)?.cpu ?? 0) });
        }
        for (const [u, mb] of rss) peak.set(u, Math.max(peak.get(u) ?? 0, mb));
      };
      const sampler = setInterval(tick, 250);
      const runs = await Promise.all(group.map((s) => hub.runCells(s, `${STUDENT_FOLDER}/${CHAPTER}`, cells, 600_000)));
      clearInterval(sampler);
      const cpuByUid = new Map<string, number>();
      for (const p of cpuSeen.values()) cpuByUid.set(p.uid, (cpuByUid.get(p.uid) ?? 0) + p.cpu);
      const cpu = median([...cpuByUid.values()]);
      const bad = runs.flatMap((r) => r.cells.filter((c) => c.status !== 'ok').map((c) => `${r.user} cell ${c.index} ${c.status}: ${c.error}`));
      const short = runs.filter((r) => r.cells.length !== cells.length || outputSummary(r).charts < 3);
      const times = runs.map((r) => r.totalMs / 1000);
      const med = median(times);
      if (n === ROUNDS[0]) base = med / n; // rounds start at 1: the time of one student
      const mem = median([...peak.values()]);
      const row = `${String(n).padStart(2)} students: median ${med.toFixed(1)} s, slowest ${Math.max(...times).toFixed(1)} s (x${(med / base).toFixed(2)} of one student); each: ${times.map((t) => t.toFixed(1)).join(' ')} s; kernel start median ${median(runs.map((r) => r.kernelStartMs / 1000)).toFixed(1)} s; CPU per student ${cpu.toFixed(1)} s; peak memory per student ${mem.toFixed(0)} MiB; load before ${load.toFixed(1)}${bad.length || short.length ? `; FAILED: ${bad.join('; ') || 'missing outputs'}` : ''}`;
      console.log(row);
      rows.push(row);
    }
    console.log(`\nsummary:\n${rows.join('\n')}`);
    return 0;
  } finally {
    await hub.cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`capacity: ${(e as Error).message}`);
    process.exit(1);
  },
);
