/**
 * The linear-programming engine behind the transport problems: HiGHS (University of
 * Edinburgh), compiled to WebAssembly by the `highs` npm package (MIT). It is loaded once,
 * on first use, and models are passed as CPLEX LP text.
 */

/** What the transport code needs from a HiGHS solve (a subset of its result). */
export interface LpSolution {
  status: string;
  objective: number;
  /** Primal value of every column, by name. */
  columns: Record<string, number>;
}

interface HighsColumn {
  Primal: number;
}
interface HighsResult {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, HighsColumn>;
}
interface HighsInstance {
  solve(problem: string, options?: Record<string, unknown>): HighsResult;
}

let loading: Promise<HighsInstance> | null = null;

function loadHighs(): Promise<HighsInstance> {
  if (loading === null) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const loader = require('highs') as () => Promise<HighsInstance>;
    loading = loader();
  }
  return loading;
}

/** Formats a coefficient for LP text: full precision, explicit sign. */
export function lpTerm(coef: number, variable: string, first = false): string {
  const sign = coef < 0 ? '-' : '+';
  const mag = Math.abs(coef);
  const body = `${mag.toPrecision(17)} ${variable}`;
  return first && sign === '+' ? body : `${sign} ${body}`;
}

/**
 * Solves an LP given as CPLEX LP text and throws unless HiGHS reports an optimum.
 * Tight tolerances: the course compares primal and dual optima to solver precision.
 */
export async function solveLp(problem: string, who: string): Promise<LpSolution> {
  const highs = await loadHighs();
  const r = highs.solve(problem, {
    output_flag: false,
    primal_feasibility_tolerance: 1e-10,
    dual_feasibility_tolerance: 1e-10,
  });
  if (r.Status !== 'Optimal') throw new Error(`${who}: the LP solver ended with status "${r.Status}", not an optimum`);
  const columns: Record<string, number> = {};
  for (const [name, col] of Object.entries(r.Columns)) columns[name] = col.Primal;
  return { status: r.Status, objective: r.ObjectiveValue, columns };
}
