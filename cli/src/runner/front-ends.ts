/** Which Jupyter front ends are installed (`jupyter lab`, `jupyter notebook`, `jupyter nbconvert`). */
import { spawnSync } from 'child_process';
import { jupyterEnv } from './kernelspec';

export type FrontEnd = 'lab' | 'notebook' | 'nbconvert';

export interface FrontEndInfo {
  name: FrontEnd;
  /** Version string, or null when not installed. */
  version: string | null;
}

/** Runs `jupyter <sub> --version`; null when jupyter or the subcommand is missing. */
export function jupyterVersion(sub: FrontEnd): string | null {
  const r = spawnSync('jupyter', [sub, '--version'], { encoding: 'utf8', timeout: 30_000, env: jupyterEnv() });
  if (r.error || r.status !== 0) return null;
  const line = (r.stdout || r.stderr).trim().split('\n').pop() ?? '';
  return line === '' ? 'unknown version' : line;
}

export function frontEnds(): FrontEndInfo[] {
  return (['lab', 'notebook', 'nbconvert'] as FrontEnd[]).map((name) => ({ name, version: jupyterVersion(name) }));
}
