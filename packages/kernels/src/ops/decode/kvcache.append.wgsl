// KV-cache append: copies the keys and values of T new tokens per row from the packed qkv (B, T, 3C) that
// the QKV projection writes into the per-layer caches k, v (B, maxT, C), at positions start[b] + t.
// Positions at or beyond maxT are dropped (the caller never asks for them; this keeps a bad start in bounds).
struct Params { B: u32, T: u32, C: u32, maxT: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> kc: array<f32>;
@group(0) @binding(2) var<storage, read_write> vc: array<f32>;
@group(0) @binding(3) var<storage, read> qkv: array<f32>;
@group(0) @binding(4) var<storage, read> start: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u); // (b, t, c) flattened
  if (i >= p.B * p.T * p.C) { return; }
  let c = i % p.C;
  let bt = i / p.C;
  let t = bt % p.T;
  let b = bt / p.T;
  let pos = start[b] + t;
  if (pos >= p.maxT) { return; }
  let src = bt * 3u * p.C + p.C + c;
  let dst = (b * p.maxT + pos) * p.C + c;
  kc[dst] = qkv[src];
  vc[dst] = qkv[src + p.C];
}
