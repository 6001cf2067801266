/**
 * The matrix product the fused recurrences (gruRecurrence.ts, lstmRecurrence.ts) run at each
 * time step, on operands laid out in one Float32Array: OpenBLAS through the course's native
 * module where it is built (backend/nativeBlas.ts), else plain loops. Same signature as the
 * native `sgemm`: C[M,N] (+)= op(A) op(B), offsets in floats, row-major, op(A) = A^T when
 * `transA` (A stored [K, M]), op(B) = B^T when `transB` (B stored [N, K]).
 */
import { nativeBlas } from '../backend/nativeBlas';

export type Gemm = (heap: Float32Array, a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number) => void;

function loopGemm(h: Float32Array, a: number, b: number, c: number, M: number, N: number, K: number, transA: number, transB: number, accumulate: number): void {
  for (let i = 0; i < M; i++) {
    const row = c + i * N;
    if (!accumulate) h.fill(0, row, row + N);
    for (let k = 0; k < K; k++) {
      const av = h[transA ? a + k * M + i : a + i * K + k];
      if (av === 0) continue;
      if (transB) for (let j = 0; j < N; j++) h[row + j] += av * h[b + j * K + k];
      else {
        const bRow = b + k * N;
        for (let j = 0; j < N; j++) h[row + j] += av * h[bRow + j];
      }
    }
  }
}

/** The product to use now: OpenBLAS when the native module is loaded and enabled, else loops. */
export function recurrenceGemm(): Gemm {
  const native = nativeBlas();
  return native ? (h, a, b, c, M, N, K, ta, tb, acc) => native.sgemm(h, a, b, c, M, N, K, ta, tb, acc) : loopGemm;
}

/** The loop version alone (tests compare the two). */
export const loopRecurrenceGemm: Gemm = loopGemm;
