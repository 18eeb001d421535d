// Backward of the masked mean-pool: dh[b, t, c] (+)= mask[b, t]·dout[b, c] / max(1, Σ_t mask[b, t]).
// Params, dh, dout and main come from pool.backward.common.wgsl.
@group(0) @binding(3) var<storage, read> mask: array<u32>;

fn pooledGrad(b: u32, t: u32, d: f32) -> f32 {
  var n = 0u;
  for (var k = 0u; k < p.T; k++) { n += select(0u, 1u, mask[b * p.T + k] != 0u); }
  return select(0.0, d / f32(max(n, 1u)), mask[b * p.T + t] != 0u);
}
