// Token + position embedding of R rows at their own positions (the decode step, where each row of the batch
// is at its own length): out (R, C) = wte[tokens[r]] + wpe[positions[r]].
// wte is bound as the block of rows n0 .. n0+nTok (a vocabulary's table can exceed the storage binding limit);
// a dispatch writes the rows whose token falls in its block.
struct Params { R: u32, C: u32, n0: u32, nTok: u32 }

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
  let t = tokens[r];
  if (t < p.n0 || t >= p.n0 + p.nTok) { return; }
  out[i] = wte[(t - p.n0) * p.C + c] + wpe[positions[r] * p.C + c];
}
