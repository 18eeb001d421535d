// Row softmax with scale and optional causal mask, for the unfused attention path (llm.c's softmax
// of pre-attention scores): att[r, j] = softmax_j(scale · preatt[r, j]) over j ≤ t (causal) where
// t = r % T; masked entries are 0. preatt, att (R, T) with R = B·NH·T.
// reduceSum / reduceMax and WG (64) come from ../common/rowreduce.wgsl, appended by defineKernel.
struct Params { R: u32, T: u32, scale: f32, causal: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> att: array<f32>;
@group(0) @binding(2) var<storage, read> preatt: array<f32>;


@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.R) { return; }
  let base = row * p.T;
  let n = select(p.T, row % p.T + 1u, p.causal == 1u);
  var m = -3.4028234e38;
  for (var j = lid; j < n; j += WG) { m = max(m, preatt[base + j] * p.scale); }
  m = reduceMax(lid, m);
  var s = 0.0;
  for (var j = lid; j < n; j += WG) { s += exp(preatt[base + j] * p.scale - m); }
  let inv = 1.0 / reduceSum(lid, s);
  for (var j = lid; j < p.T; j += WG) {
    att[base + j] = select(0.0, exp(preatt[base + j] * p.scale - m) * inv, j < n);
  }
}
