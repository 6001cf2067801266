/**
 * The marker lines of nbgrader's format. As in nbgrader (ClearSolutions, ClearHiddenTests),
 * a line is a marker when it CONTAINS the marker text, whatever else is on it (here `//`).
 */
import { SOLUTION_STUB_LINES } from 'kernel-helpers/dist/exercises/notImplemented';

export const BEGIN_SOLUTION = 'BEGIN SOLUTION';
export const END_SOLUTION = 'END SOLUTION';
export const BEGIN_HIDDEN_TESTS = 'BEGIN HIDDEN TESTS';
export const END_HIDDEN_TESTS = 'END HIDDEN TESTS';

export { SOLUTION_STUB_LINES };

export interface MarkerPair {
  begin: string;
  end: string;
}
export const SOLUTION_MARKERS: MarkerPair = { begin: BEGIN_SOLUTION, end: END_SOLUTION };
export const HIDDEN_TEST_MARKERS: MarkerPair = { begin: BEGIN_HIDDEN_TESTS, end: END_HIDDEN_TESTS };

export interface Region {
  /** 1-based line numbers of the marker lines. */
  beginLine: number;
  endLine: number;
  /** Leading whitespace of the begin line: the stub is indented like it. */
  indent: string;
}

export interface MarkerScan {
  regions: Region[];
  /** Sentences naming the line, e.g. "line 4: END SOLUTION without BEGIN SOLUTION". */
  problems: string[];
}

/** Finds the regions delimited by `markers`, and what is unbalanced. */
export function scanMarkers(source: string, markers: MarkerPair): MarkerScan {
  const lines = source.split('\n');
  const regions: Region[] = [];
  const problems: string[] = [];
  let open: { line: number; indent: string } | null = null;
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.includes(markers.begin)) {
      if (open) problems.push(`line ${n}: ${markers.begin} inside the region opened on line ${open.line} (nested or missing ${markers.end})`);
      else open = { line: n, indent: /^\s*/.exec(line)![0] };
    } else if (line.includes(markers.end)) {
      if (!open) problems.push(`line ${n}: ${markers.end} without a ${markers.begin} before it`);
      else {
        regions.push({ beginLine: open.line, endLine: n, indent: open.indent });
        open = null;
      }
    }
  });
  if (open) problems.push(`line ${(open as { line: number }).line}: ${markers.begin} is never closed by ${markers.end}`);
  return { regions, problems };
}

function assertBalanced(source: string, markers: MarkerPair): MarkerScan {
  const scan = scanMarkers(source, markers);
  if (scan.problems.length) throw new Error(scan.problems.join('; '));
  return scan;
}

/** Replaces each solution region (marker lines included) by the stub, indented like its BEGIN line. */
export function replaceSolutions(source: string, stub: readonly string[] = SOLUTION_STUB_LINES): string {
  const { regions } = assertBalanced(source, SOLUTION_MARKERS);
  return spliceRegions(source, regions, (r) => stub.map((l) => r.indent + l));
}

/** Drops each hidden-test region, marker lines included. */
export function removeHiddenTests(source: string): string {
  const { regions } = assertBalanced(source, HIDDEN_TEST_MARKERS);
  return spliceRegions(source, regions, () => []);
}

function spliceRegions(source: string, regions: Region[], replacement: (r: Region) => string[]): string {
  if (regions.length === 0) return source;
  const lines = source.split('\n');
  const out: string[] = [];
  let r = 0;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const region = regions[r];
    if (region && n === region.beginLine) out.push(...replacement(region));
    if (region && n >= region.beginLine && n <= region.endLine) {
      if (n === region.endLine) r++;
      continue;
    }
    out.push(lines[i]);
  }
  return out.join('\n');
}
