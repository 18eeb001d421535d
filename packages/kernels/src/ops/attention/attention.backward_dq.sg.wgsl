// Attention backward step 2, subgroup variant: dq_i = scale · Σ_j P_ij (dP_ij - D_i) k_j, with the keys
// shared across a subgroup as in attention.forward.sg.wgsl — lane l loads key/value row j0 + l % 8 and every
// lane takes the 8 rows from lanes 0..7 by subgroupShuffle. Same contract and bindings as
// attention.backward_dq.wgsl.
enable subgroups;
// The key loop's bound depends on the subgroup's query block: uniform within each subgroup by construction.
diagnostic(off, subgroup_uniformity);

// Params, the bindings and MAX_HS come from attention.backward.common.wgsl, appended by defineKernel.
override HS: u32 = 32u;

@compute @workgroup_size(64)
fn main(inv: SubgroupInvocation) {
  let blk = rowBlock(inv, p.NH); // this subgroup's block of query rows
  let i = blk.row;
  let C3 = qkvWidth();
  let kvh = kvHead(blk.h);
  let qoff = (blk.b * p.T + i) * C3 + blk.h * HS;
  let ooff = (blk.b * p.T + i) * p.C + blk.h * HS;

  var q: array<f32, MAX_HS>;
  var dO: array<f32, MAX_HS>;
  var dq: array<f32, MAX_HS>;
  for (var d = 0u; d < HS; d++) {
    q[d] = qkv[qoff + d] * p.scale;
    dO[d] = dout[ooff + d];
    dq[d] = 0.0;
  }
  let L = lse[blk.bh * p.T + i];
  let Di = D[blk.bh * p.T + i];
  let jEnd = select(p.T, min(blk.first + inv.sg, p.T), p.causal == 1u);
  for (var j0 = 0u; j0 < jEnd; j0 += 8u) {
    let jl = min(j0 + inv.lane % 8u, p.T - 1u);
    let koff = (blk.b * p.T + jl) * C3 + p.C + kvh * HS;
    let voff = koff + kvOffset();
    var s: array<f32, 8>;
    var dP: array<f32, 8>;
    for (var jj = 0u; jj < 8u; jj++) {
      s[jj] = 0.0;
      dP[jj] = 0.0;
    }
    for (var d = 0u; d < HS; d++) {
      let kv = qkv[koff + d];
      let vv = qkv[voff + d];
      for (var jj = 0u; jj < 8u; jj++) {
        s[jj] += q[d] * subgroupShuffle(kv, jj);
        dP[jj] += dO[d] * subgroupShuffle(vv, jj);
      }
    }
    let keep = select(1u, mask[blk.b * p.T + jl], p.hasMask == 1u);
    var dS: array<f32, 8>;
    for (var jj = 0u; jj < 8u; jj++) {
      let j = j0 + jj;
      let kept = subgroupShuffle(keep, jj) != 0u;
      let visible = j < p.T && (p.causal == 0u || j <= i) && kept;
      dS[jj] = select(0.0, exp(s[jj] - L) * (dP[jj] - Di), visible);
    }
    for (var d = 0u; d < HS; d++) {
      let kv = qkv[koff + d];
      var a = dq[d];
      for (var jj = 0u; jj < 8u; jj++) { a += dS[jj] * subgroupShuffle(kv, jj); }
      dq[d] = a;
    }
  }
  if (!blk.store) { return; }
  for (var d = 0u; d < HS; d++) { dqkv[qoff + d] = dq[d] * p.scale; }
}
