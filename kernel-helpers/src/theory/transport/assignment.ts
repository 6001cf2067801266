/**
 * The assignment problem, min over permutations s of sum_i C[i][s(i)], solved exactly by
 * the Hungarian method in its shortest-augmenting-path form (Kuhn 1955, Munkres 1957;
 * the O(n^3) variant with row and column potentials of Jonker and Volgenant 1987).
 *
 * Why it matters here: between two sets of n equally weighted points the optimal transport
 * plan can be taken to be a permutation (Birkhoff-von Neumann: the extreme points of the
 * transport polytope with uniform marginals are permutation matrices), so W1 between sample
 * sets is an assignment problem, and this solves it much faster than the general LP.
 */
import { checkCostMatrix, checkSquare } from './checks';

export interface Assignment {
  /** assignment[i] = the column matched to row i. */
  assignment: number[];
  /** sum_i C[i][assignment[i]]. */
  cost: number;
}

export function solveAssignment(cost: readonly (readonly number[])[]): Assignment {
  const who = 'solveAssignment';
  checkSquare(who, 'cost', cost);
  const n = cost.length;
  checkCostMatrix(who, 'cost', cost, n, n);
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      C[i * n + j] = cost[i][j];
    }
  }
  return assignFlat(C, n);
}

/**
 * Core on a flat row-major n x n cost array. Indices are 1-based inside, with column 0 as
 * a virtual column holding the row being inserted. Invariant: u[i] + v[j] <= C[i][j] for
 * all pairs, with equality on matched pairs (reduced costs are >= 0), so each augmentation
 * is a Dijkstra-like search over reduced costs and the final matching is optimal.
 */
export function assignFlat(C: Float64Array, n: number): Assignment {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const rowOfCol = new Int32Array(n + 1); // rowOfCol[j]: row matched to column j (0 = free)
  const prevCol = new Int32Array(n + 1); // back-pointers of the augmenting path
  const minReduced = new Float64Array(n + 1);
  const visited = new Uint8Array(n + 1);
  for (let row = 1; row <= n; row++) {
    rowOfCol[0] = row;
    let col0 = 0;
    minReduced.fill(Infinity);
    visited.fill(0);
    do {
      visited[col0] = 1;
      const r = rowOfCol[col0];
      const base = (r - 1) * n - 1;
      let delta = Infinity;
      let col1 = 0;
      for (let j = 1; j <= n; j++) {
        if (visited[j]) continue;
        const reduced = C[base + j] - u[r] - v[j];
        if (reduced < minReduced[j]) {
          minReduced[j] = reduced;
          prevCol[j] = col0;
        }
        if (minReduced[j] < delta) {
          delta = minReduced[j];
          col1 = j;
        }
      }
      // Shift potentials so the cheapest frontier edge becomes tight.
      for (let j = 0; j <= n; j++) {
        if (visited[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else {
          minReduced[j] -= delta;
        }
      }
      col0 = col1;
    } while (rowOfCol[col0] !== 0);
    // Flip the augmenting path.
    do {
      const col1 = prevCol[col0];
      rowOfCol[col0] = rowOfCol[col1];
      col0 = col1;
    } while (col0 !== 0);
  }
  const assignment = new Array<number>(n);
  let total = 0;
  for (let j = 1; j <= n; j++) {
    const i = rowOfCol[j] - 1;
    assignment[i] = j - 1;
    total += C[i * n + (j - 1)];
  }
  return { assignment, cost: total };
}
