/**
 * Optimal transport as a linear program (Kantorovich's relaxation of Monge's problem):
 *
 *   min_P  sum_ij C_ij P_ij   subject to   sum_j P_ij = a_i,  sum_i P_ij = b_j,  P_ij >= 0.
 *
 * With the ground metric as the cost, C_ij = d(x_i, y_j), the optimum is the earth mover's
 * (Wasserstein-1) distance between sum_i a_i delta_{x_i} and sum_j b_j delta_{y_j}.
 */
import { checkBalanced, checkCostMatrix, checkMassPerPoint } from './checks';
import { lpTerm, solveLp } from './lpSolver';
import { Coordinates, Metric, costMatrix, euclidean } from './metric';

export interface TransportPlan {
  /** Optimal total cost sum_ij C_ij P_ij. */
  cost: number;
  /** plan[i][j]: mass moved from source i to target j (rows sum to a, columns to b). */
  plan: number[][];
}

const planVar = (i: number, j: number): string => `p_${i}_${j}`;

/** Solves the primal transport LP for a cost matrix C (m x n) and masses a (m), b (n). */
export async function optimalTransportLp(cost: readonly (readonly number[])[], a: readonly number[], b: readonly number[]): Promise<TransportPlan> {
  const who = 'optimalTransportLp';
  checkBalanced(who, ['a', 'b'], a, b);
  checkCostMatrix(who, 'cost', cost, a.length, b.length);
  const m = a.length;
  const n = b.length;
  const lines: string[] = ['Minimize', ' obj:'];
  const obj: string[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) obj.push(lpTerm(cost[i][j], planVar(i, j), obj.length === 0));
  lines[1] += ' ' + obj.join(' ');
  lines.push('Subject To');
  for (let i = 0; i < m; i++) {
    const terms = Array.from({ length: n }, (_, j) => lpTerm(1, planVar(i, j), j === 0));
    lines.push(` src_${i}: ${terms.join(' ')} = ${a[i].toPrecision(17)}`);
  }
  for (let j = 0; j < n; j++) {
    const terms = Array.from({ length: m }, (_, i) => lpTerm(1, planVar(i, j), i === 0));
    lines.push(` dst_${j}: ${terms.join(' ')} = ${b[j].toPrecision(17)}`);
  }
  lines.push('Bounds');
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) lines.push(` ${planVar(i, j)} >= 0`);
  lines.push('End');
  const sol = await solveLp(lines.join('\n'), who);
  const plan = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => Math.max(0, sol.columns[planVar(i, j)] ?? 0)));
  return { cost: sol.objective, plan };
}

/**
 * Earth mover's distance between two weighted point sets: the primal LP with the ground
 * metric as cost. Returns the plan too, so it can be drawn as arrows between the points.
 */
export async function earthMoversDistance(
  xs: readonly Coordinates[],
  a: readonly number[],
  ys: readonly Coordinates[],
  b: readonly number[],
  metric: Metric = euclidean,
): Promise<TransportPlan> {
  const who = 'earthMoversDistance';
  checkMassPerPoint(who, ['xs', 'a'], xs, a);
  checkMassPerPoint(who, ['ys', 'b'], ys, b);
  return optimalTransportLp(costMatrix(xs, ys, metric), a, b);
}
