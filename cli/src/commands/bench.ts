/**
 * `gan-course bench`: training-step speed of the course's reference models on every
 * available backend, the wasm matmul throughput, and (where Debian's python3-torch is
 * installed) the same MLP GAN and DCGAN steps in PyTorch side by side.
 * JSON on stdout, a short human summary on stderr. Timings on a shared machine are noisy:
 * the report gives min and median wall time and the process CPU time per step (which
 * ignores time spent waiting for a core; for multi-threaded wasm it sums the threads).
 */
import { benchLibrary, benchReference, matmulGflops, ModelResult, Lib } from '../bench/measure';
import { REFERENCE_MODELS, ReferenceModel } from '../bench/referenceSteps';
import { runTorch } from '../bench/torchPeer';
import { ArgError, integerOption, listOption, parseArgs } from '../options';
// The name list alone (the backend module loads no TensorFlow.js until initBackend runs).
import { BACKEND_NAMES, BackendName } from 'kernel-helpers/dist/backend/backendNames';

export const summary = 'benchmark training steps per backend (and against PyTorch where installed); JSON output';

const HELP = `usage: gan-course bench [--steps N] [--backend name[,name]] [--models a,b] [--quick]
                        [--torch-threads N] [--no-torch] [--library]

  --steps N         timed steps per model (default 20; --quick: 5), after 3 warm-up steps
  --backend names   backends to measure (default: every one that loads, except cpu:
                    tfjs-node-gpu, webgpu, tfjs-node, wasm). 'cpu' is very slow for conv
                    nets. webgpu runs on whatever adapter exists and names it; on a
                    software adapter (llvmpipe, SwiftShader) its numbers measure correctness only.
  --models names    among mlp, dcgan, residual, gru (default all)
  --torch-threads N PyTorch threads (default 1, with OPENBLAS_NUM_THREADS=1)
  --no-torch        skip the PyTorch comparison
  --library         also time the library's own models through its train() loop

Output: JSON on stdout; summary on stderr. Environment: GAN_COURSE_WASM_THREADS sets the
wasm thread count (default: 2 on a 2-core machine).`;

type Model = ReferenceModel;
const MODELS: readonly Model[] = REFERENCE_MODELS;

interface Options {
  steps: number;
  backends: readonly BackendName[] | null;
  models: readonly Model[];
  torchThreads: number;
  torch: boolean;
  library: boolean;
  quick: boolean;
}

function parse(args: string[]): Options | string {
  const p = parseArgs(args, ['steps', 'backend', 'backends', 'models', 'model', 'torch-threads'], ['no-torch', 'library', 'quick', 'help']);
  if (p.flags.has('help')) return HELP;
  if (p.positional.length) throw new ArgError(`unexpected argument '${p.positional[0]}'\n${HELP}`);
  const steps = integerOption(p, 'steps', 1);
  const stepsGiven = steps !== undefined;
  const o: Options = {
    steps: steps ?? 20,
    backends: listOption(p, ['backend', 'backends'], BACKEND_NAMES) ?? null,
    models: listOption(p, ['models', 'model'], MODELS) ?? MODELS,
    torchThreads: integerOption(p, 'torch-threads', 1) ?? 1,
    torch: !p.flags.has('no-torch'),
    library: p.flags.has('library'),
    quick: p.flags.has('quick'),
  };
  if (o.quick && !stepsGiven) o.steps = 5;
  return o;
}

const fmt = (x: number | undefined, d = 1) => (x == null || !Number.isFinite(x) ? '-' : x.toFixed(d));

