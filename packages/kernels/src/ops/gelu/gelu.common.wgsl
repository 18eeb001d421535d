// GELU's shared pieces (gelu.ts includes this file in the forward and the backward kernel).
const S = 0.7978845608028654; // √(2/π)

// tanh through exp overflows to inf/inf = NaN on some implementations for large |u|; tanh(±15) is ±1 in f32.
fn tanhSafe(u: f32) -> f32 { return tanh(clamp(u, -15.0, 15.0)); }

// erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: about f32's resolution of values near 1). WGSL has none.
fn erfApprox(z: f32) -> f32 {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(-y, y, z >= 0.0);
}
