/**
 * `gan-course study`: chapter 5's loss x constraint comparison, run outside the notebook and
 * split over worker processes (one wasm thread each: the toy networks are too small for two
 * threads to help, while two processes use both cores fully). Every finished run is appended
 * to `<out>.parts/`, so an interrupted study resumes where it stopped; when all runs are in,
 * they are merged into one record (`data/loss-study-full.json` by default, the file chapter
 * 5 shows).
 */
// The paths module alone: the package's entry point would load TensorFlow.js.
import { courseDataFile } from 'kernel-helpers/dist/core/paths';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArgError, integerOption, parseArgs } from '../options';

export const summary = "run chapter 5's loss comparison over worker processes (resumable); writes the results record";

const HELP = `usage: gan-course study [--preset full|quick] [--jobs N] [--out FILE]

  --preset name   full (default: 3 seeds x 3 tasks x 27 pairs, 2000 steps; about an hour on
                  2 cores) or quick (a few steps, to check the pipeline)
  --jobs N        worker processes (default: the number of cores)
  --out FILE      the record to write (default for full: data/loss-study-full.json, the
                  file chapter 5 reads; required for quick)

Finished runs are kept in FILE.parts/ until the record is written: after an interruption,
the same command resumes.`;

type Lib = typeof import('kernel-helpers');
type PresetName = 'full' | 'quick';
type RunKey = { loss: string; constraint: string; task: string; seed: number };


interface Options {
  preset: PresetName;
  jobs: number;
  out: string;
  worker: { id: number; parts: string } | null;
}

function parse(args: string[]): Options | string {
  const p = parseArgs(args, ['preset', 'jobs', 'out', 'worker'], ['help']);
  if (p.flags.has('help')) return HELP;
  if (p.positional.length) throw new ArgError(`unexpected argument '${p.positional[0]}'\n\n${HELP}`);
  const presetArg = p.options.get('preset') ?? 'full';
  if (presetArg !== 'full' && presetArg !== 'quick') throw new ArgError(`--preset must be 'full' or 'quick', got '${presetArg}'`);
  const preset: PresetName = presetArg;
  const jobs = integerOption(p, 'jobs', 1, 64) ?? Math.max(1, os.cpus().length);
  let out: string | null = p.options.has('out') ? path.resolve(p.options.get('out')!) : null;
  let worker: Options['worker'] = null;
  if (p.options.has('worker')) {
    const [id, parts] = p.options.get('worker')!.split(':');
    worker = { id: Number(id), parts: parts ?? '' };
  }
  if (out == null) {
    if (preset !== 'full') throw new Error('--out is required with --preset quick (the shipped record is the full study)');
    out = courseDataFile('loss-study-full.json');
  }
  return { preset, jobs, out, worker };
}

function readDone(parts: string, keyOf: (r: RunKey) => string): Map<string, Record<string, unknown>> {
  const done = new Map<string, Record<string, unknown>>();
  if (!fs.existsSync(parts)) return done;
  for (const f of fs.readdirSync(parts).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of fs.readFileSync(path.join(parts, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as RunKey & Record<string, unknown>;
        done.set(keyOf(r), r);
      } catch {
        // A line cut short by an interruption: that run is simply run again.
      }
    }
  }
  return done;
}

/** Worker: runs the runs listed in its todo file, appending each result as it finishes. */
async function workerMain(lib: Lib, o: Options): Promise<number> {
  const { id, parts } = o.worker!;
  const todo = new Set(JSON.parse(fs.readFileSync(path.join(parts, `worker-${id}.todo.json`), 'utf8')) as string[]);
  const keyOf = lib.studyRunKey;
  const info = await lib.initBackend({ quiet: true });
  fs.writeFileSync(path.join(parts, `worker-${id}.backend.txt`), info.line);
  const preset = lib.LOSS_STUDY_PRESETS[o.preset];
  const sink = path.join(parts, `worker-${id}.jsonl`);
  await lib.runLossStudy({
    ...preset,
    skip: (r) => !todo.has(keyOf(r)),
    onRun: (run, i, total) => {
      fs.appendFileSync(sink, JSON.stringify(run) + '\n');
      const score = run.error ? `error: ${run.error}` : `W1 ${run.w1.toFixed(3)}, quality ${run.highQualityShare.toFixed(2)}${Number.isFinite(run.modes) ? `, ${run.modesHit}/${run.modes} modes` : ''}`;
      console.log(`[worker ${id}] ${i}/${total} ${run.task} seed ${run.seed} ${run.loss}+${run.constraint}: ${score} (${run.seconds.toFixed(1)} s)`);
    },
  });
  return 0;
}

