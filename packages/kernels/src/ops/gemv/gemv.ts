// Matrix-vector products for the decode step (a few rows): see gemv.nn.wgsl and gemv.nt.wgsl. matmul() stays
// the kernel for everything else; generation calls gemv when its shapes allow (`gemvFits`).
// Rows go in blocks of 8 (one pipeline per block height). A (N, K) weight larger than the adapter's storage
// binding limit (GPT-2's tied LM head, 50257 × 768 f32 = 154 MB, over 128 MB) is bound in blocks of its rows.
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const PARAMS = { K: 'u32', N: 'u32', hasBias: 'u32', ldy: 'u32', yOff: 'u32', xOff: 'u32' } as const;
const nn = opKernel(import.meta.url, 'gemv.nn', PARAMS);
const nt = opKernel(import.meta.url, 'gemv.nt', PARAMS);

/** Rows one dispatch handles. */
export const GEMV_BLOCK_ROWS = 8;
/** Up to this many rows, gemv beats a tiled matmul (a decode step's batch). */
export const GEMV_MAX_ROWS = 8;

/** Whether gemv takes (M, N, K) in this layout: K (and N for (K, N) weights) a multiple of 4. */
export function gemvFits(M: number, N: number, K: number, transB: boolean, maxRows = GEMV_MAX_ROWS): boolean {
  return M >= 1 && M <= maxRows && K % 4 === 0 && (transB || N % 4 === 0);
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
  {
    transB = false,
    maxBindingBytes = s.rt.gpu.limits.maxStorageBufferBindingSize,
  }: {
    transB?: boolean /** Tests set a small one to exercise the row blocks. */;
    maxBindingBytes?: number;
  } = {},
): void {
  if (!gemvFits(M, N, K, transB, Number.POSITIVE_INFINITY))
    throw new Error(
      `gemv: M=${M} N=${N} K=${K} (transB ${transB}) needs K % 4 = 0 and, for (K, N) weights, N % 4 = 0`,
    );
  if (x.size !== M * K) throw new Error(`gemv: x ${x.label} has ${x.size} elements, want M·K = ${M * K}`);
  if (w.size !== N * K) throw new Error(`gemv: W ${w.label} has ${w.size} elements, want N·K = ${N * K}`);
  if (y.size !== M * N) throw new Error(`gemv: y ${y.label} has ${y.size} elements, want M·N = ${M * N}`);
  if (bias && bias.size !== N)
    throw new Error(`gemv: bias ${bias.label} has ${bias.size} elements, want N=${N}`);
  for (const t of [x, w]) if (t.offset % 16) throw new Error(`gemv: ${t.label} is not 16-byte aligned`);
  const limit = maxBindingBytes;
  // Blocks of W's rows (transB) that fit one binding, a multiple of 64 rows so each view starts 256-byte aligned.
  let cols = N;
  if (w.bytes > limit) {
    if (!transB)
      throw new Error(`gemv: W ${w.label} (${w.bytes} bytes) exceeds the storage binding limit (${limit})`);
    cols = Math.floor(limit / (4 * K) / 64) * 64;
  }
  for (let n0 = 0; n0 < N; n0 += cols) {
    const nc = Math.min(cols, N - n0);
    const wb = nc === N ? w : w.view(n0 * K, [nc, K], `${w.label}[rows ${n0}..]`);
    const bb = bias && nc !== N ? bias.view(n0, [nc], `${bias.label}[${n0}..]`) : bias;
    for (let m0 = 0; m0 < M; m0 += GEMV_BLOCK_ROWS) {
      const mb = Math.min(GEMV_BLOCK_ROWS, M - m0);
      s.dispatch(
        transB ? nt : nn,
        { K, N: nc, hasBias: bb ? 1 : 0, ldy: N, yOff: m0 * N + n0, xOff: (m0 * K) / 4 },
        // Without a bias, x stands in for the unread bias binding (read-only aliasing is allowed).
        [y, x, wb, bb ?? x],
        grid1d(transB ? nc : nc / 4, 64),
        { M: mb },
      );
    }
  }
}
