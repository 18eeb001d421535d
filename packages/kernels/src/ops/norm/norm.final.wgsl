// Global gradient norm, pass 2: norm = sqrt(Σ partial) in a fixed order, and the clip coefficient
// clip = min(1, maxNorm / (norm + 1e-6)) (PyTorch's clip_grad_norm_), stored for the optimizer to read
// on the GPU so clipping needs no readback. maxNorm <= 0 disables clipping (clip = 1).
// out[0] = norm, out[1] = clip.
struct Params { count: u32, maxNorm: f32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> partial: array<f32>;

const WG = 256u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < p.count; i += WG) { s += partial[i]; }
  red[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (lid < k) { red[lid] += red[lid + k]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let norm = sqrt(red[0]);
    out[0] = norm;
    out[1] = select(1.0, min(1.0, p.maxNorm / (norm + 1e-6)), p.maxNorm > 0.0);
  }
}
