// float64 references for RMSNorm forward and backward.

export function rmsnormForwardRef(
  inp: Float64Array,
  weight: Float64Array,
  N: number,
  C: number,
  eps: number,
) {
  const out = new Float64Array(N * C);
  const rstd = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let ss = 0;
    for (let c = 0; c < C; c++) ss += inp[n * C + c] ** 2;
    rstd[n] = 1 / Math.sqrt(ss / C + eps);
    for (let c = 0; c < C; c++) out[n * C + c] = inp[n * C + c] * rstd[n] * weight[c];
  }
  return { out, rstd };
}

export function rmsnormBackwardRef(
  dout: Float64Array,
  inp: Float64Array,
  weight: Float64Array,
  N: number,
  C: number,
  eps: number,
) {
  const { rstd } = rmsnormForwardRef(inp, weight, N, C, eps);
  const dinp = new Float64Array(N * C);
  const dweight = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const r = rstd[n];
    let m = 0;
    for (let c = 0; c < C; c++) m += dout[n * C + c] * weight[c] * inp[n * C + c] * r;
    m /= C;
    for (let c = 0; c < C; c++) {
      const i = n * C + c;
      dinp[i] = (dout[i] * weight[c] - inp[i] * r * m) * r;
      dweight[c] += dout[i] * inp[i] * r;
    }
  }
  return { dinp, dweight };
}
