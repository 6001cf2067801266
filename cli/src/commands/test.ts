/** `gan-course test`: the whole test suite (unit tests, then the notebooks in quick mode). */
import { spawnSync } from 'child_process';
import * as path from 'path';

export const summary = 'run the test suite: unit tests, then every notebook in quick mode';

export async function main(args: string[]): Promise<number> {
  const root = path.join(__dirname, '..', '..', '..');
  const unit = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-unit-tests.js'), ...args], {
    stdio: 'inherit',
    cwd: root,
  });
  return unit.status ?? 1;
}
