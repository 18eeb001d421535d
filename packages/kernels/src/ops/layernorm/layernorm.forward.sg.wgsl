// LayerNorm forward, subgroup variant (adapters with `subgroups` and a fixed subgroup size): one subgroup per
// row instead of one workgroup, as llm.c's layernorm_forward gives each row a warp. Lanes stride over C and
// combine their partial sums with a butterfly of subgroupShuffleXor — a fixed order, so the result is
// bit-reproducible, and no workgroup barriers (costly on a CPU's Vulkan, lavapipe). Same contract and bindings
// as layernorm.forward.wgsl; subgroup sums are in `sgsum.wgsl`.
enable subgroups;
// Rows past N end a whole subgroup at once: uniform within the subgroup, which is all the shuffles need.
diagnostic(off, subgroup_uniformity);

// Params, the bindings and normalizeRow come from layernorm.forward.row.wgsl, appended by defineKernel.

@compute @workgroup_size(64)
fn main(inv: SubgroupInvocation) {
  let row = subgroupIndex(inv);
  if (row >= p.N) { return; }
  normalizeRow(row, inv.lane, inv.sg);
}

fn rowSum(lane: u32, lanes: u32, v: f32) -> f32 { return subgroupSum(v, lanes); }
