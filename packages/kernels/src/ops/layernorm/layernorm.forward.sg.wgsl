// LayerNorm forward, subgroup variant (adapters with `subgroups` and a fixed subgroup size): one subgroup per
// row instead of one workgroup, as llm.c's layernorm_forward gives each row a warp. Lanes stride over C and
// combine their partial sums with a butterfly of subgroupShuffleXor — a fixed order, so the result is
// bit-reproducible, and no workgroup barriers (costly on a CPU's Vulkan, lavapipe). Same contract and bindings
// as layernorm.forward.wgsl; subgroup sums are in `sgsum.wgsl`.
enable subgroups;
// Rows past N end a whole subgroup at once: uniform within the subgroup, which is all the shuffles need.
diagnostic(off, subgroup_uniformity);

struct Params { N: u32, C: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(4) var<storage, read> inp: array<f32>;
@group(0) @binding(5) var<storage, read> weight: array<f32>;
@group(0) @binding(6) var<storage, read> bias: array<f32>;

@compute @workgroup_size(64)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(subgroup_size) sg: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let row = (wid.x + wid.y * nwg.x) * (64u / sg) + lid / sg;
  if (row >= p.N) { return; }
  let base = row * p.C;
  var s = 0.0;
  for (var c = lane; c < p.C; c += sg) { s += inp[base + c]; }
  let m = subgroupSum(s, sg) / f32(p.C);
  var v = 0.0;
  for (var c = lane; c < p.C; c += sg) { let d = inp[base + c] - m; v += d * d; }
  let r = inverseSqrt(subgroupSum(v, sg) / f32(p.C) + p.eps);
  for (var c = lane; c < p.C; c += sg) {
    out[base + c] = (inp[base + c] - m) * r * weight[c] + bias[c];
  }
  if (lane == 0u) {
    mean[row] = m;
    rstd[row] = r;
  }
}
