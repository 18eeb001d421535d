// Attention backward, step 3: for key row j of kv head g, dv_j = Σ_h Σ_i P_hij dout_hi and
// dk_j = scale · Σ_h Σ_i dS_hij q_hi with dS_hij = P_hij (dP_hij - D_hi), over the query heads h that share
// kv head g (all NH / NKV of them: one when NKV = NH) and queries i. One invocation per (b, g, j), summing
// heads then queries in a fixed order (deterministic, no atomics). Writes the k and v parts of dqkv.
// Params, the bindings and MAX_HS come from attention.backward.common.wgsl, appended by defineKernel.

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gridIndex(gid, nwg, 64u);
  if (idx >= p.B * p.NKV * p.T) { return; }
  let j = idx % p.T;
  let g = (idx / p.T) % p.NKV;
  let b = idx / (p.T * p.NKV);
  let C3 = qkvWidth();
  let koff = (b * p.T + j) * C3 + p.C + g * p.HS;
  let voff = koff + kvOffset();
  let group = p.NH / p.NKV;

  var k: array<f32, MAX_HS>;
  var v: array<f32, MAX_HS>;
  var dk: array<f32, MAX_HS>;
  var dv: array<f32, MAX_HS>;
  for (var d = 0u; d < p.HS; d++) {
    k[d] = qkv[koff + d];
    v[d] = qkv[voff + d];
    dk[d] = 0.0;
    dv[d] = 0.0;
  }
  let masked = p.hasMask == 1u && mask[b * p.T + j] == 0u;
  let iStart = select(0u, j, p.causal == 1u);
  let iEnd = select(p.T, iStart, masked); // a padding key receives no gradient
  for (var h = g * group; h < (g + 1u) * group; h++) {
    for (var i = iStart; i < iEnd; i++) {
      let row = (b * p.NH + h) * p.T + i;
      let qoff = (b * p.T + i) * C3 + h * p.HS;
      let ooff = (b * p.T + i) * p.C + h * p.HS;
      var s = 0.0;
      var dP = 0.0;
      for (var d = 0u; d < p.HS; d++) {
        s += qkv[qoff + d] * k[d];
        dP += dout[ooff + d] * v[d];
      }
      let P = exp(s * p.scale - lse[row]);
      let dS = P * (dP - D[row]);
      for (var d = 0u; d < p.HS; d++) {
        dv[d] += P * dout[ooff + d];
        dk[d] += dS * qkv[qoff + d];
      }
    }
  }
  for (var d = 0u; d < p.HS; d++) {
    dqkv[koff + d] = dk[d] * p.scale;
    dqkv[voff + d] = dv[d];
  }
}
