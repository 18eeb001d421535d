// float64 references for GELU (tanh form).
const S = Math.sqrt(2 / Math.PI);

export function geluRef(x: Float64Array): Float64Array {
  return x.map((v) => 0.5 * v * (1 + Math.tanh(S * (v + 0.044715 * v ** 3))));
}

export function geluBackwardRef(x: Float64Array, dout: Float64Array): Float64Array {
  return x.map((v, i) => {
    const th = Math.tanh(S * (v + 0.044715 * v ** 3));
    return (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * S * (1 + 3 * 0.044715 * v * v)) * dout[i];
  });
}
