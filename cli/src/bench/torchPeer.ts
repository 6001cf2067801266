/** The benchmark's PyTorch peer: torch_reference.py (beside this file) run by Debian's python3-torch. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { ModelResult } from './measure';
import type { ReferenceModel } from './referenceSteps';

export interface TorchReport {
  available: boolean;
  reason?: string;
  python?: string;
  torch?: string;
  threads?: number;
  results?: ModelResult[];
}

function findTorchPython(): { python: string } | { reason: string } {
  const candidates = [process.env.GAN_COURSE_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60000 });
    if (r.status === 0) return { python: py };
  }
  return { reason: 'no python3 with torch (Debian: apt install python3-torch libopenblas0-pthread)' };
}

export function runTorch(models: readonly ReferenceModel[], steps: number, threads: number): TorchReport {
  const wanted = models.filter((m) => m === 'mlp' || m === 'dcgan');
  if (!wanted.length) return { available: false, reason: 'no model with a PyTorch twin selected (mlp, dcgan)' };
  const script = path.resolve(__dirname, '..', '..', 'src', 'bench', 'torch_reference.py');
  if (!fs.existsSync(script)) return { available: false, reason: `${script} not found` };
  const py = findTorchPython();
  if ('reason' in py) return { available: false, reason: py.reason };
  const r = spawnSync(py.python, [script, '--steps', String(steps), '--models', wanted.join(','), '--threads', String(threads)], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
    timeout: 30 * 60 * 1000,
  });
  if (r.status !== 0) return { available: false, python: py.python, reason: `torch_reference.py failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0]}` };
  const out = JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]) as { torch: string; threads: number; results: ModelResult[] };
  return { available: true, python: py.python, torch: out.torch, threads: out.threads, results: out.results };
}

