// float64 reference for residual add.
export function residualForwardRef(inp1: Float64Array, inp2: Float64Array): Float64Array {
  return inp1.map((v, i) => v + inp2[i]);
}
