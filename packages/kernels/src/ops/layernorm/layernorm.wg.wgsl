// LayerNorm, workgroup variant (portable): one workgroup per row; 64 invocations stride over C, then a
// fixed-order tree reduction in workgroup memory (deterministic: the same sum order every run). The pass
// (layernorm.forward.wgsl or layernorm.backward.wgsl) is appended by defineKernel and supplies Params, the
// bindings and `passRow`; reduceSum and WG (64) come from ../common/rowreduce.wgsl.

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.N) { return; } // uniform across the workgroup, so barriers stay uniform
  passRow(row, lid, WG);
}

fn rowSum(lane: u32, lanes: u32, v: f32) -> f32 { return reduceSum(lane, v); }
