// float64 references for SwiGLU: out = silu(gate) · up.
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function swigluRef(gate: Float64Array, up: Float64Array): Float64Array {
  return gate.map((g, i) => g * sigmoid(g) * up[i]);
}

export function swigluBackwardRef(dout: Float64Array, gate: Float64Array, up: Float64Array) {
  const dgate = gate.map((g, i) => {
    const s = sigmoid(g);
    return dout[i] * up[i] * s * (1 + g * (1 - s));
  });
  const dup = gate.map((g, i) => dout[i] * g * sigmoid(g));
  return { dgate, dup };
}
