// LayerNorm over the last dimension, as llm.c's layernorm_forward:
//   out (N, C) = (inp - mean) * rstd * weight + bias;  saves mean (N) and rstd (N) for the backward pass.
// The pass of one row, appended by defineKernel to a variant (layernorm.wg.wgsl: a workgroup per row,
// layernorm.sg.wgsl: a subgroup per row) whose main finds the row and calls passRow with its lane and lane
// count; `rowSum`, defined by the variant, sums one value per lane over those lanes, the same in every lane.
struct Params { N: u32, C: u32, eps: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(4) var<storage, read> inp: array<f32>;
@group(0) @binding(5) var<storage, read> weight: array<f32>;
@group(0) @binding(6) var<storage, read> bias: array<f32>;

// Lanes stride over C; two passes (mean, then variance) for accuracy.
fn passRow(row: u32, lane: u32, lanes: u32) {
  let base = row * p.C;
  var s = 0.0;
  for (var c = lane; c < p.C; c += lanes) { s += inp[base + c]; }
  let m = rowSum(lane, lanes, s) / f32(p.C);
  var v = 0.0;
  for (var c = lane; c < p.C; c += lanes) { let d = inp[base + c] - m; v += d * d; }
  let r = inverseSqrt(rowSum(lane, lanes, v) / f32(p.C) + p.eps);
  for (var c = lane; c < p.C; c += lanes) {
    out[base + c] = (inp[base + c] - m) * r * weight[c] + bias[c];
  }
  if (lane == 0u) {
    mean[row] = m;
    rstd[row] = r;
  }
}
