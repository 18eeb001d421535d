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
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(subgroup_size) sg: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  let g = (wid.x + wid.y * nwg.x) * (64u / sg) + lid / sg; // this subgroup's query block
  let blocks = (p.T + sg - 1u) / sg;
  let bh = min(g / blocks, p.B * p.NH - 1u);
  let h = bh % p.NH;
  let b = bh / p.NH;
  let tb = (g % blocks) * sg;
  let t = min(tb + lane, p.T - 1u); // lanes past T (or past the last block) compute a copy and do not store
  let store = g / blocks < p.B * p.NH && tb + lane < p.T;
  let C3 = 3u * p.C;
  let qoff = (b * p.T + t) * C3 + h * HS;

  var q: array<f32, MAX_HS>;
  var acc: array<f32, MAX_HS>;
  for (var d = 0u; d < HS; d++) {
    q[d] = qkv[qoff + d] * p.scale;
    acc[d] = 0.0;
  }
  var m = -3.4028234e38;
  var l = 0.0;
  let jEnd = select(p.T, min(tb + sg, p.T), p.causal == 1u); // uniform across the subgroup
  for (var j0 = 0u; j0 < jEnd; j0 += 8u) {
    let jl = min(j0 + lane % 8u, p.T - 1u);
    let koff = (b * p.T + jl) * C3 + p.C + h * HS;
    var s: array<f32, 8>;
    for (var jj = 0u; jj < 8u; jj++) { s[jj] = 0.0; } // explicit: the zero-init of a loop-local var was not honoured here
    for (var d = 0u; d < HS; d++) {
      let kv = qkv[koff + d];
      for (var jj = 0u; jj < 8u; jj++) { s[jj] += q[d] * subgroupShuffle(kv, jj); }
    }
    let keep = select(1u, mask[b * p.T + jl], p.hasMask == 1u);
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
    let voff = koff + p.C;
    for (var d = 0u; d < HS; d++) {
      let vv = qkv[voff + d];
      var a = acc[d] * corr;
      for (var jj = 0u; jj < 8u; jj++) { a += pj[jj] * subgroupShuffle(vv, jj); }
      acc[d] = a;
    }
    m = mNew;
  }
  if (!store) { return; }
  let ooff = (b * p.T + t) * p.C + h * HS;
  let inv = select(0.0, 1.0 / l, l > 0.0);
  for (var d = 0u; d < HS; d++) { out[ooff + d] = acc[d] * inv; }
  lse[bh * p.T + t] = select(NO_KEYS, m + log(l), l > 0.0);
}
