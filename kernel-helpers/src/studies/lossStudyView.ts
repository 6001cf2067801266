/**
 * The table and charts chapter 5 shows for a loss study, the notebook's own run and the
 * shipped full record alike: mean ± standard deviation over seeds where there are several.
 */
import { barChart } from '../plot/barChart';
import { chartGrid } from '../plot/chartGrid';
import type { VegaLiteSpec } from '../plot/types';
import type { StudyCell } from './lossStudy';
import type { ToyTaskName } from './toyTasks';

type Stat = { mean: number; std: number };

function pm(m: Stat, digits: number, spread: boolean): string {
  if (!Number.isFinite(m.mean)) return '-';
  return spread ? `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}` : m.mean.toFixed(digits);
}

/** One row per (task, loss, constraint): modes hit, quality share and W1, with spread when seeds > 1. */
export function lossStudyTable(cells: readonly StudyCell[]): Record<string, string | number>[] {
  return cells.map((c) => {
    const spread = c.runs > 1;
    return {
      task: c.task, loss: c.loss, constraint: c.constraint,
      'modes hit': pm(c.modesHit, 1, spread), quality: pm(c.highQualityShare, 3, spread), W1: pm(c.w1, 3, spread),
      seeds: c.runs, failed: c.failed,
    };
  });
}

/**
 * Side-by-side bar charts of one task: modes hit (not for the Swiss roll, which has no modes),
 * quality and W1 to the data, bars grouped by constraint, error bars of one standard deviation
 * over seeds.
 */
export function lossStudyCharts(cells: readonly StudyCell[], task: ToyTaskName): VegaLiteSpec {
  const mine = cells.filter((c) => c.task === task);
  if (mine.length === 0) throw new Error(`lossStudyCharts: no cells for task '${task}'`);
  const bars = (pick: (c: StudyCell) => Stat, title: string) => barChart(
    mine.filter((c) => Number.isFinite(pick(c).mean)).map((c) => ({
      label: c.loss, value: pick(c).mean, group: c.constraint, ...(c.runs > 1 ? { error: pick(c).std } : {}),
    })),
    { title: `${task}: ${title}`, horizontal: true, width: 200, height: 260 });
  const specs = [bars((c) => c.w1, 'W1 to data (lower is better)'), bars((c) => c.highQualityShare, 'quality')];
  if (task !== 'swissRoll') specs.unshift(bars((c) => c.modesHit, 'modes hit'));
  return chartGrid(specs);
}
