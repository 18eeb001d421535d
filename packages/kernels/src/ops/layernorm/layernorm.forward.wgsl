// LayerNorm over the last dimension, as llm.c's layernorm_forward:
//   out (N, C) = (inp - mean) * rstd * weight + bias;  saves mean (N) and rstd (N) for the backward pass.
// One workgroup per row; 64 invocations stride over C, then a fixed-order tree reduction in workgroup
// memory (deterministic: the same sum order every run). Two passes (mean, then variance) for accuracy.
// reduceSum / reduceMax and WG (64) come from ../common/rowreduce.wgsl, appended by defineKernel.
struct Params { N: u32, C: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(4) var<storage, read> inp: array<f32>;
@group(0) @binding(5) var<storage, read> weight: array<f32>;
@group(0) @binding(6) var<storage, read> bias: array<f32>;


@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.N) { return; } // uniform across the workgroup, so barriers stay uniform
  let base = row * p.C;
  var s = 0.0;
  for (var c = lid; c < p.C; c += WG) { s += inp[base + c]; }
  let m = reduceSum(lid, s) / f32(p.C);
  var v = 0.0;
  for (var c = lid; c < p.C; c += WG) { let d = inp[base + c] - m; v += d * d; }
  let r = inverseSqrt(reduceSum(lid, v) / f32(p.C) + p.eps);
  for (var c = lid; c < p.C; c += WG) {
    out[base + c] = (inp[base + c] - m) * r * weight[c] + bias[c];
  }
  if (lid == 0u) {
    mean[row] = m;
    rstd[row] = r;
  }
}
