// float64 references for the token + position embedding.
export function embeddingRef(
  inp: ArrayLike<number>,
  wte: Float64Array,
  wpe: Float64Array,
  T: number,
  C: number,
) {
  const out = new Float64Array(inp.length * C);
  for (let bt = 0; bt < inp.length; bt++)
    for (let c = 0; c < C; c++) out[bt * C + c] = wte[inp[bt] * C + c] + wpe[(bt % T) * C + c];
  return out;
}

export function embeddingBackwardRef(
  inp: ArrayLike<number>,
  dout: Float64Array,
  V: number,
  T: number,
  C: number,
) {
  const dwte = new Float64Array(V * C);
  const dwpe = new Float64Array(T * C);
  for (let bt = 0; bt < inp.length; bt++)
    for (let c = 0; c < C; c++) {
      dwte[inp[bt] * C + c] += dout[bt * C + c];
      dwpe[(bt % T) * C + c] += dout[bt * C + c];
    }
  return { dwte, dwpe };
}