/** Splits runs over workers, GP runs weighted by their 5 critic steps, largest first. */
function assign(runs: RunKey[], jobs: number, weight: (r: RunKey) => number): RunKey[][] {
  const bins = Array.from({ length: jobs }, () => ({ load: 0, runs: [] as RunKey[] }));
  for (const r of [...runs].sort((a, b) => weight(b) - weight(a))) {
    const bin = bins.reduce((m, b) => (b.load < m.load ? b : m));
    bin.runs.push(r);
    bin.load += weight(r);
  }
  return bins.map((b) => b.runs).filter((b) => b.length > 0);
}

function runWorker(id: number, parts: string, o: Options): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'main.js'), 'study', '--preset', o.preset, '--out', o.out, '--worker', `${id}:${parts}`], {
      stdio: 'inherit',
      env: { ...process.env, GAN_COURSE_WASM_THREADS: '1' },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}

export async function main(args: string[]): Promise<number> {
  let o: Options;
  try {
    const parsed = parse(args);
    if (typeof parsed === 'string') {
      console.log(parsed);
      return 0;
    }
    o = parsed;
  } catch (e) {
    console.error(`gan-course study: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const lib = require('kernel-helpers') as Lib;
  if (o.worker) return workerMain(lib, o);

  const preset = lib.LOSS_STUDY_PRESETS[o.preset];
  const keyOf = lib.studyRunKey;
  const parts = `${o.out}.parts`;
  fs.mkdirSync(parts, { recursive: true });
  const all: RunKey[] = [];
  for (const task of preset.tasks) for (const seed of preset.seeds) for (const c of lib.studyCombinations()) all.push({ ...c, task, seed });
  const done = readDone(parts, keyOf);
  const todo = all.filter((r) => !done.has(keyOf(r)));
  const start = Date.now();
  console.log(`loss study (${o.preset}): ${all.length} runs, ${all.length - todo.length} already in ${path.relative(process.cwd(), parts) || parts}`);
  if (todo.length > 0) {
    const steps = (r: RunKey) => lib.DEFAULT_CRITIC_STEPS[r.constraint as keyof typeof lib.DEFAULT_CRITIC_STEPS] ?? 1;
    const shares = assign(todo, o.jobs, (r) => 1 + steps(r));
    // Worker ids continue after earlier invocations' so their files are never overwritten.
    const used = fs.readdirSync(parts).map((n) => /^worker-(\d+)\./.exec(n)).filter(Boolean).map((m) => Number(m![1]));
    const base = used.length ? Math.max(...used) + 1 : 0;
    shares.forEach((share, k) => fs.writeFileSync(path.join(parts, `worker-${base + k}.todo.json`), JSON.stringify(share.map(keyOf))));
    console.log(`${todo.length} to run on ${shares.length} worker process(es), one wasm thread each`);
    const codes = await Promise.all(shares.map((_, k) => runWorker(base + k, parts, o)));
    if (codes.some((c) => c !== 0)) {
      console.error(`gan-course study: a worker stopped (exit codes ${codes.join(', ')}); finished runs are kept in ${parts}: run the same command to resume.`);
      return 1;
    }
  }
  const merged = readDone(parts, keyOf);
  const runs = all.map((r) => merged.get(keyOf(r))).filter((r): r is Record<string, unknown> => r != null);
  if (runs.length !== all.length) {
    console.error(`gan-course study: ${all.length - runs.length} runs missing after the workers finished; run the same command to resume.`);
    return 1;
  }
  const backendLines = fs.readdirSync(parts).filter((n) => n.endsWith('.backend.txt')).map((n) => fs.readFileSync(path.join(parts, n), 'utf8').trim());
  const w1Floor: Record<string, number> = {};
  for (const task of preset.tasks) w1Floor[task] = lib.w1DataBaseline(lib.toyTask(task), preset.evalSamples);
  const record = {
    config: preset,
    ranOn: `${[...new Set(backendLines)].join('; ') || 'unknown backend'}; ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
    date: new Date().toISOString().slice(0, 10),
    seconds: Math.round(runs.reduce((s, r) => s + Number(r.seconds ?? 0), 0)),
    jobs: o.jobs,
    w1Floor,
    runs,
  };
  const tmp = `${o.out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record, null, 1) + '\n');
  lib.loadLossStudy(tmp); // the record must read back before it replaces anything
  fs.renameSync(tmp, o.out);
  fs.rmSync(parts, { recursive: true, force: true });
  const failed = runs.filter((r) => r.error !== undefined).length;
  console.log(`wrote ${o.out}: ${runs.length} runs (${failed} stopped with an error), ${record.seconds} s of training, this invocation ${((Date.now() - start) / 1000).toFixed(0)} s`);
  return 0;
}
