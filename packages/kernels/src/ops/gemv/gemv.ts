// Matrix-vector products for the decode step (M ≤ 8 rows): see gemv.nn.wgsl and gemv.nt.wgsl. matmul() stays
// the kernel for everything else; generation calls gemv when its shapes allow (`gemvFits`).
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const PARAMS = { K: 'u32', N: 'u32', hasBias: 'u32' } as const;
const nn = opKernel(import.meta.url, 'gemv.nn', PARAMS);
const nt = opKernel(import.meta.url, 'gemv.nt', PARAMS);

export const GEMV_MAX_ROWS = 8;

/** Whether gemv takes (M, N, K) in this layout: few rows, K (and N for (K, N) weights) a multiple of 4. */
export function gemvFits(M: number, N: number, K: number, transB: boolean): boolean {
  return M >= 1 && M <= GEMV_MAX_ROWS && K % 4 === 0 && (transB || N % 4 === 0);
}

/**
 * y (M, N) = x (M, K) · op(W) (+ bias (N)). W is (K, N), or (N, K) with transB. Every tensor must start on a
 * 16-byte boundary (pool buffers and parameter views do).
 */
export function gemv(
  s: Step,
  y: Tensor,
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  { M, N, K }: { M: number; N: number; K: number },
  { transB = false } = {},
): void {
  if (!gemvFits(M, N, K, transB))
    throw new Error(
      `gemv: M=${M} N=${N} K=${K} (transB ${transB}) needs M <= 8, K % 4 = 0 and, for (K, N) weights, N % 4 = 0`,
    );
  if (x.size !== M * K) throw new Error(`gemv: x ${x.label} has ${x.size} elements, want M·K = ${M * K}`);
  if (w.size !== N * K) throw new Error(`gemv: W ${w.label} has ${w.size} elements, want N·K = ${N * K}`);
  if (y.size !== M * N) throw new Error(`gemv: y ${y.label} has ${y.size} elements, want M·N = ${M * N}`);
  if (bias && bias.size !== N)
    throw new Error(`gemv: bias ${bias.label} has ${bias.size} elements, want N=${N}`);
  for (const t of [x, w]) if (t.offset % 16) throw new Error(`gemv: ${t.label} is not 16-byte aligned`);
  s.dispatch(
    transB ? nt : nn,
    { K, N, hasBias: bias ? 1 : 0 },
    // Without a bias, x stands in for the unread bias binding (read-only aliasing is allowed).
    [y, x, w, bias ?? x],
    grid1d(transB ? N : N / 4, 64),
    { M },
  );
}
