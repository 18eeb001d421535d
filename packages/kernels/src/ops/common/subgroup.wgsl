// For kernels where each subgroup owns a unit of work (a row, a block of rows) on a grid1d grid of
// 64-invocation workgroups: the entry point's builtins, and the subgroup's index over the whole grid, as
// gridIndex (grid.wgsl) is an invocation's. Included after the kernel's own `enable subgroups`.
struct SubgroupInvocation {
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(subgroup_size) sg: u32,
  @builtin(subgroup_invocation_id) lane: u32,
}

// 64 / sg subgroups per workgroup, numbered in workgroup order.
fn subgroupIndex(inv: SubgroupInvocation) -> u32 {
  return (inv.wid.x + inv.wid.y * inv.nwg.x) * (64u / inv.sg) + inv.lid / inv.sg;
}
