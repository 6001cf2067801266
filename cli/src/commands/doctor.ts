/** `gan-course doctor`: what this machine has for the course (node, kernel, Jupyter, backend, GPU). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  KernelSession,
  frontEnds,
  kernelSpecWorks,
  localJupyterDir,
  projectRoot,
  readKernelSpec,
  tslabBin,
  userJupyterDataDir,
} from '../runner';
import { sandboxWorks } from '../grading/sandbox';

export const summary = 'report node, tslab, kernelspec, Jupyter front ends, compute backend and GPU';

type Level = 'ok' | 'warn' | 'fail';
const mark: Record<Level, string> = { ok: ' ok ', warn: 'warn', fail: 'FAIL' };

function report(level: Level, what: string, detail: string): Level {
  console.log(`[${mark[level]}] ${what.padEnd(12)} ${detail}`);
  return level;
}

function nvidiaGpus(): string[] | null {
  const r = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return null;
  return r.stdout.trim().split('\n').filter((l) => l.trim() !== '');
}

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: gan-course doctor\n\n' + summary);
    return 0;
  }
  const root = projectRoot();
  const levels: Level[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  levels.push(report(major >= 20 ? 'ok' : 'fail', 'node', `${process.version} (${process.execPath})${major >= 20 ? '' : ': the course needs Node 20 or newer'}`));

  let tslab: string | null = null;
  try {
    tslab = tslabBin(root);
    const version = JSON.parse(fs.readFileSync(path.join(path.dirname(tslab), '..', 'package.json'), 'utf8')).version;
    levels.push(report('ok', 'tslab', `${version} (${tslab})`));
  } catch (e) {
    levels.push(report('fail', 'tslab', (e as Error).message));
  }

  const local = readKernelSpec(localJupyterDir(root));
  const user = readKernelSpec(userJupyterDataDir());
  const where = [kernelSpecWorks(local) ? 'project (.jupyter-local)' : null, kernelSpecWorks(user) ? `user (${userJupyterDataDir()})` : null].filter(Boolean);
  levels.push(
    report(
      where.length > 0 ? 'ok' : 'warn',
      'kernelspec',
      where.length > 0 ? `tslab registered: ${where.join(', ')}` : "tslab not registered: run 'npm start' or 'node cli/dist/main.js kernel install --user'",
    ),
  );
  if (where.length > 0 && !kernelSpecWorks(user)) console.log("             (VS Code and a plain 'jupyter lab' need 'node cli/dist/main.js kernel install --user')");

  if (tslab) {
    const k = new KernelSession();
    try {
      await k.start({ cwd: path.join(root, 'notebooks'), startTimeoutMs: 60_000 });
      const r = await k.execute('console.log(require.resolve("kernel-helpers"))', { timeoutMs: 30_000 });
      const helpers = r.status === 'ok' ? 'kernel-helpers found' : `kernel-helpers not importable (${r.error?.split('\n')[0]}): run 'npm run build'`;
      levels.push(report(r.status === 'ok' ? 'ok' : 'fail', 'kernel', `starts in ${(k.startMs / 1000).toFixed(1)} s; ${helpers}`));
    } catch (e) {
      levels.push(report('fail', 'kernel', (e as Error).message.split('\n')[0]));
    } finally {
      await k.shutdown();
    }
  }

  const sandbox = sandboxWorks(root);
  levels.push(report(sandbox.ok ? 'ok' : 'warn', 'sandbox', sandbox.ok ? `grading kernels are isolated: ${sandbox.detail}` : `${sandbox.detail}; \`grade\` needs it (or --no-sandbox for a trusted class)`));

  const fes = frontEnds();
  const names: Record<string, string> = { lab: 'JupyterLab', notebook: 'Notebook', nbconvert: 'nbconvert' };
  const found = fes.filter((f) => f.version !== null);
  levels.push(
    report(
      fes.some((f) => f.name !== 'nbconvert' && f.version) ? 'ok' : 'warn',
      'jupyter',
      found.length > 0
        ? found.map((f) => `${names[f.name]} ${f.version}`).join(', ') + (fes[0].version ? '' : "; for JupyterLab: pip install jupyterlab plotly")
        : "none found (the course still runs headless); to use it interactively: pip install jupyterlab plotly",
    ),
  );

  let gpuInUse = false;
  let gpuBackend = 'tfjs-node-gpu';
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const helpers = require('kernel-helpers');
    if (typeof helpers.initBackend !== 'function') {
      levels.push(report('warn', 'backend', 'kernel-helpers has no initBackend yet'));
    } else {
      const info = await helpers.initBackend({ quiet: true });
      gpuInUse = Boolean(info.gpu);
      gpuBackend = info.name;
      levels.push(report('ok', 'backend', info.line ?? info.name));
      if (info.name === 'wasm' && typeof helpers.nativeBlasStatus === 'function') {
        const native = helpers.nativeBlasStatus() as { active: boolean; reason: string };
        levels.push(native.active
          ? report('ok', 'native BLAS', 'products and convolutions run on OpenBLAS, in place on the wasm heap')
          : report('warn', 'native BLAS', `${native.reason}; training runs on the wasm kernels alone, about 2x slower for conv nets`));
      }
      if (typeof helpers.probeWebgpu === 'function') levels.push(await webgpuLine(helpers, info));
    }
  } catch (e) {
    levels.push(report('fail', 'backend', `cannot load kernel-helpers or start a backend: ${(e as Error).message.split('\n')[0]}`));
  }

  const gpus = nvidiaGpus();
  if (gpus === null) report('ok', 'gpu', 'no NVIDIA GPU found (nvidia-smi not available); training runs on the CPU');
  else if (gpuInUse) report('ok', 'gpu', `${gpus.join('; ')}: in use by ${gpuBackend}`);
  else
    levels.push(
      report('warn', 'gpu', `${gpus.join('; ')} present but NOT used: webgpu needs the driver's Vulkan (libvulkan1), tfjs-node-gpu 4.22 needs CUDA 11.2 + cuDNN 8.1 (see README, GPU)`),
    );

  console.log(`\n${os.cpus().length} CPU cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB memory`);
  return levels.includes('fail') ? 1 : 0;
}

/** The webgpu adapter (the one in use, or the one a forced webgpu would take) and its main limits. */
async function webgpuLine(helpers: { probeWebgpu(): Promise<{ ok: boolean; reason: string; adapter?: { name: string; software: boolean; limits: Record<string, number> } }> }, info: { name: string; adapter?: unknown }): Promise<Level> {
  const probe = info.name === 'webgpu' && info.adapter ? { ok: true, reason: '', adapter: info.adapter as { name: string; software: boolean; limits: Record<string, number> } } : await helpers.probeWebgpu();
  if (!probe.adapter) return report('warn', 'webgpu', probe.reason);
  const a = probe.adapter;
  const mib = (k: string) => `${Math.round((a.limits[k] ?? 0) / 2 ** 20)} MiB`;
  const limits = `max buffer ${mib('maxBufferSize')}, storage binding ${mib('maxStorageBufferBindingSize')}, workgroup storage ${a.limits.maxComputeWorkgroupStorageSize} B, ` +
    `${a.limits.maxComputeInvocationsPerWorkgroup} invocations/workgroup, ${a.limits.maxStorageBuffersPerShaderStage} storage buffers/stage`;
  const what = a.software ? 'software adapter: GAN_COURSE_BACKEND=webgpu uses it, for correctness only' : (info.name === 'webgpu' ? 'in use' : 'usable');
  return report(probe.ok ? (a.software ? 'warn' : 'ok') : 'warn', 'webgpu', `${a.name} (${what}${probe.reason ? `; ${probe.reason}` : ''}); ${limits}`);
}
