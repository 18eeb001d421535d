// LayerNorm backward for the input, as llm.c's layernorm_backward (dinp part):
//   norm = (inp - mean) * rstd;  dnorm = dout * weight
//   dinp (+)= (dnorm - mean(dnorm) - norm * mean(dnorm * norm)) * rstd
// One workgroup per row, fixed-order tree reductions (deterministic).
// reduceSum / reduceMax and WG (64) come from ../common/rowreduce.wgsl, appended by defineKernel.
// Params, the bindings and backwardRow come from layernorm.backward.row.wgsl, appended by defineKernel.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.N) { return; } // uniform across the workgroup, so barriers stay uniform
  backwardRow(row, lid, WG);
}

fn rowSum(lane: u32, lanes: u32, v: f32) -> f32 { return reduceSum(lane, v); }
