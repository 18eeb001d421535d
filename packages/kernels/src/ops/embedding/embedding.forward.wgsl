// Token + learned position embedding, as llm.c's encoder_forward:
//   out[b, t, c] = wte[inp[b, t], c] + wpe[t, c].  out (B, T, C), inp (B, T) u32, wte (V, C), wpe (maxT, C).
struct Params { B: u32, T: u32, C: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<u32>;
@group(0) @binding(3) var<storage, read> wte: array<f32>;
@group(0) @binding(4) var<storage, read> wpe: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.B * p.T * p.C) { return; }
  let c = i % p.C;
  let bt = i / p.C;
  let t = bt % p.T;
  out[i] = wte[inp[bt] * p.C + c] + wpe[t * p.C + c];
}