export async function main(args: string[]): Promise<number> {
  let opts: Options | string;
  try {
    opts = parse(args);
  } catch (e) {
    console.error(`gan-course bench: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if (typeof opts === 'string') {
    console.log(opts);
    return 0;
  }
  const o: Options = opts;
  const lib = (await import('kernel-helpers')) as Lib;
  const backends = opts.backends ?? BACKEND_NAMES.filter((b) => b !== 'cpu');
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: require('os').cpus().length,
    loadAverage: require('os').loadavg(),
    options: { steps: opts.steps, models: opts.models, torchThreads: opts.torchThreads },
    note: 'wall times on a shared machine are noisy: compare min and cpuMsPerStep as well as the median',
  };
  const perBackend: Record<string, unknown>[] = [];
  let defaultBackend: string | null = null;
  for (const name of backends) {
    let info: Awaited<ReturnType<Lib['initBackend']>>;
    try {
      info = await lib.initBackend({ backend: name, quiet: true });
    } catch (e) {
      perBackend.push({ backend: name, available: false, reason: e instanceof Error ? e.message : String(e) });
      console.error(`${name}: not available`);
      continue;
    }
    if (!defaultBackend) defaultBackend = info.name;
    console.error(`${info.line}`);
    const entry: Record<string, unknown> = { backend: info.name, available: true, line: info.line, gpu: info.gpu, threads: info.threads, simd: info.simd };
    const size = opts.quick ? 256 : 512;
    const measure = async () => ({
      size,
      plain: await matmulGflops(lib, size, false, false),
      transposeA: await matmulGflops(lib, size, true, false),
      transposeB: await matmulGflops(lib, size, false, true),
    });
    const line = (what: string, g: Awaited<ReturnType<typeof measure>>) =>
      console.error(`  ${what} ${size}^3: ${fmt(g.plain)} GFLOP/s plain, ${fmt(g.transposeA)} transposed A, ${fmt(g.transposeB)} transposed B`);
    if (info.name === 'webgpu' && info.adapter) {
      const a = info.adapter;
      entry.adapter = { name: a.name, vendor: a.vendor, architecture: a.architecture, device: a.device, driver: a.description, api: a.api, featureLevel: a.featureLevel, software: a.software };
      if (a.software) {
        entry.note = 'software adapter (a CPU rasteriser): these webgpu numbers measure correctness only, not GPU speed';
        console.error(`  note: ${entry.note}`);
      }
      entry.matmulGflops = await measure();
      line('matmul (webgpu)', entry.matmulGflops as Awaited<ReturnType<typeof measure>>);
    }
    if (info.name === 'wasm') {
      const native = lib.nativeBlasStatus();
      entry.nativeBlas = native.active;
      if (native.active) {
        const g = await measure();
        entry.matmulGflops = g;
        line('matmul (OpenBLAS)', g);
        // The wasm (XNNPACK) kernels' own throughput, what runs where OpenBLAS is missing.
        lib.setNativeBlasEnabled(false);
        try {
          entry.xnnpackMatmulGflops = await measure();
        } finally {
          lib.setNativeBlasEnabled(true);
        }
        line('matmul (XNNPACK)', entry.xnnpackMatmulGflops as Awaited<ReturnType<typeof measure>>);
      } else {
        entry.matmulGflops = await measure();
        line('matmul (XNNPACK)', entry.matmulGflops as Awaited<ReturnType<typeof measure>>);
        console.error(`  native products off: ${native.reason}`);
      }
    }
    const results: ModelResult[] = [];
    for (const m of opts.models) {
      if (info.name === 'cpu' && m !== 'mlp' && !(opts.backends ?? []).includes('cpu')) continue;
      try {
        const r = await benchReference(lib, m, opts.steps);
        results.push(r);
        console.error(`  ${m.padEnd(9)} ${fmt(r.msPerStep?.median)} ms/step (min ${fmt(r.msPerStep?.min)}, cpu ${fmt(r.cpuMsPerStep)}), ${fmt(r.stepsPerSecond, 2)} steps/s`);
      } catch (e) {
        results.push({ model: m, error: e instanceof Error ? e.message : String(e) });
        console.error(`  ${m.padEnd(9)} FAILED: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (opts.library) {
      for (const m of o.models) {
        try {
          const r = await benchLibrary(lib, m, opts.steps);
          results.push(r);
          console.error(`  ${r.model.padEnd(9)} ${r.error ? r.error : `${fmt(r.msPerStep?.median)} ms/step (cpu ${fmt(r.cpuMsPerStep)})`}`);
        } catch (e) {
          results.push({ model: `${m}-library`, error: e instanceof Error ? e.message : String(e) });
          console.error(`  ${m}-library FAILED: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    entry.results = results;
    perBackend.push(entry);
  }
  report.defaultBackend = defaultBackend;
  report.backends = perBackend;
  if (opts.torch) {
    const torch = runTorch(opts.models, opts.steps, opts.torchThreads);
    report.pytorch = torch;
    if (torch.available && torch.results) {
      console.error(`pytorch ${torch.torch} (${torch.threads} thread${torch.threads === 1 ? '' : 's'}):`);
      const def = perBackend.find((b) => b.backend === defaultBackend) as { results?: ModelResult[] } | undefined;
      const ratios: Record<string, unknown> = {};
      for (const t of torch.results) {
        const mine = def?.results?.find((r) => r.model === t.model);
        const ratio = mine?.msPerStep && t.msPerStep ? {
          median: mine.msPerStep.median / t.msPerStep.median,
          min: mine.msPerStep.min / t.msPerStep.min,
          cpu: mine.cpuMsPerStep! / t.cpuMsPerStep!,
        } : null;
        ratios[t.model] = ratio;
        console.error(`  ${t.model.padEnd(9)} ${fmt(t.msPerStep?.median)} ms/step (min ${fmt(t.msPerStep?.min)}, cpu ${fmt(t.cpuMsPerStep)})` +
          (ratio ? `; ${defaultBackend}/pytorch = ${fmt(ratio.median, 2)}x median, ${fmt(ratio.min, 2)}x min, ${fmt(ratio.cpu, 2)}x cpu time` : ''));
      }
      report.ratioToPytorch = { backend: defaultBackend, ...ratios };
    } else {
      console.error(`pytorch: skipped (${torch.reason})`);
    }
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return perBackend.some((b) => Array.isArray(b.results) && (b.results as ModelResult[]).some((r) => r.error && !r.model.endsWith('-library'))) ? 1 : 0;
}
