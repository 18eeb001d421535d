// RMSNorm over the last dimension (Llama's LlamaRMSNorm, T5's layer norm):
//   rstd = 1 / √(mean(inp²) + eps);  out (N, C) = inp · rstd · weight;  saves rstd (N) for the backward pass.
// One workgroup per row; reduceSum and WG (64) come from ../common/rowreduce.wgsl (a fixed-order tree, so
// the result is the same every run).
struct Params { N: u32, C: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(3) var<storage, read> inp: array<f32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.N) { return; } // uniform across the workgroup, so barriers stay uniform
  let base = row * p.C;
  var ss = 0.0;
  for (var c = lid; c < p.C; c += WG) { let x = inp[base + c]; ss += x * x; }
  let r = inverseSqrt(reduceSum(lid, ss) / f32(p.C) + p.eps);
  for (var c = lid; c < p.C; c += WG) { out[base + c] = inp[base + c] * r * weight[c]; }
  if (lid == 0u) { rstd[row] = r; }
}
