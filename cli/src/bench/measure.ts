/**
 * What `gan-course bench` measures: the reference steps (referenceSteps.ts, mirrored in
 * PyTorch by torch_reference.py), the library's own models through train(), and matmul
 * throughput. Timings only: the command decides what to report.
 */
import type { Net, TrainConfig } from 'kernel-helpers';
import type { ReferenceModel } from './referenceSteps';
import { referenceStep } from './referenceSteps';

export type Lib = typeof import('kernel-helpers');

export interface Timing {
  steps: number;
  msPerStep: { min: number; median: number; mean: number };
  stepsPerSecond: number;
  cpuMsPerStep: number;
}

export async function timeSteps(step: () => unknown, steps: number, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await step();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    await step();
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  return {
    steps,
    msPerStep: { min: times[0], median, mean: times.reduce((a, b) => a + b, 0) / times.length },
    stepsPerSecond: 1000 / median,
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
  };
}

/** GFLOP/s of n x n x n products on the current backend, best of `reps` rounds. */
export async function matmulGflops(lib: Lib, n: number, transposeA: boolean, transposeB: boolean, reps = 5): Promise<number> {
  const { tf } = lib;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  let best = Infinity;
  for (let r = 0; r < reps + 1; r++) {
    const t = performance.now();
    const c = tf.matMul(a, b, transposeA, transposeB);
    await c.data();
    const ms = performance.now() - t;
    c.dispose();
    if (r > 0) best = Math.min(best, ms);
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / (best * 1e6);
}

export interface ModelResult extends Partial<Timing> {
  model: string;
  description?: string;
  batch?: number;
  losses?: [number, number];
  error?: string;
}

export async function benchReference(lib: Lib, model: ReferenceModel, steps: number): Promise<ModelResult> {
  const s = referenceStep(model);
  try {
    let losses: [number, number] = [NaN, NaN];
    const timing = await timeSteps(async () => { losses = await s.step(); }, steps);
    if (!losses.every(Number.isFinite)) throw new Error(`non-finite losses ${losses}`);
    return { model, description: s.description, batch: s.batch, ...timing, losses };
  } finally {
    s.dispose();
  }
}

/** The library's own models through its train() loop (what the notebooks run). */
const LIBRARY: Record<ReferenceModel, { generator: (lib: Lib) => Net; discriminator: (lib: Lib) => Net; batch: number; train: Partial<TrainConfig> }> = {
  mlp: { generator: (l) => l.mlpGenerator({ seed: 1 }), discriminator: (l) => l.mlpDiscriminator({ seed: 2 }), batch: 256, train: {} },
  dcgan: { generator: (l) => l.dcganGenerator({ seed: 1 }), discriminator: (l) => l.dcganDiscriminator({ seed: 2 }), batch: 64, train: {} },
  residual: {
    generator: (l) => l.residualGenerator({ seed: 1 }), discriminator: (l) => l.residualDiscriminator({ seed: 2 }), batch: 32,
    train: { loss: 'relativisticPaired', penalties: { r1: 1, r2: 1 } },
  },
  gru: { generator: (l) => l.gruGenerator({ seed: 1 }), discriminator: (l) => l.gruDiscriminator({ seed: 2 }), batch: 64, train: {} },
};

export async function benchLibrary(lib: Lib, model: ReferenceModel, steps: number): Promise<ModelResult> {
  const spec = LIBRARY[model];
  const { tf } = lib;
  const G = spec.generator(lib);
  const D = spec.discriminator(lib);
  const shape = (s: readonly number[] | undefined, what: string) => {
    if (!s) throw new Error(`${what} does not declare its input shape`);
    return s.map((d) => (d < 0 ? 24 : d));
  };
  const latentShape = shape(G.inputShape, G.name);
  const dataShape = shape(D.inputShape, D.name);
  const sampleReal = (n: number) => tf.tidy(() => tf.tanh(tf.randomNormal([n, ...dataShape])));
  const sampleLatent = (n: number) => tf.randomNormal([n, ...latentShape]);
  const run = async (n: number) => {
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    await lib.train({ generator: G, discriminator: D, sampleReal, sampleLatent, batchSize: spec.batch, steps: n, logEvery: n, stopOnInterrupt: false, ...spec.train });
    const cpu = process.cpuUsage(cpu0);
    return { ms: performance.now() - t, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  try {
    await run(2);
    const r = await run(steps);
    const ms = r.ms / steps;
    return {
      model: `${model}-library`, description: `library ${G.name} + ${D.name} through train()`, batch: spec.batch, steps,
      msPerStep: { min: ms, median: ms, mean: ms }, stepsPerSecond: 1000 / ms, cpuMsPerStep: r.cpuMs / steps,
    };
  } finally {
    G.dispose?.();
    D.dispose?.();
  }
}

