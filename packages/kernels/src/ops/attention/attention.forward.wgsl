// Fused multi-head attention, forward, flash-style: the T×T score matrix never touches memory.
// qkv (B, T, C + 2·KVC) packed as llm.c (q | k | v, heads contiguous inside each; KVC = C unless GQA), out (B, T, C), lse (B, NH, T).
// One invocation per query row (b, h, t) streams over the keys with an online softmax (running max m,
// running sum l, rescaled accumulator), then saves lse = m + log(l) for the backward pass.
// Causal: keys j ≤ t. Key padding: mask (B, T), 0 = padding, never attended. A row with no key to attend
// to outputs 0 and gets lse = 3e38, so the backward pass sees P = exp(s - lse) = 0 for it.
// Params, the bindings, MAX_HS, NO_KEYS and the HS constant come from attention.forward.common.wgsl.

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gridIndex(gid, nwg, 64u); // (b, h, t) flattened
  if (idx >= p.B * p.NH * p.T) { return; }
  let t = idx % p.T;
  let h = (idx / p.T) % p.NH;
  let b = idx / (p.T * p.NH);
  let C3 = qkvWidth();
  let kvh = kvHead(h);
  let qoff = (b * p.T + t) * C3 + h * HS;

  var q: array<f32, MAX_HS>;
  var acc: array<f32, MAX_HS>;
  for (var d = 0u; d < HS; d++) {
    q[d] = qkv[qoff + d] * p.scale;
    acc[d] = 0.0;
  }
  var m = -3.4028234e38;
  var l = 0.0;
  let jEnd = select(p.T, t + 1u, p.causal == 1u);
  for (var j = 0u; j < jEnd; j++) {
    if (p.hasMask == 1u && mask[b * p.T + j] == 0u) { continue; }
    let koff = (b * p.T + j) * C3 + p.C + kvh * HS;
    var s = 0.0;
    for (var d = 0u; d < HS; d++) { s += q[d] * qkv[koff + d]; }
    let mNew = max(m, s);
    let corr = exp(m - mNew);
    let pj = exp(s - mNew);
    l = l * corr + pj;
    let voff = koff + kvOffset();
    for (var d = 0u; d < HS; d++) { acc[d] = acc[d] * corr + pj * qkv[voff + d]; }
    m = mNew;
  }
  let ooff = (b * p.T + t) * p.C + h * HS;
  let invL = select(0.0, 1.0 / l, l > 0.0);
  for (var d = 0u; d < HS; d++) { out[ooff + d] = acc[d] * invL; }
  lse[idx] = select(NO_KEYS, m + log(l), l > 0.0);
}
