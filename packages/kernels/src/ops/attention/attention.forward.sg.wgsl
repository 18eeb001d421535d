// Fused attention forward, subgroup variant (adapters with `subgroups` and a fixed subgroup size that is a
// multiple of 8). Same contract and bindings as attention.forward.wgsl.
//
// A subgroup of S lanes owns S consecutive queries of one (b, h). Keys are taken 8 at a time: lane l loads
// key j0 + l % 8 (one load brings 8 different keys into the subgroup) and every lane reads the 8 keys' values
// from lanes 0..7 with subgroupShuffle, instead of each lane loading every key itself. The online softmax
// then advances by a block of 8 scores at once.
enable subgroups;
// The key loop's bound depends on the subgroup's query block: the same in every lane of a subgroup, but not
// across the workgroup, which is all WGSL's uniformity analysis can prove. The shuffles are safe.
diagnostic(off, subgroup_uniformity);

// Params, the bindings, MAX_HS, NO_KEYS and the HS constant come from attention.forward.common.wgsl.

@compute @workgroup_size(64)
fn main(inv: SubgroupInvocation) {
  let blk = rowBlock(inv, p.NH); // this subgroup's block of query rows
  let t = blk.row;
  let C3 = qkvWidth();
  let kvh = kvHead(blk.h);
  let qoff = (blk.b * p.T + t) * C3 + blk.h * HS;

  var q: array<f32, MAX_HS>;
  var acc: array<f32, MAX_HS>;
  for (var d = 0u; d < HS; d++) {
    q[d] = qkv[qoff + d] * p.scale;
    acc[d] = 0.0;
  }
  var m = -3.4028234e38;
  var l = 0.0;
  let jEnd = select(p.T, min(blk.first + inv.sg, p.T), p.causal == 1u); // uniform across the subgroup
  for (var j0 = 0u; j0 < jEnd; j0 += 8u) {
    let jl = min(j0 + inv.lane % 8u, p.T - 1u);
    let koff = (blk.b * p.T + jl) * C3 + p.C + kvh * HS;
    var s: array<f32, 8>;
    for (var jj = 0u; jj < 8u; jj++) { s[jj] = 0.0; } // explicit: the zero-init of a loop-local var was not honoured here
    for (var d = 0u; d < HS; d++) {
      let kv = qkv[koff + d];
      for (var jj = 0u; jj < 8u; jj++) { s[jj] += q[d] * subgroupShuffle(kv, jj); }
    }
    let keep = select(1u, mask[blk.b * p.T + jl], p.hasMask == 1u);
    var vis: array<bool, 8>;
    var mNew = m;
    for (var jj = 0u; jj < 8u; jj++) {
      let j = j0 + jj;
      let kept = subgroupShuffle(keep, jj) != 0u;
      vis[jj] = j < p.T && (p.causal == 0u || j <= t) && kept;
      mNew = select(mNew, max(mNew, s[jj]), vis[jj]);
    }
    let corr = exp(m - mNew);
    var pj: array<f32, 8>;
    l *= corr;
    for (var jj = 0u; jj < 8u; jj++) {
      pj[jj] = select(0.0, exp(s[jj] - mNew), vis[jj]);
      l += pj[jj];
    }
    let voff = koff + kvOffset();
    for (var d = 0u; d < HS; d++) {
      let vv = qkv[voff + d];
      var a = acc[d] * corr;
      for (var jj = 0u; jj < 8u; jj++) { a += pj[jj] * subgroupShuffle(vv, jj); }
      acc[d] = a;
    }
    m = mNew;
  }
  if (!blk.store) { return; }
  let ooff = (blk.b * p.T + t) * p.C + blk.h * HS;
  let invL = select(0.0, 1.0 / l, l > 0.0);
  for (var d = 0u; d < HS; d++) { out[ooff + d] = acc[d] * invL; }
  lse[blk.bh * p.T + t] = select(NO_KEYS, m + log(l), l > 0.0);
}
