/**
 * nbgrader's per-cell metadata (schema version 3) and the predicates nbgrader uses on it.
 * Reference: nbgrader's docs, "Metadata" (https://nbgrader.readthedocs.io, contributor guide)
 * and `is_grade` / `is_solution` / `is_locked` in nbgrader/utils.py.
 */
import { Cell, sourceText } from '../runner';

export interface NbgraderMeta {
  grade?: boolean;
  solution?: boolean;
  locked?: boolean;
  /** Only on grade cells: what the test cell is worth. */
  points?: number;
  grade_id?: string;
  schema_version?: number;
  /** Written by `assign` (and nbgrader's generate_assignment) on grade, solution and locked cells. */
  checksum?: string;
  /** The cell type at release time, stored next to the checksum as nbgrader does. */
  cell_type?: string;
  task?: boolean;
}

export const SCHEMA_VERSION = 3;

export function nbgraderMeta(cell: Cell): NbgraderMeta | undefined {
  const m = cell.metadata?.nbgrader;
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as NbgraderMeta) : undefined;
}

export function isGrade(cell: Cell): boolean {
  return nbgraderMeta(cell)?.grade === true;
}

export function isSolution(cell: Cell): boolean {
  return nbgraderMeta(cell)?.solution === true;
}

/** As nbgrader: solution cells are never locked, grade cells always are. */
export function isLocked(cell: Cell): boolean {
  const m = nbgraderMeta(cell);
  if (!m) return false;
  if (m.solution === true) return false;
  if (m.grade === true) return true;
  return m.locked === true;
}

/** A test cell: graded code that is not itself a solution. */
export function isTestCell(cell: Cell): boolean {
  return cell.cell_type === 'code' && isGrade(cell) && !isSolution(cell);
}

/** Cells nbgrader tracks by grade_id (and checksums). */
export function isTracked(cell: Cell): boolean {
  return isGrade(cell) || isSolution(cell) || isLocked(cell);
}

export function gradeId(cell: Cell): string | undefined {
  const id = nbgraderMeta(cell)?.grade_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function cellText(cell: Cell): string {
  return sourceText(cell.source);
}
