// RMSNorm over the last dimension (Llama's LlamaRMSNorm, T5's layer norm):
//   rstd = 1 / √(mean(inp²) + eps);  out (N, C) = inp · rstd · weight;  saves rstd (N) for the backward pass.
// The pass of one row, appended by defineKernel to a LayerNorm variant's main (../layernorm/layernorm.wg.wgsl:
// a workgroup per row; layernorm.sg.wgsl: a subgroup per row), which calls passRow with its lane and lane
// count; `rowSum`, defined by the variant, sums one value per lane in a fixed order (deterministic).
struct Params { N: u32, C: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(3) var<storage, read> inp: array<f32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;

fn passRow(row: u32, lane: u32, lanes: u32) {
  let base = row * p.C;
  var ss = 0.0;
  for (var c = lane; c < p.C; c += lanes) { let x = inp[base + c]; ss += x * x; }
  let r = inverseSqrt(rowSum(lane, lanes, ss) / f32(p.C) + p.eps);
  for (var c = lane; c < p.C; c += lanes) { out[base + c] = inp[base + c] * r * weight[c]; }
  if (lane == 0u) { rstd[row] = r; }
}
