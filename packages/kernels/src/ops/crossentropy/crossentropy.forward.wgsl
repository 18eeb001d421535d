// Fused softmax + cross-entropy over the vocabulary, forward:
//   lse[r] = log Σ_v exp(logits[r, v]);  losses[r] = lse[r] - logits[r, targets[r]]  (0 where ignored)
// logits (N, V), targets (N) as i32 with `ignoreIndex` skipped. The probabilities are never stored: the
// backward pass recomputes them from lse. One workgroup per row; fixed-order tree reductions.
// reduceSum / reduceMax and WG (64) come from ../common/rowreduce.wgsl, appended by defineKernel.
struct Params { N: u32, V: u32, ignoreIndex: i32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> losses: array<f32>;
@group(0) @binding(2) var<storage, read_write> lse: array<f32>;
@group(0) @binding(3) var<storage, read> logits: array<f32>;
@group(0) @binding(4) var<storage, read> targets: array<i32>;


@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.N) { return; }
  let base = row * p.V;
  var m = -3.4028234e38;
  for (var v = lid; v < p.V; v += WG) { m = max(m, logits[base + v]); }
  m = reduceMax(lid, m);
  var s = 0.0;
  for (var v = lid; v < p.V; v += WG) { s += exp(logits[base + v] - m); }
  let l = m + log(reduceSum(lid, s));
  if (lid == 0u) {
    lse[row] = l;
    let t = targets[row];
    if (t == p.ignoreIndex || t < 0 || u32(t) >= p.V) {
      losses[row] = 0.0;
    } else {
      losses[row] = l - logits[base + u32(t)];
    }
  }
}
