// float64 references for bias add and its backward.
export function biasForwardRef(inp: Float64Array, bias: Float64Array): Float64Array {
  return inp.map((v, i) => v + bias[i % bias.length]);
}

export function biasBackwardRef(dout: Float64Array, N: number): Float64Array {
  const d = new Float64Array(N);
  for (let i = 0; i < dout.length; i++) d[i % N] += dout[i];
  return d;
}
