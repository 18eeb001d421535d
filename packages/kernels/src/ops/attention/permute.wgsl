// Layout changes for the unfused attention path (llm.c's permute / unpermute kernels):
//   forward = 1: qkv (B, T, 3C) → q, k, v each (B, NH, T, HS)
//   forward = 0: y (B, NH, T, HS) → out (B, T, C)   (q is the source, k/v unused)
struct Params { B: u32, T: u32, C: u32, NH: u32, HS: u32, forward: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> q: array<f32>;
@group(0) @binding(2) var<storage, read_write> k: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read_write> packed: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u); // over (b, h, t, d)
  if (i >= p.B * p.T * p.C) { return; }
  let d = i % p.HS;
  let t = (i / p.HS) % p.T;
  let h = (i / (p.HS * p.T)) % p.NH;
  let b = i / (p.HS * p.T * p.NH);
  if (p.forward == 1u) {
    let src = (b * p.T + t) * 3u * p.C + h * p.HS + d;
    q[i] = packed[src];
    k[i] = packed[src + p.C];
    v[i] = packed[src + 2u * p.C];
  } else {
    packed[(b * p.T + t) * p.C + h * p.HS + d] = q[i];
  }
}
