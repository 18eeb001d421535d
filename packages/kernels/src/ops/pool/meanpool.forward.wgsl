// Masked mean-pool: out[b, c] = Σ_t mask[b, t]·h[b, t, c] / max(1, Σ_t mask[b, t]).
// h (B, T, C), mask (B, T) u32 (1 = token, 0 = padding), out (B, C). t summed in order.
struct Params { B: u32, T: u32, C: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> h: array<f32>;
@group(0) @binding(3) var<storage, read> mask: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= p.B * p.C) { return; }
  let b = i / p.C;
  let c = i % p.C;
  var s = 0.0;
  var n = 0u;
  for (var t = 0u; t < p.T; t++) {
    if (mask[b * p.T + t] != 0u) {
      s += h[(b * p.T + t) * p.C + c];
      n++;
    }
  }
  out[i] = s / f32(max(n, 1u));
}
