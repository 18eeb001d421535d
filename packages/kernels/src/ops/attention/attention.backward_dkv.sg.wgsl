// Attention backward step 3, subgroup variant: for key row j of kv head g, dv_j = Σ_h Σ_i P_hij dout_hi and
// dk_j = scale · Σ_h Σ_i dS_hij q_hi over the query heads h sharing g. A subgroup owns consecutive key rows of
// one (b, g); queries arrive 8 at a
// time — lane l loads query row i0 + l % 8 (q, dout, lse, D) and every lane takes the 8 rows from lanes 0..7
// by subgroupShuffle. Same contract and bindings as attention.backward_dkv.wgsl; sums run in query order.
enable subgroups;
// The query loop's bounds depend on the subgroup's key block: uniform within each subgroup by construction.
diagnostic(off, subgroup_uniformity);

// Params, the bindings and MAX_HS come from attention.backward.common.wgsl, appended by defineKernel.
override HS: u32 = 32u;

@compute @workgroup_size(64)
fn main(inv: SubgroupInvocation) {
  let blk = rowBlock(inv, p.NKV); // this subgroup's block of key rows; blk.h is the kv head
  let j = blk.row;
  let C3 = qkvWidth();
  let group = p.NH / p.NKV;
  let koff = (blk.b * p.T + j) * C3 + p.C + blk.h * HS;
  let voff = koff + kvOffset();

  var k: array<f32, MAX_HS>;
  var v: array<f32, MAX_HS>;
  var dk: array<f32, MAX_HS>;
  var dv: array<f32, MAX_HS>;
  for (var d = 0u; d < HS; d++) {
    k[d] = qkv[koff + d];
    v[d] = qkv[voff + d];
    dk[d] = 0.0;
    dv[d] = 0.0;
  }
  // A padding key gets no gradient; it still takes part in the shuffles.
  let keyKept = p.hasMask == 0u || mask[blk.b * p.T + j] != 0u;
  let iStart = select(0u, blk.first, p.causal == 1u); // the block's first key: no earlier query sees it
  for (var h = blk.h * group; h < (blk.h + 1u) * group; h++) {
    for (var i0 = iStart; i0 < p.T; i0 += 8u) {
      let il = min(i0 + inv.lane % 8u, p.T - 1u);
      let row = (blk.b * p.NH + h) * p.T + il;
      let qoff = (blk.b * p.T + il) * C3 + h * HS;
      let ooff = (blk.b * p.T + il) * p.C + h * HS;
      var s: array<f32, 8>;
      var dP: array<f32, 8>;
      for (var ii = 0u; ii < 8u; ii++) {
        s[ii] = 0.0;
        dP[ii] = 0.0;
      }
      for (var d = 0u; d < HS; d++) {
        let qv = qkv[qoff + d];
        let ov = dout[ooff + d];
        for (var ii = 0u; ii < 8u; ii++) {
          s[ii] += subgroupShuffle(qv, ii) * k[d];
          dP[ii] += subgroupShuffle(ov, ii) * v[d];
        }
      }
      let L = lse[row];
      let Drow = D[row];
      var P: array<f32, 8>;
      var dS: array<f32, 8>;
      for (var ii = 0u; ii < 8u; ii++) {
        let i = i0 + ii;
        let Li = subgroupShuffle(L, ii);
        let Di = subgroupShuffle(Drow, ii);
        let visible = keyKept && i < p.T && (p.causal == 0u || i >= j);
        P[ii] = select(0.0, exp(s[ii] * p.scale - Li), visible);
        dS[ii] = P[ii] * (dP[ii] - Di);
      }
      for (var d = 0u; d < HS; d++) {
        let qv = qkv[qoff + d];
        let ov = dout[ooff + d];
        var a = dk[d];
        var c = dv[d];
        for (var ii = 0u; ii < 8u; ii++) {
          a += dS[ii] * subgroupShuffle(qv, ii);
          c += P[ii] * subgroupShuffle(ov, ii);
        }
        dk[d] = a;
        dv[d] = c;
      }
    }
  }
  if (!blk.store) { return; }
  for (var d = 0u; d < HS; d++) {
    dqkv[koff + d] = dk[d] * p.scale;
    dqkv[voff + d] = dv[d];
  }
}
