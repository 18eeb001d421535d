// Fused softmax + cross-entropy, backward: dlogits[r, v] = (softmax(logits[r])[v] - [v == t_r]) · scale,
// and 0 for rows whose target is ignored. `scale` is dLoss/dloss_r (1 / #counted rows for a mean).
struct Params { N: u32, V: u32, ignoreIndex: i32, scale: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(2) var<storage, read> logits: array<f32>;
@group(0) @binding(3) var<storage, read> lse: array<f32>;
@group(0) @binding(4) var<storage, read> targets: array<i32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gridIndex(gid, nwg, 256u);
  if (i >= p.N * p.V) { return; }
  let row = i / p.V;
  let v = i % p.V;
  let t = targets[row];
  if (t == p.ignoreIndex || t < 0 || u32(t) >= p.V) {
    dlogits[i] = 0.0;
    return;
  }
  let prob = exp(logits[i] - lse[row]);
  dlogits[i] = (prob - select(0.0, 1.0, u32(t) == v)) * p.scale;
}
