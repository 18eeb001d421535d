// Backward of the masked mean-pool: dh[b, t, c] (+)= mask[b, t]·dout[b, c] / max(1, Σ_t mask[b, t]).
struct Params { B: u32, T: u32, C: u32, accumulate: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dh: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> mask: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.B * p.T * p.C) { return; }
  let c = i % p.C;
  let t = (i / p.C) % p.T;
  let b = i / (p.C * p.T);
  var n = 0u;
  for (var k = 0u; k < p.T; k++) { n += select(0u, 1u, mask[b * p.T + k] != 0u); }
  let g = select(0.0, dout[b * p.C + c] / f32(max(n, 1u)), mask[b * p.T + t] != 0u);
  if (p.accumulate == 1u) { dh[i] += g; } else { dh[i] = g; }
}
