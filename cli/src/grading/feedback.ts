/**
 * The feedback notebook a student gets back: what was run (their code, the tests without the
 * hidden ones), the outputs, a score table at the top and a verdict after each test cell.
 */
import { Cell, Notebook, toLines } from '../runner';
import { MergedNotebook } from './merge-submission';
import { CellRun } from './run-graded';
import { ExerciseResult } from './score';

function markdown(text: string, id: string): Cell {
  return { cell_type: 'markdown', id, metadata: {}, source: toLines(text) };
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function feedbackNotebook(merged: MergedNotebook, runs: CellRun[], results: ExerciseResult[], notes: string[]): Notebook {
  const total = results.reduce((s, r) => s + r.points, 0);
  const max = results.reduce((s, r) => s + r.max, 0);
  const student = results[0]?.student ?? '';
  const rows = results.map((r) => `| \`${r.exercise}\` | ${r.points} / ${r.max} | ${r.status} | ${escapeCell(r.message)} |`);
  const summary = [
    `# Feedback${student ? ` for ${student}` : ''}: ${total} / ${max} points`,
    '',
    'Each exercise is scored by whether its test cell ran without an error. Hidden tests are not shown; their messages are.' +
      (runs.some((r) => r.status === 'skipped') ? ' Cells after the last test cell were not run (they cannot change a score).' : ''),
    '',
    '| exercise | points | status | message |',
    '|---|---|---|---|',
    ...rows,
    ...(notes.length ? ['', '**Notes:**', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');

  const byId = new Map(results.map((r) => [r.exercise, r]));
  const cells: Cell[] = [markdown(summary, 'feedback-summary')];
  merged.nb.cells.forEach((c, i) => {
    const cell: Cell = JSON.parse(JSON.stringify(c));
    cell.source = toLines(merged.feedbackSources[i]);
    if (cell.cell_type === 'code') {
      cell.outputs = runs[i]?.outputs ?? [];
      if (runs[i] && !['ok', 'error', 'skipped'].includes(runs[i].status) && runs[i].error) {
        cell.outputs = [...cell.outputs, { output_type: 'stream', name: 'stderr', text: toLines(runs[i].error + '\n') }];
      }
    }
    cells.push(cell);
    const role = merged.roles[i];
    if (role.role === 'test' && role.gradeId) {
      const r = byId.get(role.gradeId);
      if (r) cells.push(markdown(`**\`${r.exercise}\`: ${r.points} / ${r.max} points, ${r.status}.** ${r.message}`, `feedback-${i}`));
    }
  });
  const nb: Notebook = JSON.parse(JSON.stringify({ ...merged.nb, cells: [] }));
  nb.cells = cells;
  return nb;
}
