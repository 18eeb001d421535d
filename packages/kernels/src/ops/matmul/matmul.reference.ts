// float64 reference: C (+)= op(A) · op(B) (+ bias), one batch.
export function matmulRef(
  a: Float64Array,
  b: Float64Array,
  bias: Float64Array | null,
  { M, N, K }: { M: number; N: number; K: number },
  { transA = false, transB = false } = {},
): Float64Array {
  const c = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = bias ? bias[n] : 0;
      for (let k = 0; k < K; k++) {
        const av = transA ? a[k * M + m] : a[m * K + k];
        const bv = transB ? b[n * K + k] : b[k * N + n];
        s += av * bv;
      }
      c[m * N + n] = s;
    }
  }
  return c;
}
