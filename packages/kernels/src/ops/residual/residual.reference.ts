// float64 reference for residual add.
export function residualForwardRef(inp1: Float64Array, inp2: Float64Array): Float64Array {
  return inp1.map((v, i) => v + inp2[i]);
}

/** Backward of out = inp1 + inp2: both input gradients equal dout. */
export function residualBackwardRef(dout: Float64Array): { dinp1: Float64Array; dinp2: Float64Array } {
  return { dinp1: dout.slice(), dinp2: dout.slice() };
}
