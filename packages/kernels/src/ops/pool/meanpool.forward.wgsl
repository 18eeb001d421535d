// Masked mean-pool: out[b, c] = Σ_t mask[b, t]·h[b, t, c] / max(1, Σ_t mask[b, t]).
// h (B, T, C), mask (B, T) u32 (1 = token, 0 = padding), out (B, C). t summed in order.
// Params, out, h and main come from pool.forward.common.wgsl.
@group(0) @binding(3) var<storage, read> mask: array<u32>;

fn pooled(b: u32, c: u32) -> f32 {
  var s = 0.0;
  var n = 0u;
  for (var t = 0u; t < p.T; t++) {
    if (mask[b * p.T + t] != 0u) {
      s += h[(b * p.T + t) * p.C + c];
      n++;
    }
  }
  return s / f32(max(n, 1u));
}
