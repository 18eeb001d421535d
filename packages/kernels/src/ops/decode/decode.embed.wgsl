// Token + position embedding of R rows at their own positions (the decode step, where each row of the batch
// is at its own length): out (R, C) = wte[tokens[r]] + wpe[positions[r]].
struct Params { R: u32, C: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> tokens: array<u32>;
@group(0) @binding(3) var<storage, read> positions: array<u32>;
@group(0) @binding(4) var<storage, read> wte: array<f32>;
@group(0) @binding(5) var<storage, read> wpe: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.R * p.C) { return; }
  let r = i / p.C;
  let c = i % p.C;
  out[i] = wte[tokens[r] * p.C + c] + wpe[positions[r] * p.C + c];
}
