/**
 * Cell checksums, computed as nbgrader computes them (`compute_checksum` in nbgrader/utils.py,
 * https://github.com/jupyter/nbgrader/blob/main/nbgrader/utils.py), so nbgrader accepts the
 * notebooks `assign` writes and `grade` recognises cells nbgrader released:
 *
 *   md5( utf8(source) + utf8(cell_type) + "True"/"False" for is_grade, is_solution, is_locked
 *        + utf8(grade_id) + (grade cells only) Python's str(float(points)) )  as lowercase hex.
 */
import { createHash } from 'crypto';
import { Cell } from '../runner';
import { cellText, isGrade, isLocked, isSolution, nbgraderMeta } from './nbgrader-cell';

/** Python's `str(x)` for a float: shortest round-trip digits, `2.0` not `2`, `1e-05`, `1e+16`. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without digits gives the shortest digits that round-trip, like Python's repr.
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  if (exp < -4 || exp >= 16) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}

const pyBool = (b: boolean) => (b ? 'True' : 'False');

export function computeChecksum(cell: Cell): string {
  const meta = nbgraderMeta(cell);
  if (!meta || typeof meta.grade_id !== 'string') {
    throw new Error('computeChecksum: the cell has no nbgrader grade_id');
  }
  const h = createHash('md5');
  h.update(cellText(cell), 'utf8');
  h.update(cell.cell_type, 'utf8');
  h.update(pyBool(isGrade(cell)));
  h.update(pyBool(isSolution(cell)));
  h.update(pyBool(isLocked(cell)));
  h.update(meta.grade_id, 'utf8');
  if (isGrade(cell)) h.update(pythonFloatRepr(Number(meta.points)));
  return h.digest('hex');
}
