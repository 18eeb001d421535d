// LayerNorm, subgroup variant (adapters with `subgroups` and a fixed subgroup size): one subgroup per row
// instead of one workgroup, as llm.c gives each row a warp. Lanes stride over C and combine their partial sums
// with a butterfly of subgroupShuffleXor (../common/sgsum.wgsl) — a fixed order, so the result is
// bit-reproducible, and no workgroup barriers (costly on a CPU's Vulkan, lavapipe). The pass is appended by
// defineKernel as in layernorm.wg.wgsl; SubgroupInvocation comes from ../common/subgroup.wgsl.
enable subgroups;
// Rows past N end a whole subgroup at once: uniform within the subgroup, which is all the shuffles need.
diagnostic(off, subgroup_uniformity);

@compute @workgroup_size(64)
fn main(inv: SubgroupInvocation) {
  let row = subgroupIndex(inv);
  if (row >= p.N) { return; }
  passRow(row, inv.lane, inv.sg);
}

fn rowSum(lane: u32, lanes: u32, v: f32) -> f32 { return subgroupSum(v, lanes); }
