// LayerNorm over the last dimension, as llm.c's layernorm_forward:
//   out (N, C) = (inp - mean) * rstd * weight + bias;  saves mean (N) and rstd (N) for the backward pass.
// One workgroup per row; 64 invocations stride over C, then a fixed-order tree reduction in workgroup
// memory (deterministic: the same sum order every run). Two passes (mean, then variance) for accuracy.
// reduceSum / reduceMax and WG (64) come from ../common/rowreduce.wgsl, appended by defineKernel.
// Params, the bindings and normalizeRow come from layernorm.forward.row.wgsl, appended by defineKernel.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.N) { return; } // uniform across the workgroup, so barriers stay uniform
  normalizeRow(row, lid, WG);
}

fn rowSum(lane: u32, lanes: u32, v: f32) -> f32 { return reduceSum(lane, v); }
