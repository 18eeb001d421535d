// Backward of the unfused path's row softmax (softmax.forward.wgsl), in place:
// d[r, j] ← scale · att[r, j] · (d[r, j] − Σ_k d[r, k] · att[r, k]), where d holds ∂loss/∂att on entry and
// ∂loss/∂preatt on return. Masked entries have att = 0, so their gradient is 0. Every element is read and
// written by the same invocation, after the row's sum: in place is safe.
// reduceSum and WG (64) come from ../common/rowreduce.wgsl, appended by defineKernel.
struct Params { R: u32, T: u32, scale: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> d: array<f32>;
@group(0) @binding(2) var<storage, read> att: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  if (row >= p.R) { return; }
  let base = row * p.T;
  var s = 0.0;
  for (var j = lid; j < p.T; j += WG) { s += d[base + j] * att[base + j]; }
  let dot = reduceSum(lid, s);
  for (var j = lid; j < p.T; j += WG) { d[base + j] = p.scale * att[base + j] * (d[base + j] - dot); }
}
