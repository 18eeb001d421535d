// float64 references for LayerNorm forward and backward (llm.c's CPU version, in double).

export function layernormForwardRef(
  inp: Float64Array,
  weight: Float64Array,
  bias: Float64Array,
  N: number,
  C: number,
  eps = 1e-5,
) {
  const out = new Float64Array(N * C);
  const mean = new Float64Array(N);
  const rstd = new Float64Array(N);
  for (let r = 0; r < N; r++) {
    let m = 0;
    for (let c = 0; c < C; c++) m += inp[r * C + c];
    m /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (inp[r * C + c] - m) ** 2;
    const s = 1 / Math.sqrt(v / C + eps);
    for (let c = 0; c < C; c++) out[r * C + c] = (inp[r * C + c] - m) * s * weight[c] + bias[c];
    mean[r] = m;
    rstd[r] = s;
  }
  return { out, mean, rstd };
}

export function layernormBackwardRef(
  dout: Float64Array,
  inp: Float64Array,
  weight: Float64Array,
  N: number,
  C: number,
  eps = 1e-5,
) {
  const { mean, rstd } = layernormForwardRef(inp, weight, new Float64Array(C), N, C, eps);
  const dinp = new Float64Array(N * C);
  const dweight = new Float64Array(C);
  const dbias = new Float64Array(C);
  for (let r = 0; r < N; r++) {
    let a = 0;
    let b = 0;
    for (let c = 0; c < C; c++) {
      const norm = (inp[r * C + c] - mean[r]) * rstd[r];
      const dnorm = dout[r * C + c] * weight[c];
      a += dnorm;
      b += dnorm * norm;
    }
    a /= C;
    b /= C;
    for (let c = 0; c < C; c++) {
      const norm = (inp[r * C + c] - mean[r]) * rstd[r];
      dinp[r * C + c] = (dout[r * C + c] * weight[c] - a - norm * b) * rstd[r];
      dweight[c] += dout[r * C + c] * norm;
      dbias[c] += dout[r * C + c];
    }
  }
  return { dinp, dweight, dbias };
}
