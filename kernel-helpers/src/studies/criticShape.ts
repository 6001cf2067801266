/**
 * How "simple" a critic is on the plane: the share of its variation over a grid that the
 * best affine function a x + b y + c explains (R^2 of a least-squares plane fit). A
 * weight-clipped critic tends to be close to such a plane (R^2 near 1) - the capacity
 * loss that Gulrajani et al. (2017) point out - while GP/SN critics bend around the modes.
 */
export function affineFitShare(grid: { xs: number[]; ys: number[]; z: number[][] }): number {
  if (grid.z.length !== grid.ys.length || grid.z.some((row) => row.length !== grid.xs.length)) {
    throw new Error('affineFitShare: grid.z must have ys.length rows of xs.length values');
  }
  // Normal equations of z ~ a x + b y + c over the grid points.
  const S = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const t = [0, 0, 0];
  let n = 0;
  let zs = 0;
  grid.ys.forEach((y, j) =>
    grid.xs.forEach((x, i) => {
      const z = grid.z[j][i];
      const f = [x, y, 1];
      for (let p = 0; p < 3; p++) {
        t[p] += f[p] * z;
        for (let q = 0; q < 3; q++) S[p][q] += f[p] * f[q];
      }
      n++;
      zs += z;
    }),
  );
  const coef = solve3(S, t);
  const mean = zs / n;
  let ssRes = 0;
  let ssTot = 0;
  grid.ys.forEach((y, j) =>
    grid.xs.forEach((x, i) => {
      const z = grid.z[j][i];
      const fit = coef[0] * x + coef[1] * y + coef[2];
      ssRes += (z - fit) ** 2;
      ssTot += (z - mean) ** 2;
    }),
  );
  return ssTot === 0 ? 1 : 1 - ssRes / ssTot;
}

/** Solves a 3x3 system by Cramer's rule (the grid's normal equations are well conditioned). */
function solve3(A: number[][], b: number[]): number[] {
  const det = (M: number[][]) =>
    M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
  const d = det(A);
  if (Math.abs(d) < 1e-300) throw new Error('affineFitShare: the grid is degenerate (needs at least 2 distinct x and y values)');
  return [0, 1, 2].map((k) => det(A.map((row, i) => row.map((v, j) => (j === k ? b[i] : v)))) / d);
}
