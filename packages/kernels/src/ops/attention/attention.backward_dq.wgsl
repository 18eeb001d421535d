// Attention backward, step 2: dq_i = scale · Σ_j P_ij (dP_ij - D_i) k_j, one invocation per query row,
// with P_ij = exp(scale·q_i·k_j - lse_i) recomputed and dP_ij = dout_i · v_j. Writes the q third of
// dqkv (B, T, 3C); step 3 writes the k and v thirds. No atomics: every output has exactly one writer.
// Params, the bindings and MAX_HS come from attention.backward.common.wgsl, appended by defineKernel.

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gridIndex(gid, nwg, 64u);
  if (idx >= p.B * p.NH * p.T) { return; }
  let i = idx % p.T;
  let h = (idx / p.T) % p.NH;
  let b = idx / (p.T * p.NH);
  let C3 = qkvWidth();
  let kvh = kvHead(h);
  let qoff = (b * p.T + i) * C3 + h * p.HS;
  let ooff = (b * p.T + i) * p.C + h * p.HS;

  var q: array<f32, MAX_HS>;
  var dO: array<f32, MAX_HS>;
  var dq: array<f32, MAX_HS>;
  for (var d = 0u; d < p.HS; d++) {
    q[d] = qkv[qoff + d] * p.scale;
    dO[d] = dout[ooff + d];
    dq[d] = 0.0;
  }
  let L = lse[idx];
  let Di = D[idx];
  let jEnd = select(p.T, i + 1u, p.causal == 1u);
  for (var j = 0u; j < jEnd; j++) {
    if (p.hasMask == 1u && mask[b * p.T + j] == 0u) { continue; }
    let koff = (b * p.T + j) * C3 + p.C + kvh * p.HS;
    let voff = koff + kvOffset();
    var s = 0.0;
    var dP = 0.0;
    for (var d = 0u; d < p.HS; d++) {
      s += q[d] * qkv[koff + d];
      dP += dO[d] * qkv[voff + d];
    }
    let dS = exp(s - L) * (dP - Di);
    for (var d = 0u; d < p.HS; d++) { dq[d] += dS * qkv[koff + d]; }
  }
  for (var d = 0u; d < p.HS; d++) { dqkv[qoff + d] = dq[d] * p.scale; }
}
