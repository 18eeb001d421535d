// LayerNorm backward for the input, subgroup variant: one subgroup per row (see layernorm.forward.sg.wgsl).
// Same contract and bindings as layernorm.backward.wgsl:
//   dinp (+)= (dnorm - mean(dnorm) - norm * mean(dnorm * norm)) * rstd,  dnorm = dout * weight
enable subgroups;
diagnostic(off, subgroup_uniformity);

// Params, the bindings and backwardRow come from layernorm.backward.row.wgsl, appended by defineKernel.

@compute @workgroup_size(64)
fn main(inv: SubgroupInvocation) {
  let row = subgroupIndex(inv);
  if (row >= p.N) { return; }
  backwardRow(row, inv.lane, inv.sg);
}

fn rowSum(lane: u32, lanes: u32, v: f32) -> f32 { return subgroupSum(v, lanes); }
