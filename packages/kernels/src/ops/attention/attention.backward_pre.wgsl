// Attention backward, step 1: D[b, h, t] = Σ_d dout · out over the head's channels (FlashAttention-2's D).
struct Params { B: u32, T: u32, C: u32, NH: u32, HS: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> D: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gridIndex(gid, nwg, 64u);
  if (idx >= p.B * p.NH * p.T) { return; }
  let t = idx % p.T;
  let h = (idx / p.T) % p.NH;
  let b = idx / (p.T * p.NH);
  let off = (b * p.T + t) * p.C + h * p.HS;
  var s = 0.0;
  for (var d = 0u; d < p.HS; d++) { s += dout[off + d] * out[off + d]; }
  D[idx] = s;
}
